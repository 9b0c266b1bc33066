/** One scenario per matching rule of DESIGN.md section 2: outcome, via, cloudId and finding codes. */
import { describe, expect, it } from "@jest/globals";

import { buildPlan } from "../../src/plan/index.js";
import type { Plan, PlanIdentity } from "../../src/plan/index.js";
import type { AdState, EntraState } from "../../src/model/directory.js";
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

/** What a join overwrites has scenarios of its own below; here only the matching verdict counts. */
const OVERWRITE_CODES = ["PasswordWillBeOverwritten", "CloudValuesWillBeOverwritten", "UpnWillChange"];

function verdict(p: PlanIdentity | undefined) {
  const codes = p?.findings.map((f) => f.code).filter((c) => !OVERWRITE_CODES.includes(c));
  return { outcome: p?.outcome, via: p?.via, cloudId: p?.cloudId, codes };
}

const alice = (fields = {}) =>
  adObject(1, { sAMAccountName: "asmith", proxyAddresses: ["SMTP:asmith@contoso.com"], ...fields });

describe("next-sync prediction", () => {
  it("already joined: the cloud object carries the anchor and is synchronised", () => {
    const cloud = cloudUser("u1", {
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      onPremisesImmutableId: anchorOf(1),
      onPremisesSyncEnabled: true,
    });

    const p = plan(
      desired([identity({ smtp: "asmith@contoso.com" })]),
      ad(alice({ mail: "asmith@contoso.com" })),
      entra({ users: [cloud] }),
    );

    expect(verdict(p.identities[0])).toEqual({ outcome: "joined", via: "anchor", cloudId: "u1", codes: [] });
    expect(p.identities[0]?.changes).toEqual([]);
  });

  it("joined to another cloud object: an error, unless rebind is set", () => {
    const joined = cloudUser("u9", { onPremisesImmutableId: anchorOf(1), onPremisesSyncEnabled: true });
    const target = cloudUser("u1", { userPrincipalName: "alice@contoso.onmicrosoft.com" });
    const state = entra({ users: [joined, target] });

    const plain = plan(desired([identity({ smtp: "asmith@contoso.com" })]), ad(alice()), state);
    const rebind = plan(
      desired([identity({ smtp: "asmith@contoso.com", rebind: true })]),
      ad(alice()),
      state,
    );

    expect(verdict(plain.identities[0])).toMatchObject({
      outcome: "joined",
      cloudId: "u9",
      codes: ["WrongMatch"],
    });
    expect(plain.identities[0]?.findings[0]?.severity).toBe("error");
    expect(rebind.identities[0]?.findings.map((f) => [f.code, f.severity])).toEqual([
      ["RebindRequested", "warning"],
    ]);
  });

  it("soft match on the cloud primary SMTP address", () => {
    const cloud = cloudUser("u1", {
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:alice.smith@contoso.com"],
    });

    const p = plan(
      desired([identity({ smtp: "alice.smith@contoso.com" })]),
      ad(alice()),
      entra({ users: [cloud] }),
    );

    expect(verdict(p.identities[0])).toEqual({ outcome: "will-join", via: "smtp", cloudId: "u1", codes: [] });
  });

  it("soft match on a secondary cloud address, and says so", () => {
    const cloud = cloudUser("u1", {
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:alice@contoso.com", "smtp:Alice.Smith@contoso.com"],
    });

    const p = plan(
      desired([identity({ smtp: "alice.smith@contoso.com" })]),
      ad(alice()),
      entra({ users: [cloud] }),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "will-join",
      via: "smtp",
      cloudId: "u1",
      codes: ["SoftMatchOnSecondaryAddress"],
    });
    expect(p.identities[0]?.findings[0]?.message).toContain("its primary is 'alice@contoso.com'");
  });

  it("tenant with soft match blocked", () => {
    const cloud = cloudUser("u1", {
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:alice.smith@contoso.com"],
    });

    const p = plan(
      desired([identity({ smtp: "alice.smith@contoso.com" })]),
      ad(alice()),
      entra({ users: [cloud], features: { blockSoftMatchEnabled: true } }),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "blocked",
      via: null,
      cloudId: null,
      codes: ["SoftMatchBlocked"],
    });
  });

  it("target cloud user with an immutableId: InvalidSoftMatch, shown as AttributeValueMustBeUnique", () => {
    const cloud = cloudUser("u1", {
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:alice.smith@contoso.com"],
      onPremisesImmutableId: anchorOf(77),
    });

    const p = plan(
      desired([identity({ smtp: "alice.smith@contoso.com" })]),
      ad(alice()),
      entra({ users: [cloud] }),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "blocked",
      via: null,
      cloudId: null,
      codes: ["InvalidSoftMatch", "AttributeValueMustBeUnique"],
    });
  });

  it("target holding an admin role: AdminRoleConflict, and the sync creates a duplicate beside it", () => {
    const cloud = cloudUser("u1", {
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:alice.smith@contoso.com"],
    });

    const p = plan(
      desired([identity({ smtp: "alice.smith@contoso.com" })]),
      ad(alice()),
      entra({
        users: [cloud],
        roleAssignments: [{ principalId: "u1", roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10" }],
      }),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "will-create",
      via: null,
      cloudId: null,
      codes: ["AdminRoleConflict"],
    });
  });

  it("on-prem user vs a cloud group with the same address: ObjectTypeMismatch", () => {
    const target = cloudUser("u1", { userPrincipalName: "alice@contoso.onmicrosoft.com" });
    const group = cloudGroup("g1", {
      mail: "events@contoso.com",
      proxyAddresses: ["SMTP:events@contoso.com"],
    });

    const p = plan(
      desired([identity({ smtp: "events@contoso.com" })]),
      ad(alice()),
      entra({ users: [target], groups: [group] }),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "blocked",
      via: null,
      cloudId: null,
      codes: ["ObjectTypeMismatch", "CloudAddressMissing"],
    });
  });

  describe("UPN soft match", () => {
    const cloud = cloudUser("u1", {
      userPrincipalName: "asmith@contoso.com",
      proxyAddresses: ["SMTP:alice@contoso.com"],
    });
    const d = desired([
      identity({ smtp: "alice.smith@contoso.com", upn: "asmith@contoso.com", match: "upn" }),
    ]);

    it("joins by UPN when softMatchOnUpnEnabled is on and no address matches", () => {
      const p = plan(d, ad(alice()), entra({ users: [cloud], features: { softMatchOnUpnEnabled: true } }));

      expect(verdict(p.identities[0])).toEqual({
        outcome: "will-join",
        via: "upn",
        cloudId: "u1",
        codes: ["CloudAddressMissing"],
      });
      expect(p.identities[0]?.findings[0]?.severity).toBe("warning");
    });

    it("creates a duplicate when softMatchOnUpnEnabled is off", () => {
      const p = plan(d, ad(alice()), entra({ users: [cloud], features: { softMatchOnUpnEnabled: false } }));

      expect(verdict(p.identities[0])).toEqual({
        outcome: "will-create",
        via: null,
        cloudId: null,
        codes: ["CloudAddressMissing", "WillCreateDuplicate"],
      });
    });
  });

  it("two AD objects wanting one address: AttributeValueMustBeUnique naming the holder", () => {
    const other = adObject(2, {
      sAMAccountName: "reception",
      proxyAddresses: ["SMTP:reception@contoso.com", "smtp:info@contoso.com"],
    });
    const cloud = cloudUser("u1", {
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:info@contoso.com"],
    });

    const p = plan(
      desired([identity({ smtp: "info@contoso.com" })]),
      ad(alice(), other),
      entra({ users: [cloud] }),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "will-join",
      via: "smtp",
      cloudId: "u1",
      codes: ["AttributeValueMustBeUnique"],
    });
    expect(p.identities[0]?.findings[0]?.message).toContain(`'CN=reception,OU=Staff,${BASE_DN}'`);
  });

  it("an address moved between two mapped objects in the same plan is no conflict", () => {
    const bob = adObject(2, { sAMAccountName: "bjones", proxyAddresses: ["SMTP:info@contoso.com"] });
    const users = [
      cloudUser("u1", {
        userPrincipalName: "alice@contoso.onmicrosoft.com",
        proxyAddresses: ["SMTP:info@contoso.com"],
      }),
      cloudUser("u2", {
        userPrincipalName: "bob@contoso.onmicrosoft.com",
        proxyAddresses: ["SMTP:bob@contoso.com"],
      }),
    ];

    const p = plan(
      desired(
        [
          identity({ smtp: "info@contoso.com" }),
          identity({ sam: "bjones", upn: "bob@contoso.onmicrosoft.com", smtp: "bob@contoso.com" }),
        ],
        "exact",
      ),
      ad(alice(), bob),
      entra({ users }),
    );

    expect(p.identities.map(verdict)).toEqual([
      { outcome: "will-join", via: "smtp", cloudId: "u1", codes: [] },
      { outcome: "will-join", via: "smtp", cloudId: "u2", codes: [] },
    ]);
  });

  describe("hard match", () => {
    const target = cloudUser("u1", {
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:alice@contoso.com"],
    });
    const d = desired([identity({ smtp: "alice@contoso.com", match: "hard" })]);

    it("sets the immutableId and joins by anchor when takeover is allowed", () => {
      const p = plan(d, ad(alice()), entra({ users: [target] }));

      expect(verdict(p.identities[0])).toEqual({
        outcome: "will-join",
        via: "anchor",
        cloudId: "u1",
        codes: [],
      });
      expect(p.identities[0]?.changes).toContainEqual({
        target: "entra",
        objectId: "u1",
        attribute: "onPremisesImmutableId",
        add: [anchorOf(1)],
        remove: [],
      });
    });

    it("fails with InvalidHardMatch when the tenant blocks cloud object takeover", () => {
      const p = plan(
        d,
        ad(alice()),
        entra({ users: [target], features: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } }),
      );

      expect(verdict(p.identities[0])).toEqual({
        outcome: "blocked",
        via: null,
        cloudId: null,
        codes: ["InvalidHardMatch"],
      });
    });
  });

  describe("sync scope", () => {
    it("an object outside the sync scope is not synchronised", () => {
      const outside = alice({ dn: `CN=asmith,OU=Former,${BASE_DN}` });

      const p = plan(
        desired([identity({ smtp: "asmith@contoso.com" })]),
        ad(outside),
        entra({
          users: [
            cloudUser("u1", {
              userPrincipalName: "alice@contoso.onmicrosoft.com",
              proxyAddresses: ["SMTP:asmith@contoso.com"],
            }),
          ],
        }),
      );

      expect(verdict(p.identities[0])).toEqual({
        outcome: "out-of-scope",
        via: null,
        cloudId: null,
        codes: ["OutOfSyncScope"],
      });
    });

    it("a joined object outside the scope: its cloud object will be deleted", () => {
      const outside = alice({ dn: `CN=asmith,OU=Former,${BASE_DN}` });
      const cloud = cloudUser("u1", {
        userPrincipalName: "alice@contoso.onmicrosoft.com",
        onPremisesImmutableId: anchorOf(1),
        onPremisesSyncEnabled: true,
      });

      const p = plan(
        desired([identity({ smtp: "asmith@contoso.com" })]),
        ad(outside),
        entra({ users: [cloud] }),
      );

      expect(verdict(p.identities[0])).toEqual({
        outcome: "out-of-scope",
        via: null,
        cloudId: null,
        codes: ["CloudObjectWillBeDeleted"],
      });
    });
  });

  it("a contact and a mail-enabled group are matched by proxy address", () => {
    const contact = adObject(5, {
      dn: `CN=Fabrikam Support,${"OU=Staff," + BASE_DN}`,
      type: "contact",
      sAMAccountName: null,
      objectClass: ["top", "contact"],
      proxyAddresses: ["SMTP:support@fabrikam.com"],
      mail: "support@fabrikam.com",
    });
    const group = adObject(6, { sAMAccountName: "sales-team", type: "group", proxyAddresses: [] });
    const d = desired([
      identity({
        ad: { kind: "dn", dn: contact.dn },
        key: contact.dn,
        type: "contact",
        cloud: { kind: "id", id: "c1" },
        smtp: "support@fabrikam.com",
      }),
      identity({
        sam: "sales-team",
        type: "group",
        cloud: { kind: "id", id: "g1" },
        smtp: "sales@contoso.com",
      }),
    ]);

    const p = plan(
      d,
      ad(contact, group),
      entra({
        contacts: [
          cloudContact("c1", { mail: "support@fabrikam.com", proxyAddresses: ["SMTP:support@fabrikam.com"] }),
        ],
        groups: [cloudGroup("g1", { mail: "sales@contoso.com", proxyAddresses: ["SMTP:sales@contoso.com"] })],
      }),
    );

    expect(p.identities.map(verdict)).toEqual([
      { outcome: "will-join", via: "smtp", cloudId: "c1", codes: [] },
      { outcome: "will-join", via: "smtp", cloudId: "g1", codes: [] },
    ]);
  });

  it("joins another cloud object than the YAML says: will-join-other with WrongMatch", () => {
    const users = [
      cloudUser("u1", {
        userPrincipalName: "alice@contoso.onmicrosoft.com",
        proxyAddresses: ["SMTP:alice@contoso.com"],
      }),
      cloudUser("u2", {
        userPrincipalName: "alina@contoso.onmicrosoft.com",
        proxyAddresses: ["SMTP:a.smith@contoso.com"],
      }),
    ];

    const p = plan(desired([identity({ smtp: "a.smith@contoso.com" })]), ad(alice()), entra({ users }));

    expect(verdict(p.identities[0])).toEqual({
      outcome: "will-join-other",
      via: "smtp",
      cloudId: "u2",
      codes: ["WrongMatch", "CloudAddressMissing"],
    });
  });

  it("reports AD and cloud objects that do not exist", () => {
    const p = plan(
      desired([identity({ sam: "ghost", smtp: "ghost@contoso.com", upn: "nobody@contoso.onmicrosoft.com" })]),
      ad(alice()),
      entra(),
    );

    expect(verdict(p.identities[0])).toEqual({
      outcome: "blocked",
      via: null,
      cloudId: null,
      codes: ["AdObjectNotFound", "CloudObjectNotFound"],
    });
    expect(p.identities[0]?.changes).toEqual([]);
  });
});
