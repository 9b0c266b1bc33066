/** On-prem Exchange: email address policies, remote routing addresses, and a schema without Exchange. */
import { describe, expect, it } from "@jest/globals";

import type { DesiredIdentity } from "../../src/desired/types.js";
import type { AdObject, AdState, EntraState, ExchangeAttributes } from "../../src/model/directory.js";
import { buildPlan } from "../../src/plan/index.js";
import type { Plan, PlanFinding, PlanIdentity } from "../../src/plan/index.js";
import { STAFF, adObject, cloudUser, desired, entra, identity } from "./builders.js";

const DN = `CN=asmith,${STAFF}`;
const ROUTING = "asmith@contoso.mail.onmicrosoft.com";
const REMOTE_USER_MAILBOX = 2147483648;

function exchange(fields: Partial<ExchangeAttributes> = {}): ExchangeAttributes {
  return {
    policiesExcluded: [],
    policiesIncluded: [],
    recipientTypeDetails: REMOTE_USER_MAILBOX,
    targetAddress: `SMTP:${ROUTING}`,
    ...fields,
  };
}

/** A remote mailbox whose primary is asmith@contoso.com; the YAML moves it to alice.smith@contoso.com. */
function alice(fields: Partial<AdObject> = {}): AdObject {
  return adObject(1, {
    sAMAccountName: "asmith",
    mailNickname: "asmith",
    mail: "asmith@contoso.com",
    proxyAddresses: ["SMTP:asmith@contoso.com", `smtp:${ROUTING}`],
    exchange: exchange(),
    ...fields,
  });
}

const cloudAlice = cloudUser("c1", {
  userPrincipalName: "alice@contoso.onmicrosoft.com",
  proxyAddresses: ["SMTP:alice.smith@contoso.com", `smtp:${ROUTING}`],
});

const wanted: DesiredIdentity = identity({ smtp: "alice.smith@contoso.com" });

function plan(a: AdState, e: EntraState = entra({ users: [cloudAlice] }), i = wanted): Plan {
  const d = desired([i]);
  return buildPlan(d, a, e);
}

const withSchema = (...objects: AdObject[]): AdState => ({ objects, exchangeSchema: true });
const withoutSchema = (...objects: AdObject[]): AdState => ({ objects, exchangeSchema: false });

function exchangeFindings(p: Plan | PlanIdentity): PlanFinding[] {
  const findings = "identities" in p ? p.identities[0]!.findings : p.findings;
  return findings.filter((f) =>
    ["EmailAddressPolicyWillOverwrite", "RemoteRoutingAddressMismatch"].includes(f.code),
  );
}

describe("email address policies", () => {
  it("warns when a policy still applies to an object whose primary the plan changes, and says how to exclude it", () => {
    const result = plan(
      withSchema(
        alice({ exchange: exchange({ policiesIncluded: ["{0c3e5f7a-1b2d-4e6f-8a9b-0c1d2e3f4a5b}"] }) }),
      ),
    );

    expect(exchangeFindings(result)).toEqual([
      {
        severity: "warning",
        code: "EmailAddressPolicyWillOverwrite",
        message:
          `On-prem Exchange: AD user '${DN}' still follows email address policies (msExchPoliciesIncluded: ` +
          "{0c3e5f7a-1b2d-4e6f-8a9b-0c1d2e3f4a5b}), so the next time a policy is applied to it " +
          "(Update-EmailAddressPolicy, or any Set-RemoteMailbox on it) Exchange regenerates its primary SMTP " +
          "address from the policy and replaces 'alice.smith@contoso.com' written by this plan; the sync after " +
          "that takes the policy's address to the cloud.",
        fix:
          `Before apply, exclude it from address policies: Set-RemoteMailbox -Identity '${DN}' ` +
          "-EmailAddressPolicyEnabled $false (this writes msExchPoliciesExcluded: " +
          "{26491cfc-9e50-4857-861b-0cb8df22b5d7}); or change the policy so that it generates " +
          "'alice.smith@contoso.com'.",
      },
    ]);
    expect(result.findings).toEqual([]);
  });

  it("names the cmdlet of the recipient type: Set-Mailbox for an on-prem mailbox, Set-DistributionGroup for a group", () => {
    const mailbox = plan(
      withSchema(alice({ exchange: exchange({ recipientTypeDetails: 1, targetAddress: null }) })),
    );
    const group = plan(
      withSchema(
        alice({
          type: "group",
          objectClass: ["top", "group"],
          exchange: exchange({ recipientTypeDetails: 256 }),
        }),
      ),
      entra({
        groups: [{ ...cloudAlice, mailEnabled: true, securityEnabled: false, onPremisesSyncEnabled: null }],
      }),
      { ...wanted, type: "group", cloud: { kind: "id", id: "c1" } },
    );

    expect(exchangeFindings(mailbox).map((f) => f.fix.split(" -Identity")[0])).toEqual([
      "Before apply, exclude it from address policies: Set-Mailbox",
    ]);
    expect(exchangeFindings(group).map((f) => f.fix.split(" -Identity")[0])).toEqual([
      "Before apply, exclude it from address policies: Set-DistributionGroup",
    ]);
  });

  it("stays quiet for an object excluded from policies (msExchPoliciesExcluded, any case)", () => {
    const excluded = exchange({ policiesExcluded: ["{26491CFC-9E50-4857-861B-0CB8DF22B5D7}"] });

    const result = plan(withSchema(alice({ exchange: excluded })));

    expect(exchangeFindings(result)).toEqual([]);
  });

  it("stays quiet when the plan leaves the primary as it is", () => {
    const already = alice({
      mail: "alice.smith@contoso.com",
      proxyAddresses: ["SMTP:alice.smith@contoso.com", "smtp:asmith@contoso.com", `smtp:${ROUTING}`],
    });

    const result = plan(withSchema(already));

    expect(result.identities[0]!.changes).toEqual([]);
    expect(exchangeFindings(result)).toEqual([]);
  });

  it("stays quiet for an object that is no Exchange recipient (no mailNickname, no recipient type)", () => {
    const plain = alice({
      mailNickname: null,
      exchange: exchange({ recipientTypeDetails: null, targetAddress: null }),
    });

    const result = plan(withSchema(plain));

    expect(exchangeFindings(result)).toEqual([]);
  });
});

describe("remote mailbox routing", () => {
  const excluded = ["{26491cfc-9e50-4857-861b-0cb8df22b5d7}"];

  it("warns when targetAddress points at an address the cloud mailbox does not carry, and names the one it does", () => {
    const stale = exchange({
      policiesExcluded: excluded,
      targetAddress: "SMTP:asmith@fabrikam.mail.onmicrosoft.com",
    });

    const result = plan(withSchema(alice({ exchange: stale })));

    expect(exchangeFindings(result)).toEqual([
      {
        severity: "warning",
        code: "RemoteRoutingAddressMismatch",
        message:
          `On-prem Exchange forwards mail for AD user '${DN}' (a RemoteUserMailbox) to its targetAddress ` +
          "'SMTP:asmith@fabrikam.mail.onmicrosoft.com', which cloud user 'alice@contoso.onmicrosoft.com' (c1) " +
          "does not carry, so Exchange Online rejects it (550 5.1.10 RecipientNotFound) and mail from on-prem " +
          "senders bounces.",
        fix: `Point it at the routing address the cloud mailbox carries: Set-RemoteMailbox -Identity '${DN}' -RemoteRoutingAddress ${ROUTING}.`,
      },
    ]);
  });

  it("warns about a remote shared mailbox without targetAddress, and a cloud mailbox without a routing address", () => {
    const shared = exchange({
      policiesExcluded: excluded,
      recipientTypeDetails: 34359738368,
      targetAddress: null,
    });
    const noRouting = entra({ users: [{ ...cloudAlice, proxyAddresses: ["SMTP:alice.smith@contoso.com"] }] });

    const result = plan(withSchema(alice({ exchange: shared })), noRouting);

    expect(exchangeFindings(result).map((f) => [f.code, f.message, f.fix])).toEqual([
      [
        "RemoteRoutingAddressMismatch",
        `AD user '${DN}' is a RemoteSharedMailbox without a targetAddress, so on-prem Exchange has nowhere to forward its mail and it bounces.`,
        "Give the cloud mailbox a <tenant>.mail.onmicrosoft.com address (Exchange Online: Set-Mailbox " +
          `-EmailAddresses @{add="smtp:..."}) and point the remote mailbox at it: Set-RemoteMailbox -Identity '${DN}' ` +
          "-RemoteRoutingAddress <that address>.",
      ],
    ]);
  });

  it("accepts a targetAddress the cloud mailbox carries (compared case-insensitively), and skips mailboxes that are not remote", () => {
    const matching = exchange({ policiesExcluded: excluded, targetAddress: `SMTP:${ROUTING.toUpperCase()}` });
    const onPrem = exchange({ policiesExcluded: excluded, recipientTypeDetails: 1, targetAddress: null });

    const remote = plan(withSchema(alice({ exchange: matching })));
    const local = plan(withSchema(alice({ exchange: onPrem })));

    expect([exchangeFindings(remote), exchangeFindings(local)]).toEqual([[], []]);
  });
});

describe("without the Exchange schema", () => {
  const note: PlanFinding = {
    severity: "warning",
    code: "ExchangeSchemaNotFound",
    message:
      "The AD schema has no on-prem Exchange attributes (msExchPoliciesExcluded), so the email address policy " +
      "and remote routing address checks were skipped; if an Exchange organisation manages these recipients, a " +
      "policy can still rewrite the primary addresses this plan sets.",
    fix:
      "Nothing, if there is no on-prem Exchange. Otherwise read AD live (the schema is detected), or export the " +
      "snapshot with msExchPoliciesExcluded, msExchPoliciesIncluded, msExchRecipientTypeDetails, msExchMailboxGuid and targetAddress.",
  };

  it("skips the checks and says so once, as a plan finding, when the plan changes a primary address", () => {
    const second: DesiredIdentity = identity({
      sam: "bjones",
      upn: "bob@contoso.onmicrosoft.com",
      smtp: "bob@contoso.com",
    });
    const d = desired([wanted, second]);
    const state = withoutSchema(alice({ exchange: undefined }), adObject(2, { sAMAccountName: "bjones" }));

    const result = buildPlan(d, state, entra({ users: [cloudAlice] }));

    expect(result.findings).toEqual([note]);
    expect(result.identities.flatMap(exchangeFindings)).toEqual([]);
    expect(result.summary.warnings).toBe(
      1 + result.identities.flatMap((i) => i.findings).filter((f) => f.severity === "warning").length,
    );
  });

  it("says nothing when no primary address changes, or when the only change creates an object", () => {
    const unchanged = alice({
      exchange: undefined,
      mail: "alice.smith@contoso.com",
      proxyAddresses: ["SMTP:alice.smith@contoso.com"],
    });
    const create: DesiredIdentity = {
      ...wanted,
      ad: {
        kind: "create",
        dn: `CN=Alice Smith,${STAFF}`,
        spec: {
          ou: STAFF,
          sAMAccountName: "asmith",
          cn: "Alice Smith",
          givenName: null,
          sn: null,
          displayName: null,
          userPrincipalName: null,
        },
      },
    };

    const quiet = plan(withoutSchema(unchanged));
    const created = plan(withoutSchema(), entra({ users: [cloudAlice] }), create);

    expect(quiet.findings).toEqual([]);
    expect(created.identities[0]!.changes.map((c) => c.attribute)).toEqual([
      "objectClass",
      "proxyAddresses",
      "mail",
    ]);
    expect(created.findings).toEqual([]);
  });

  it("treats a state that does not say (exchangeSchema absent) as without the schema", () => {
    const result = plan({ objects: [alice({ exchange: undefined })] });

    expect(result.findings.map((f) => f.code)).toEqual(["ExchangeSchemaNotFound"]);
  });
});
