/** `ad: {create: ...}`: the plan shows the creation and predicts the join that follows. */
import { describe, expect, it } from "@jest/globals";

import { applyPlan } from "../../src/apply/apply-plan.js";
import type { AdRef, DesiredIdentity } from "../../src/desired/types.js";
import { buildPlan } from "../../src/plan/index.js";
import type { Plan } from "../../src/plan/index.js";
import type { AdState, EntraState } from "../../src/model/directory.js";
import { FakeDirectories } from "../support/fake-ports.js";
import { planValidator } from "../support/plan-schema.js";
import { BASE_DN, STAFF, ad, adObject, cloudUser, desired, entra, identity } from "./builders.js";

const DN = `CN=Carol Diaz,${STAFF}`;

function createRef(ou = STAFF): AdRef {
  return {
    kind: "create",
    dn: `CN=Carol Diaz,${ou}`,
    spec: {
      ou,
      sAMAccountName: "cdiaz",
      cn: "Carol Diaz",
      givenName: "Carol",
      sn: "Diaz",
      displayName: "Carol Diaz",
      userPrincipalName: "cdiaz@contoso.com",
    },
  };
}

function carol(ref: AdRef = createRef()): DesiredIdentity {
  return identity({
    sam: "cdiaz",
    upn: "carol@contoso.onmicrosoft.com",
    smtp: "carol.diaz@contoso.com",
    ad: ref,
  });
}

const cloudCarol = cloudUser("c1", {
  userPrincipalName: "carol@contoso.onmicrosoft.com",
  proxyAddresses: ["SMTP:carol.diaz@contoso.com"],
});

function plan(identities: DesiredIdentity[], a: AdState, e: EntraState): Plan {
  const d = desired(identities);
  return buildPlan(d, a, e);
}

const codes = (p: Plan): string[] => p.identities[0]!.findings.map((f) => f.code);

describe("creating the on-prem object", () => {
  it("plans the creation, disabled and without a password, and predicts the SMTP join that follows", () => {
    const result = plan(
      [carol()],
      ad(),
      entra({ users: [cloudCarol], features: { passwordSyncEnabled: true } }),
    );

    const only = result.identities[0]!;
    expect({ outcome: only.outcome, via: only.via, cloudId: only.cloudId, dn: only.dn }).toEqual({
      outcome: "will-join",
      via: "smtp",
      cloudId: "c1",
      dn: DN,
    });
    expect(only.changes).toEqual([
      {
        target: "ad",
        dn: DN,
        attribute: "objectClass",
        add: ["user"],
        remove: [],
        create: {
          cn: "Carol Diaz",
          sAMAccountName: "cdiaz",
          userPrincipalName: "cdiaz@contoso.com",
          givenName: "Carol",
          sn: "Diaz",
          displayName: "Carol Diaz",
          userAccountControl: "514",
        },
      },
      { target: "ad", dn: DN, attribute: "proxyAddresses", add: ["SMTP:carol.diaz@contoso.com"], remove: [] },
      { target: "ad", dn: DN, attribute: "mail", add: ["carol.diaz@contoso.com"], remove: [] },
    ]);
    expect(codes(result)).toEqual(
      expect.arrayContaining(["ObjectWillBeCreated", "PasswordWillBeOverwritten"]),
    );
    expect(planValidator()(JSON.parse(JSON.stringify(result)))).toBe(true);
    expect(only.findings.find((f) => f.code === "ObjectWillBeCreated")?.message).toMatch(
      /disabled user without a password.*locked out until an administrator sets one/,
    );
  });

  it("reports OutOfSyncScope, as an error, for an OU outside the sync scope", () => {
    const result = plan([carol(createRef(`OU=Former,${BASE_DN}`))], ad(), entra({ users: [cloudCarol] }));

    expect(result.identities[0]!.outcome).toBe("out-of-scope");
    expect(result.identities[0]!.findings.find((f) => f.code === "OutOfSyncScope")?.severity).toBe("error");
  });

  it("refuses a sAMAccountName that another object holds, naming it", () => {
    const holder = adObject(7, { sAMAccountName: "cdiaz", dn: `CN=Someone Else,${STAFF}` });

    const result = plan([carol()], ad(holder), entra({ users: [cloudCarol] }));

    expect(result.identities[0]!.outcome).toBe("blocked");
    expect(result.identities[0]!.changes).toEqual([]);
    const finding = result.identities[0]!.findings.find((f) => f.code === "AdObjectExists");
    expect(finding?.message).toContain("CN=Someone Else");
  });

  it("refuses an address that another AD object holds (AttributeValueMustBeUnique, an error)", () => {
    const holder = adObject(8, { sAMAccountName: "other", proxyAddresses: ["SMTP:carol.diaz@contoso.com"] });

    const result = plan([carol()], ad(holder), entra({ users: [cloudCarol] }));

    const finding = result.identities[0]!.findings.find((f) => f.code === "AttributeValueMustBeUnique");
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain("other");
  });

  it("applies as one create with the addresses; a second apply and a new plan change nothing", async () => {
    const first = plan([carol()], ad(), entra({ users: [cloudCarol] }));
    const dirs = new FakeDirectories();
    const options = { concurrency: 2, now: () => new Date("2026-11-25T10:00:00Z"), commit: null };

    const receipt = (await applyPlan(first, dirs, options)).receipt;
    const again = (await applyPlan(first, dirs, options)).receipt;
    const created = adObject(9, {
      dn: DN,
      sAMAccountName: "cdiaz",
      userPrincipalName: "cdiaz@contoso.com",
      proxyAddresses: dirs.adObjects.get(DN)!.proxyAddresses,
      mail: dirs.adObjects.get(DN)!.mail,
    });
    const replanned = plan([carol()], ad(created), entra({ users: [cloudCarol] }));

    expect(receipt.objects.map((o) => [o.result, o.before, o.after])).toEqual([
      ["applied", null, { proxyAddresses: ["SMTP:carol.diaz@contoso.com"], mail: "carol.diaz@contoso.com" }],
    ]);
    expect(dirs.created.get(DN)).toMatchObject({
      objectClass: ["user"],
      sAMAccountName: ["cdiaz"],
      userAccountControl: ["514"],
      proxyAddresses: ["SMTP:carol.diaz@contoso.com"],
      mail: ["carol.diaz@contoso.com"],
    });
    expect(again.summary).toEqual({ applied: 0, skipped: 1, conflict: 0, failed: 0 });
    expect(replanned.identities[0]!.changes).toEqual([]);
    expect(replanned.identities[0]!.outcome).toBe("will-join");
  });
});
