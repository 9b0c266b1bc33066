/** One scenario per rule of DESIGN.md 2b (what else Entra Connect does): outcome, via, cloudId and codes. */
import { describe, expect, it } from "@jest/globals";

import { buildPlan } from "../../src/plan/index.js";
import { effectiveUpn } from "../../src/plan/upn.js";
import type { Plan, PlanIdentity } from "../../src/plan/index.js";
import type { AdState, EntraState, ExchangeAttributes } from "../../src/model/directory.js";
import type { DesiredState } from "../../src/desired/types.js";
import {
  BASE_DN,
  ad,
  adObject,
  anchorOf,
  cloudContact,
  cloudGroup,
  cloudUser,
  desired,
  entra,
  identity,
} from "./builders.js";

function plan(d: DesiredState, a: AdState, e: EntraState): Plan {
  return buildPlan(d, a, e);
}

const OVERWRITE_CODES = ["PasswordWillBeOverwritten", "CloudValuesWillBeOverwritten"];

function verdict(p: PlanIdentity | undefined) {
  const codes = p?.findings.map((f) => f.code).filter((c) => !OVERWRITE_CODES.includes(c));
  return { outcome: p?.outcome, via: p?.via, cloudId: p?.cloudId, codes };
}

const exchange = (fields: Partial<ExchangeAttributes>): ExchangeAttributes => ({
  policiesExcluded: ["{26491cfc-9e50-4857-861b-0cb8df22b5d7}"],
  policiesIncluded: [],
  recipientTypeDetails: null,
  targetAddress: null,
  ...fields,
});

const DOMAINS = [
  { id: "contoso.com", isVerified: true, isInitial: false },
  { id: "contoso.onmicrosoft.com", isVerified: true, isInitial: true },
];

const alice = (fields = {}) =>
  adObject(1, {
    sAMAccountName: "asmith",
    userPrincipalName: "alice@contoso.onmicrosoft.com",
    proxyAddresses: ["SMTP:alice@contoso.com"],
    ...fields,
  });
const aliceCloud = (fields = {}) =>
  cloudUser("u1", {
    userPrincipalName: "alice@contoso.onmicrosoft.com",
    proxyAddresses: ["SMTP:alice@contoso.com"],
    ...fields,
  });
const aliceYaml = (fields = {}) => desired([identity({ smtp: "alice@contoso.com", ...fields })]);

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

describe("groups and contacts", () => {
  const group = adObject(6, {
    sAMAccountName: "app-admins",
    type: "group",
    objectClass: ["top", "group"],
    proxyAddresses: ["SMTP:app-admins@contoso.com"],
  });
  const groupYaml = desired([
    identity({
      sam: "app-admins",
      type: "group",
      cloud: { kind: "id", id: "g1" },
      smtp: "app-admins@contoso.com",
    }),
  ]);

  it("a cloud security group without mail exists but is never matched: a second group is created", () => {
    const security = cloudGroup("g1", {
      displayName: "App admins",
      mailEnabled: false,
      securityEnabled: true,
    });

    const p = plan(groupYaml, ad(group), entra({ groups: [security], domains: DOMAINS }));

    expect(verdict(p.identities[0])).toEqual({
      outcome: "will-create",
      via: null,
      cloudId: null,
      codes: ["WillCreateDuplicate"],
    });
  });

  it.each([
    ["group", "deleted for good"],
    ["contact", "deleted for good"],
    ["user", "soft-deleted"],
  ] as const)("a joined %s that leaves the scope is %s", (type, words) => {
    const onPrem = adObject(7, {
      sAMAccountName: "x",
      type,
      dn: `CN=x,OU=Former,${BASE_DN}`,
      proxyAddresses: ["SMTP:x@contoso.com"],
      mail: "x@contoso.com",
    });
    const synced = {
      mail: "x@contoso.com",
      proxyAddresses: ["SMTP:x@contoso.com"],
      onPremisesSyncEnabled: true,
    };
    const state =
      type === "group"
        ? entra({ groups: [cloudGroup("c1", synced)] })
        : type === "contact"
          ? entra({ contacts: [cloudContact("c1", synced)] })
          : entra({ users: [cloudUser("c1", { ...synced, onPremisesImmutableId: anchorOf(7) })] });

    const p = plan(
      desired([identity({ sam: "x", type, cloud: { kind: "id", id: "c1" }, smtp: "x@contoso.com" })]),
      ad(onPrem),
      state,
    );

    expect(verdict(p.identities[0])).toMatchObject({
      outcome: "out-of-scope",
      codes: ["CloudObjectWillBeDeleted"],
    });
    expect(p.identities[0]?.findings[0]?.message).toContain(words);
  });
});

describe("duplicate mailboxes", () => {
  const mailbox = exchange({ recipientTypeDetails: 1, mailboxGuid: "6f9619ff-8b86-d011-b42d-00c04fc964ff" });
  const plans = (capabilityStatus: string) => [
    {
      assignedDateTime: "2026-01-10T09:00:00Z",
      capabilityStatus,
      service: "exchange",
      servicePlanId: "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
    },
  ];

  it("an on-prem mailbox joining a cloud user with an Exchange Online mailbox: DuplicateMailbox", () => {
    const p = plan(
      aliceYaml(),
      ad(alice({ exchange: mailbox })),
      entra({ users: [aliceCloud({ assignedPlans: plans("Enabled") })], domains: DOMAINS }),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "will-join",
      via: "smtp",
      cloudId: "u1",
      codes: ["DuplicateMailbox"],
    });
    expect(p.identities[0]?.findings[0]?.severity).toBe("error");
  });

  it("no warning when the cloud Exchange plan is not enabled, or the on-prem user has no mailbox", () => {
    const deleted = plan(
      aliceYaml(),
      ad(alice({ exchange: mailbox })),
      entra({ users: [aliceCloud({ assignedPlans: plans("Deleted") })], domains: DOMAINS }),
    );
    const remote = plan(
      aliceYaml(),
      ad(
        alice({
          exchange: { ...mailbox, recipientTypeDetails: 2147483648, targetAddress: "SMTP:alice@contoso.com" },
        }),
      ),
      entra({ users: [aliceCloud({ assignedPlans: plans("Enabled") })], domains: DOMAINS }),
    );

    expect(verdict(deleted.identities[0]).codes).toEqual([]);
    expect(verdict(remote.identities[0]).codes).toEqual([]);
  });
});

describe("today's sync errors", () => {
  it("each provisioning error of the cloud object is shown on the identity and counted", () => {
    const failing = aliceCloud({
      onPremisesProvisioningErrors: [
        {
          category: "PropertyConflict",
          errorDetail: null,
          occurredDateTime: "2026-11-30T08:00:00Z",
          propertyCausingError: "ProxyAddresses",
          value: "smtp:alice@contoso.com",
        },
      ],
      serviceProvisioningErrors: [
        {
          createdDateTime: "2026-11-29T08:00:00Z",
          isResolved: false,
          serviceInstance: "exchange/namprd01-001-01",
          errorDetail: "<ServiceInstance>x</ServiceInstance>",
        },
        {
          createdDateTime: "2026-10-01T08:00:00Z",
          isResolved: true,
          serviceInstance: "exchange/namprd01-001-01",
          errorDetail: "old",
        },
      ],
    });

    const p = plan(aliceYaml(), ad(alice()), entra({ users: [failing], domains: DOMAINS }));

    expect(verdict(p.identities[0])).toEqual({
      outcome: "will-join",
      via: "smtp",
      cloudId: "u1",
      codes: ["CurrentSyncError", "CurrentSyncError"],
    });
    expect(p.identities[0]?.findings[0]?.message).toContain("PropertyConflict");
    expect(p.identities[0]?.findings[0]?.message).toContain("ProxyAddresses 'smtp:alice@contoso.com'");
    expect(p.identities[0]?.findings[1]?.message).toContain("exchange/namprd01-001-01");
    expect(p.summary.currentSyncErrors).toBe(2);
  });

  it("groups and contacts carry them too", () => {
    const group = adObject(6, {
      sAMAccountName: "sales",
      type: "group",
      proxyAddresses: ["SMTP:sales@contoso.com"],
    });
    const error = {
      category: "PropertyConflict",
      errorDetail: null,
      occurredDateTime: null,
      propertyCausingError: "ProxyAddresses",
      value: "smtp:sales@contoso.com",
    };

    const p = plan(
      desired([
        identity({ sam: "sales", type: "group", cloud: { kind: "id", id: "g1" }, smtp: "sales@contoso.com" }),
      ]),
      ad(group),
      entra({
        groups: [
          cloudGroup("g1", {
            mail: "sales@contoso.com",
            proxyAddresses: ["SMTP:sales@contoso.com"],
            onPremisesProvisioningErrors: [error],
          }),
        ],
        domains: DOMAINS,
      }),
    );

    expect(verdict(p.identities[0]).codes).toEqual(["CurrentSyncError"]);
    expect(p.summary.currentSyncErrors).toBe(1);
  });
});

describe("recycle bin", () => {
  it("a soft-deleted user with the object's anchor is restored, not recreated", () => {
    const deleted = {
      ...aliceCloud({
        id: "d1",
        userPrincipalName: "d1alice@contoso.onmicrosoft.com",
        onPremisesImmutableId: anchorOf(1),
        onPremisesSyncEnabled: true,
      }),
      deletedDateTime: "2026-11-20T10:00:00Z",
    };

    const p = plan(aliceYaml(), ad(alice()), entra({ deletedUsers: [deleted], domains: DOMAINS }));

    expect(verdict(p.identities[0])).toEqual({
      outcome: "will-join",
      via: "anchor",
      cloudId: "d1",
      codes: ["WillRestoreDeletedUser"],
    });
    expect(p.identities[0]?.findings[0]?.message).toContain("deleted 2026-11-20T10:00:00Z");
  });

  it("without a deleted user of that anchor, the sync creates a new account", () => {
    const p = plan(
      aliceYaml(),
      ad(alice({ proxyAddresses: ["SMTP:alice@contoso.com"] })),
      entra({ domains: DOMAINS }),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "will-create",
      via: null,
      cloudId: null,
      codes: ["CloudObjectNotFound"],
    });
  });
});
