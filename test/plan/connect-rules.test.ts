/** One scenario per rule of DESIGN.md 2b (Connect's filters, the 2026 hardening, UPN, proxy calculation). */
import { describe, expect, it } from "@jest/globals";

import { effectiveUpn } from "../../src/plan/upn.js";
import type { Plan } from "../../src/plan/index.js";
import { BASE_DN, ad, adObject, anchorOf, cloudUser, desired, entra, identity } from "./builders.js";
import { DOMAINS, alice, aliceCloud, aliceYaml, exchange, plan, verdict } from "./connect-fixtures.js";

describe("objects Entra Connect never exports", () => {
  it.each([
    [
      "a built-in account (isCriticalSystemObject)",
      { isCriticalSystemObject: true },
      "isCriticalSystemObject",
    ],
    ["an MSOL_ service account", { sAMAccountName: "MSOL_0123456789ab" }, "MSOL_"],
    ["an AAD_ service account", { sAMAccountName: "AAD_f00dcafe" }, "AAD_"],
    [
      "a linked mailbox (msExchRecipientTypeDetails 2)",
      { exchange: exchange({ recipientTypeDetails: 2 }) },
      "linked mailbox",
    ],
    [
      "an arbitration mailbox (msExchRecipientTypeDetails 8388608, in mask 0x21C07000)",
      { exchange: exchange({ recipientTypeDetails: 8388608 }) },
      "system mailbox",
    ],
    [
      "a SystemMailbox{...} account",
      { dn: `CN=SystemMailbox{1f05a927-8a5c-4d0a-9b1b-0123456789ab},OU=Staff,${BASE_DN}` },
      "SystemMailbox{",
    ],
  ])("%s: neither joined nor created, whatever its addresses", (_, fields, reason) => {
    const p = plan(
      desired([
        identity({
          sam: (fields as { sAMAccountName?: string }).sAMAccountName ?? "asmith",
          smtp: "alice@contoso.com",
        }),
      ]),
      ad(alice(fields)),
      entra({ users: [aliceCloud()], domains: DOMAINS }),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "out-of-scope",
      via: null,
      cloudId: null,
      codes: ["NotExportedByConnect"],
    });
    expect(p.identities[0]?.findings[0]?.message).toContain(reason);
  });

  it("an address held by an object Connect does not export is no conflict", () => {
    const msol = adObject(2, {
      sAMAccountName: "MSOL_0123456789ab",
      proxyAddresses: ["smtp:alice@contoso.com"],
    });

    const p = plan(aliceYaml(), ad(alice(), msol), entra({ users: [aliceCloud()], domains: DOMAINS }));

    expect(verdict(p.identities[0]).codes).toEqual([]);
  });
});

describe("2026 hard-match hardening", () => {
  const admin = { principalId: "u1", roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10" };

  it("a hard match onto a cloud-managed user holding an Entra role fails, takeover block or not", () => {
    const p = plan(
      aliceYaml({ match: "hard" }),
      ad(alice()),
      entra({
        users: [aliceCloud()],
        domains: DOMAINS,
        roleAssignments: [admin],
        features: { blockCloudObjectTakeoverThroughHardMatchEnabled: false },
      }),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "blocked",
      via: null,
      cloudId: null,
      codes: ["InvalidHardMatch"],
    });
    expect(p.identities[0]?.findings[0]?.message).toContain("MC1262584");
  });

  it("a hard match that rewrites an existing, different immutableId is blocked and not written", () => {
    const mapped = aliceCloud({ onPremisesImmutableId: anchorOf(77) });

    const p = plan(aliceYaml({ match: "hard" }), ad(alice()), entra({ users: [mapped], domains: DOMAINS }));

    expect(verdict(p.identities[0])).toEqual({
      outcome: "blocked",
      via: null,
      cloudId: null,
      codes: ["HardMatchRemapBlocked", "InvalidSoftMatch", "AttributeValueMustBeUnique"],
    });
    expect(p.identities[0]?.changes.filter((c) => c.target === "entra")).toEqual([]);
  });

  it("a hard match onto a user without an immutableId is still planned", () => {
    const p = plan(
      aliceYaml({ match: "hard" }),
      ad(alice()),
      entra({ users: [aliceCloud()], domains: DOMAINS }),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "will-join",
      via: "anchor",
      cloudId: "u1",
      codes: [],
    });
    expect(p.identities[0]?.changes.filter((c) => c.target === "entra")).toHaveLength(1);
  });
});

describe("duplicate attribute resiliency", () => {
  it("without it, InvalidSoftMatch alone", () => {
    const p = plan(
      aliceYaml(),
      ad(alice()),
      entra({
        users: [aliceCloud({ onPremisesImmutableId: anchorOf(77) })],
        domains: DOMAINS,
        features: { quarantineUponProxyAddressesConflictEnabled: false },
      }),
    );

    expect(verdict(p.identities[0]).codes).toEqual(["InvalidSoftMatch"]);
  });
});

describe("UPN after a join", () => {
  const codesAndMessages = (p: Plan) =>
    p.identities[0]!.findings.filter(
      (f) => f.code.startsWith("Upn") || f.code === "AttributeValueMustBeUnique",
    );

  it("an on-prem UPN another cloud user holds is quarantined (AttributeValueMustBeUnique)", () => {
    const other = cloudUser("u2", { userPrincipalName: "asmith@contoso.com" });

    const p = plan(
      aliceYaml(),
      ad(alice({ userPrincipalName: "asmith@contoso.com" })),
      entra({ users: [aliceCloud(), other], domains: DOMAINS }),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "will-join",
      via: "smtp",
      cloudId: "u1",
      codes: ["AttributeValueMustBeUnique", "UpnWillChange"],
    });
    expect(p.identities[0]?.findings[0]?.message).toContain("'asmith+NNNN@contoso.onmicrosoft.com'");
  });

  it("a new object's UPN is checked too", () => {
    const other = cloudUser("u2", { userPrincipalName: "asmith@contoso.com" });

    const p = plan(
      aliceYaml(),
      ad(alice({ userPrincipalName: "asmith@contoso.com" })),
      entra({ users: [aliceCloud({ proxyAddresses: ["SMTP:a@contoso.com"] }), other], domains: DOMAINS }),
    );

    expect(verdict(p.identities[0]).outcome).toBe("will-create");
    expect(verdict(p.identities[0]).codes).toContain("AttributeValueMustBeUnique");
  });

  it("an unverified suffix becomes mailNickname@<the isInitial domain>, not the UPN prefix at a guessed domain", () => {
    const domains = [
      { id: "contoso.com", isVerified: true, isInitial: false },
      { id: "contosolegacy.onmicrosoft.com", isVerified: true, isInitial: false },
      { id: "contoso.onmicrosoft.com", isVerified: true, isInitial: true },
    ];

    const p = plan(
      aliceYaml(),
      ad(alice({ userPrincipalName: "asmith@corp.contoso.local", mailNickname: "alice.smith" })),
      entra({ users: [aliceCloud()], domains }),
    );

    expect(codesAndMessages(p).map((f) => f.code)).toEqual(["UpnWillChange"]);
    expect(codesAndMessages(p)[0]?.message).toContain(
      "changes from 'alice@contoso.onmicrosoft.com' to 'alice.smith@contoso.onmicrosoft.com', not to the on-prem 'asmith@corp.contoso.local'",
    );
  });

  it.each([
    ["mailNickname", { mailNickname: "al", mail: "am@contoso.com" }, "SMTP:alice@contoso.com", "al@"],
    ["the primary SMTP's prefix", { mail: "am@contoso.com" }, "SMTP:alice@contoso.com", "alice@"],
    ["mail's prefix", { mail: "am@contoso.com" }, null, "am@"],
    ["the UPN's prefix", { mail: null }, null, "asmith@"],
  ])("the MailNickName is %s, at the initial domain", (_, fields, primary, nickname) => {
    const onPrem = alice({ userPrincipalName: "asmith@corp.contoso.local", ...fields });

    const effective = effectiveUpn(onPrem, primary?.slice(5) ?? null, entra({ domains: DOMAINS }));

    expect(effective?.upn).toBe(`${nickname}contoso.onmicrosoft.com`);
  });

  it("with synchronizeUpnForManagedUsersEnabled off the cloud UPN stays", () => {
    const p = plan(
      aliceYaml(),
      ad(alice({ userPrincipalName: "alice.smith@contoso.com" })),
      entra({
        users: [aliceCloud()],
        domains: DOMAINS,
        features: { synchronizeUpnForManagedUsersEnabled: false },
      }),
    );

    expect(codesAndMessages(p).map((f) => f.code)).toEqual(["UpnNotSynchronized"]);
    expect(codesAndMessages(p)[0]?.message).toContain("stays 'alice@contoso.onmicrosoft.com'");
  });
});

describe("proxy calculation", () => {
  it("a primary or alias on *.onmicrosoft.com never reaches the cloud: ReservedDomainDiscarded", () => {
    const cloud = aliceCloud({
      proxyAddresses: ["SMTP:alice@contoso.onmicrosoft.com", "smtp:alice@contoso.com"],
    });

    const p = plan(
      desired([
        identity({
          smtp: "alice@contoso.onmicrosoft.com",
          aliases: ["alice@contoso.mail.onmicrosoft.com", "a.smith@contoso.com"],
        }),
      ]),
      ad(alice()),
      entra({ users: [cloud], domains: DOMAINS }),
    );

    expect(
      p.identities[0]?.findings.filter((f) => f.code === "ReservedDomainDiscarded").map((f) => f.severity),
    ).toEqual(["error", "warning"]);
  });
});
