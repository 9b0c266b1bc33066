/** One scenario per rule of DESIGN.md 2b (groups and contacts, mailboxes, today's sync errors, the recycle bin). */
import { describe, expect, it } from "@jest/globals";

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
import { DOMAINS, alice, aliceCloud, aliceYaml, exchange, plan, verdict } from "./connect-fixtures.js";

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
