/**
 * `ad: {create: ...}` against a real Samba AD DC: plan -> apply (LdapDirectory) -> plan for a user, a
 * contact and a group; a second apply creates nothing; a taken sAMAccountName and an OU outside the
 * sync scope are refused before anything is written.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { applyPlan } from "../../src/apply/apply-plan.js";
import type { ApplyPorts } from "../../src/model/ports.js";
import type { AdRef, CreateSpec, DesiredIdentity, DesiredState } from "../../src/desired/types.js";
import { escapeDnValue } from "../../src/model/dn.js";
import { openLdap } from "../../src/directory/ad/index.js";
import type { LdapDirectory } from "../../src/directory/ad/index.js";
import type { EntraState } from "../../src/model/directory.js";
import { buildPlan } from "../../src/plan/index.js";
import type { Plan } from "../../src/plan/index.js";
import { cloudContact, cloudGroup, cloudUser, entra, identity, settings } from "../plan/builders.js";
import { startSambaDc } from "../support/samba.js";
import type { SambaDc } from "../support/samba.js";

const CONTACT_ID = "5d1c3b2a-8e7f-4d6c-9b5a-0f1e2d3c4b5a";
const GROUP_ID = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";

const EVERY_OBJECT = "(|(objectClass=user)(objectClass=contact)(objectClass=group))";

let dc: SambaDc;
let staff: string;
let shared: string;
let former: string;

const cloud: EntraState = entra({
  users: [
    cloudUser("c-carol", {
      userPrincipalName: "carol@idanchor.onmicrosoft.com",
      proxyAddresses: ["SMTP:carol.diaz@idanchor.test"],
    }),
    cloudUser("c-taken", {
      userPrincipalName: "taken@idanchor.onmicrosoft.com",
      proxyAddresses: ["SMTP:taken@idanchor.test"],
    }),
    cloudUser("c-far", {
      userPrincipalName: "far@idanchor.onmicrosoft.com",
      proxyAddresses: ["SMTP:far.away@idanchor.test"],
    }),
  ],
  contacts: [cloudContact(CONTACT_ID, { proxyAddresses: ["SMTP:support@fabrikam.example"] })],
  groups: [cloudGroup(GROUP_ID, { proxyAddresses: ["SMTP:sales@idanchor.test"] })],
});

function createRef(ou: string, spec: Omit<CreateSpec, "ou">): AdRef {
  return { kind: "create", dn: `CN=${escapeDnValue(spec.cn)},${ou}`, spec: { ou, ...spec } };
}

const none = { givenName: null, sn: null, displayName: null, userPrincipalName: null };

/** A user whose cn needs escaping in the DN (comma) and is not ASCII. */
function carol(ou = staff): DesiredIdentity {
  return identity({
    sam: "cdiaz",
    upn: "carol@idanchor.onmicrosoft.com",
    smtp: "carol.diaz@idanchor.test",
    aliases: ["cdiaz@idanchor.test"],
    ad: createRef(ou, {
      sAMAccountName: "cdiaz",
      cn: "Díaz, Carol",
      givenName: "Carol",
      sn: "Díaz",
      displayName: "Carol Díaz",
      userPrincipalName: "cdiaz@idanchor.test",
    }),
  });
}

function contact(): DesiredIdentity {
  const ad = createRef(`OU=Contacts,${shared}`, { ...none, sAMAccountName: null, cn: "Fabrikam Support" });
  return {
    ...identity({ sam: "fabrikam", smtp: "support@fabrikam.example", ad, type: "contact" }),
    key: ad.kind === "create" ? ad.dn : "",
    cloud: { kind: "id", id: CONTACT_ID },
  };
}

function group(): DesiredIdentity {
  return {
    ...identity({
      sam: "sales-team",
      smtp: "sales@idanchor.test",
      type: "group",
      ad: createRef(`OU=Groups,${shared}`, {
        ...none,
        sAMAccountName: "sales-team",
        cn: "Sales Team",
        displayName: "Sales Team",
      }),
    }),
    cloud: { kind: "id", id: GROUP_ID },
  };
}

function desiredOf(identities: DesiredIdentity[]): DesiredState {
  return {
    settings: { ...settings(), activeDirectory: dc.settings() },
    settingsSource: { file: "identities/settings.yaml", line: 1, column: 1 },
    identities,
  };
}

async function connect(): Promise<LdapDirectory> {
  return openLdap({ settings: dc.settings(), settingsDir: dc.dir, env: dc.env });
}

async function planFor(identities: DesiredIdentity[]): Promise<Plan> {
  const ldap = await connect();
  try {
    const desired = desiredOf(identities);
    return buildPlan(desired, await ldap.readAll(), cloud);
  } finally {
    await ldap.close();
  }
}

/** AD only: creations need no Entra write, so the Entra port must never be called. */
async function apply(plan: Plan) {
  const ldap = await connect();
  const never = (): never => {
    throw new Error("no Entra change was planned");
  };
  const ports: ApplyPorts = { ad: ldap, entra: { readImmutableIds: never, writeImmutableIds: never } };
  return applyPlan(plan, ports, { concurrency: 4, now: () => new Date(), commit: null })
    .then((result) => result.receipt)
    .finally(() => ldap.close());
}

/** `attr: value` lines of one object, read back with ldapsearch (base64 values decoded). */
async function readBack(dn: string, attributes: string[]): Promise<Record<string, string[]>> {
  const out = await dc.ldapsearch(["-b", dn, "-s", "base", "(objectClass=*)", ...attributes]).catch(() => "");
  const values: Record<string, string[]> = {};
  for (const line of out.replace(/\n /g, "").split("\n")) {
    const match = /^([A-Za-z-]+)(::?) (.*)$/.exec(line);
    if (!match || match[1] === "dn") continue;
    const value = match[2] === "::" ? Buffer.from(match[3]!, "base64").toString("utf8") : match[3]!;
    (values[match[1]!] ??= []).push(value);
  }
  return values;
}

async function count(filter: string): Promise<number> {
  const out = await dc.ldapsearch(["-b", dc.baseDN, filter, "1.1"]);
  return out.split("\n").filter((l) => l.startsWith("dn:")).length;
}

beforeAll(async () => {
  dc = await startSambaDc();
  staff = `OU=Staff,${dc.baseDN}`;
  shared = `OU=Shared,${dc.baseDN}`;
  former = `OU=Former,${dc.baseDN}`;
  await dc.ldapModify(
    [
      ...[staff, shared, former, `OU=Contacts,${shared}`, `OU=Groups,${shared}`].map(
        (ou) => `dn: ${ou}\nobjectClass: organizationalUnit\n`,
      ),
      `dn: CN=Someone Else,${staff}\nobjectClass: user\nsAMAccountName: taken\n`,
    ].join("\n"),
  );
}, 120_000);

afterAll(async () => {
  await dc?.stop();
});

describe("creating on-prem objects against Samba AD", () => {
  it("plan -> apply -> plan: user (disabled), contact and group created with the planned addresses; a second apply skips them; the second plan is clean", async () => {
    const identities = [carol(), contact(), group()];
    const first = await planFor(identities);

    const receipt = await apply(first);
    const objects = await count(EVERY_OBJECT);
    const second = await apply(first);
    const again = await planFor(identities);
    const user = await readBack(first.identities[0]!.dn!, [
      "userAccountControl",
      "sAMAccountName",
      "userPrincipalName",
      "givenName",
      "sn",
      "displayName",
      "mail",
      "proxyAddresses",
      "pwdLastSet",
    ]);
    const fabrikam = await readBack(first.identities[1]!.dn!, ["objectClass", "mail", "proxyAddresses"]);
    const sales = await readBack(first.identities[2]!.dn!, [
      "groupType",
      "sAMAccountName",
      "mail",
      "proxyAddresses",
    ]);

    expect(first.identities.map((i) => [i.outcome, i.changes.map((c) => c.attribute)])).toEqual([
      ["will-join", ["objectClass", "proxyAddresses", "mail"]],
      ["will-join", ["objectClass", "proxyAddresses", "mail"]],
      ["will-join", ["objectClass", "proxyAddresses", "mail"]],
    ]);
    expect(receipt.objects.map((o) => [o.key, o.result, o.error])).toEqual([
      ["cdiaz", "applied", null],
      [`CN=Fabrikam Support,OU=Contacts,${shared}`, "applied", null],
      ["sales-team", "applied", null],
    ]);
    expect(user).toEqual({
      // ACCOUNTDISABLE | NORMAL_ACCOUNT, and no password ever set.
      userAccountControl: ["514"],
      pwdLastSet: ["0"],
      sAMAccountName: ["cdiaz"],
      userPrincipalName: ["cdiaz@idanchor.test"],
      givenName: ["Carol"],
      sn: ["Díaz"],
      displayName: ["Carol Díaz"],
      mail: ["carol.diaz@idanchor.test"],
      proxyAddresses: expect.arrayContaining(["SMTP:carol.diaz@idanchor.test", "smtp:cdiaz@idanchor.test"]),
    });
    expect(user.proxyAddresses).toHaveLength(2);
    expect(fabrikam).toEqual({
      objectClass: ["top", "person", "organizationalPerson", "contact"],
      mail: ["support@fabrikam.example"],
      proxyAddresses: ["SMTP:support@fabrikam.example"],
    });
    expect(sales).toEqual({
      groupType: ["8"],
      sAMAccountName: ["sales-team"],
      mail: ["sales@idanchor.test"],
      proxyAddresses: ["SMTP:sales@idanchor.test"],
    });
    expect(second.objects.map((o) => [o.result, o.error])).toEqual([
      ["skipped", "already created as planned"],
      ["skipped", "already created as planned"],
      ["skipped", "already created as planned"],
    ]);
    expect(await count(EVERY_OBJECT)).toBe(objects);
    expect(again.summary.changes).toBe(0);
    expect(again.identities.map((i) => [i.key, i.outcome, i.via, i.cloudId])).toEqual([
      ["cdiaz", "will-join", "smtp", "c-carol"],
      [`CN=Fabrikam Support,OU=Contacts,${shared}`, "will-join", "smtp", CONTACT_ID],
      ["sales-team", "will-join", "smtp", GROUP_ID],
    ]);
    expect(again.identities.flatMap((i) => i.findings.map((f) => f.code))).not.toContain(
      "ObjectWillBeCreated",
    );
  });

  it("refuses a sAMAccountName another object holds (AdObjectExists, naming it) and writes nothing", async () => {
    const taken = {
      ...carol(),
      key: "taken",
      ad: createRef(staff, { ...none, sAMAccountName: "taken", cn: "Tina Ken" }),
      smtp: "taken@idanchor.test",
      aliases: [],
      cloud: { kind: "upn" as const, upn: "taken@idanchor.onmicrosoft.com" },
    };
    const plan = await planFor([taken]);

    const receipt = await apply(plan);

    const only = plan.identities[0]!;
    expect([only.outcome, only.changes]).toEqual(["blocked", []]);
    expect(only.findings.filter((f) => f.code === "AdObjectExists").map((f) => f.message)).toEqual([
      expect.stringContaining(`CN=Someone Else,${staff}`),
    ]);
    expect(receipt.objects).toEqual([]);
    expect(await readBack(`CN=Tina Ken,${staff}`, ["cn"])).toEqual({});
    expect(await count("(sAMAccountName=taken)")).toBe(1);
  });

  it("reports OutOfSyncScope for an OU outside the sync scope and creates nothing", async () => {
    const outside = carol(former);
    const plan = await planFor([
      {
        ...outside,
        key: "cdiaz2",
        ad: createRef(former, { ...none, sAMAccountName: "cdiaz2", cn: "Carol Two" }),
      },
    ]);

    const receipt = await apply(plan);

    const only = plan.identities[0]!;
    expect(only.outcome).toBe("out-of-scope");
    expect(only.findings.filter((f) => f.severity === "error").map((f) => f.code)).toEqual([
      "OutOfSyncScope",
    ]);
    expect(receipt.objects.map((o) => [o.result, o.error])).toEqual([
      ["skipped", "not written: blocking findings (OutOfSyncScope)"],
    ]);
    expect(await readBack(`CN=Carol Two,${former}`, ["cn"])).toEqual({});
    expect(await count("(sAMAccountName=cdiaz2)")).toBe(0);
  });
});
