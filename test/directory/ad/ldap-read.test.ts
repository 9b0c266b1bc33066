/**
 * The live adapter against a real Samba AD DC: LiveState equals what was seeded, GUIDs and anchors
 * agree with what Samba's own tools print, the LDIF export of the same directory reads the same,
 * ranged attributes are followed, and single lookups are never widened by special characters.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import {
  openLdap,
  readLdifSnapshot,
  SELECTION_FILTER,
  type LdapDirectory,
} from "../../../src/directory/ad/index.js";
import type { AdObject, AdState } from "../../../src/model/directory.js";
import { inSyncScope, sourceAnchorOf } from "../../../src/plan/sync-object.js";
import { startSambaDc, type SambaDc } from "../../support/samba.js";
import {
  MANY_ALIASES,
  seedDirectory,
  SPECIAL_CN,
  SPECIAL_SAM,
  VECTOR_GUID,
  type SeededDirectory,
} from "../../support/samba-seed.js";

let dc: SambaDc;
let seeded: SeededDirectory;
let ldap: LdapDirectory;
let live: AdState;

beforeAll(async () => {
  dc = await startSambaDc();
  seeded = await seedDirectory(dc);
  ldap = await openLdap({ settings: dc.settings(), settingsDir: dc.dir, env: dc.env });
  live = await ldap.readAll();
}, 60_000);

afterAll(async () => {
  await ldap?.close();
  await dc?.stop();
});

function liveObject(dn: string): AdObject {
  const found = live.objects.find((o) => o.dn.toLowerCase() === dn.toLowerCase());
  if (!found) throw new Error(`not read: ${dn}`);
  return found;
}

/** objectGUID of every seeded object as ldbsearch prints it (text), keyed by lower-case DN. */
async function ldbGuids(): Promise<Map<string, string>> {
  const out = await dc.ldbsearch([
    "-b",
    dc.baseDN,
    "(|(objectClass=user)(objectClass=contact)(objectClass=group))",
    "objectGUID",
  ]);
  const guids = new Map<string, string>();
  for (const record of out.split(/\n\n+/)) {
    const dn = /^dn: (.*)$/m.exec(record)?.[1];
    const guid = /^objectGUID: (.*)$/m.exec(record)?.[1];
    if (dn && guid) guids.set(dn.toLowerCase(), guid);
  }
  return guids;
}

/** objectGUID / mS-DS-ConsistencyGuid as `ldapsearch -LLL` prints them (Base64 of the stored bytes). */
async function ldapsearchBase64(dn: string): Promise<{ objectGUID?: string; consistency?: string }> {
  const out = await dc.ldapsearch([
    "-o",
    "ldif-wrap=no",
    "-s",
    "base",
    "-b",
    dn,
    "(objectClass=*)",
    "objectGUID",
    "mS-DS-ConsistencyGuid",
  ]);
  return {
    objectGUID: /^objectGUID:: (.*)$/m.exec(out)?.[1],
    consistency: /^mS-DS-ConsistencyGuid:: (.*)$/m.exec(out)?.[1],
  };
}

describe("reading Samba AD", () => {
  it("reads every seeded user, contact and group with its attributes, and nothing else of the base DN", () => {
    const expected = seeded.objects.map((o) => ({
      dn: o.dn,
      type: o.type,
      sAMAccountName: o.sAMAccountName,
      userPrincipalName: o.userPrincipalName,
      mail: o.mail,
      mailNickname: o.mailNickname,
      displayName: o.displayName,
      givenName: o.givenName,
      sn: o.sn,
      proxyAddresses: o.proxyAddresses,
      consistencyGuid: o.consistencyGuid,
    }));

    const seededDns = new Set(seeded.objects.map((o) => o.dn.toLowerCase()));
    const ours = live.objects.filter((o) => seededDns.has(o.dn.toLowerCase()));
    const others = live.objects.filter((o) => !seededDns.has(o.dn.toLowerCase()));

    expect(ours).toEqual(expect.arrayContaining(expected.map((e) => expect.objectContaining(e))));
    expect(ours).toHaveLength(seeded.objects.length);
    expect(others.every((o) => /,CN=(Users|Builtin),/i.test(o.dn))).toBe(true);
    expect(live.objects.map((o) => o.dn)).not.toContain(seeded.computerDn);
  });

  it("reads in parts at once exactly what one search of the selection finds, each object once", async () => {
    const pages: { objects: string; entries: number }[] = [];
    const logged = await openLdap({
      settings: dc.settings(),
      settingsDir: dc.dir,
      env: dc.env,
      logger: {
        debug: (message, fields) => {
          if (message === "ad page read")
            pages.push({ objects: fields?.objects as string, entries: fields?.entries as number });
        },
        info: () => undefined,
        warn: () => undefined,
      },
    });
    const again = await logged.readAll();
    await logged.close();
    const printed = await dc.ldapsearch(["-o", "ldif-wrap=no", "-b", dc.baseDN, SELECTION_FILTER, "1.1"]);
    // A DN with non-ASCII characters is printed as base64 ("dn:: ").
    const searched = [...printed.matchAll(/^dn(::?) (.*)$/gm)].map(([, colons, value]) =>
      (colons === "::" ? Buffer.from(value!, "base64").toString("utf8") : value!).toLowerCase(),
    );

    const read = again.objects.map((o) => o.dn.toLowerCase());
    expect(new Set(read).size).toBe(read.length);
    expect([...read].sort()).toEqual([...searched].sort());
    expect(again).toEqual(live);
    // Users in two parts (cut at an update sequence number), contacts, groups: four searches.
    expect([...new Set(pages.map((page) => page.objects))].sort()).toEqual([
      "contacts",
      "groups",
      "users (1/2)",
      "users (2/2)",
    ]);
    const users = pages.filter((page) => page.objects.startsWith("users"));
    expect(users.reduce((sum, page) => sum + page.entries, 0)).toBe(
      again.objects.filter((o) => o.type === "user").length,
    );
  });

  it("keeps the order of proxyAddresses values, X500 and SIP included", () => {
    const bob = liveObject(`CN=Bob Jones,${seeded.staff}`);

    expect(bob.proxyAddresses).toEqual([
      "X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=bjones",
      "SIP:bob.jones@contoso.com",
      "SMTP:bob.jones@contoso.com",
    ]);
  });

  it("gives object types and objectClass as the DC stores them", () => {
    const types = Object.fromEntries(live.objects.map((o) => [o.dn, [o.type, o.objectClass.at(-1)]]));

    expect(types[`CN=Alice Smith,${seeded.staff}`]).toEqual(["user", "user"]);
    expect(types[`CN=Fabrikam Support,${seeded.shared}`]).toEqual(["contact", "contact"]);
    expect(types[`CN=Sales Team,${seeded.shared}`]).toEqual(["group", "group"]);
  });

  it("derives the source anchor from mS-DS-ConsistencyGuid: the test vector f7cc07d7-... -> 1wfM9xV8fUSHbcAbDlqeOA==", async () => {
    const alice = liveObject(`CN=Alice Smith,${seeded.staff}`);

    const printed = await ldapsearchBase64(alice.dn);

    expect(alice.consistencyGuid).toBe(VECTOR_GUID);
    expect(sourceAnchorOf(alice, "mS-DS-ConsistencyGuid")).toBe("1wfM9xV8fUSHbcAbDlqeOA==");
    expect(printed.consistency).toBe("1wfM9xV8fUSHbcAbDlqeOA==");
    expect(sourceAnchorOf(alice, "mS-DS-ConsistencyGuid")).not.toBe(printed.objectGUID);
  });

  it("agrees with ldbsearch (GUID text) and ldapsearch (Base64 of stored bytes) on every objectGUID and anchor", async () => {
    const guids = await ldbGuids();
    const withoutConsistency = live.objects.filter((o) => o.consistencyGuid === null);

    const printed = await Promise.all(withoutConsistency.map((o) => ldapsearchBase64(o.dn)));

    for (const object of live.objects) expect(object.objectGuid).toBe(guids.get(object.dn.toLowerCase()));
    expect(withoutConsistency.map((o) => sourceAnchorOf(o, "mS-DS-ConsistencyGuid"))).toEqual(
      printed.map((p) => p.objectGUID),
    );
    expect(withoutConsistency.length).toBeGreaterThan(5);
  });

  it("uses objectGUID as the anchor when the Settings say sourceAnchor: objectGUID", async () => {
    const alice = liveObject(`CN=Alice Smith,${seeded.staff}`);

    const anchor = sourceAnchorOf(alice, "objectGUID");

    expect(alice.consistencyGuid).toBe(VECTOR_GUID);
    expect(anchor).toBe((await ldapsearchBase64(alice.dn)).objectGUID);
  });

  it("marks objects outside the sync-scope OUs, comparing DNs case-insensitively", () => {
    const scope = [`ou=STAFF,${dc.baseDN.toLowerCase()}`];

    const scoped = (dn: string): boolean | undefined => {
      const object = live.objects.find((o) => o.dn === dn);
      return object && inSyncScope(object.dn, scope);
    };

    expect(scoped(`CN=Alice Smith,${seeded.staff}`)).toBe(true);
    expect(scoped(`CN=Jack Brown,${seeded.former}`)).toBe(false);
    expect(scoped(`CN=Sales Team,${seeded.shared}`)).toBe(false);
  });

  it("follows range retrieval (proxyAddresses;range=0-9, 10-19, 20-*) to every value, in order", async () => {
    const ranged = await openLdap({
      settings: dc.settings(),
      settingsDir: dc.dir,
      env: dc.env,
      rangeSize: 10,
    });

    const state = await ranged.readAll();
    const values = await ranged.readValues(`CN=Many Aliases,${seeded.staff}`);
    await ranged.close();

    const many = state.objects.find((o) => o.sAMAccountName === "many")!;
    expect(many.proxyAddresses).toHaveLength(MANY_ALIASES);
    expect(many.proxyAddresses).toEqual(
      seeded.objects.find((o) => o.sAMAccountName === "many")!.proxyAddresses,
    );
    expect(values?.proxyAddresses).toEqual(many.proxyAddresses);
    expect(state).toEqual(live);
  });

  it("reads an `ldapsearch -LLL` export of the same directory into the same LiveState", async () => {
    const attributes = ["objectClass", "sAMAccountName", "userPrincipalName", "mail", "mailNickname"].concat([
      "displayName",
      "givenName",
      "sn",
      "proxyAddresses",
      "objectGUID",
      "mS-DS-ConsistencyGuid",
      "isCriticalSystemObject",
    ]);
    const exported = await dc.ldapsearch(["-b", dc.baseDN, "(objectClass=*)", ...attributes]);
    const file = path.join(dc.dir, "export.ldif");
    writeFileSync(file, exported);

    const snapshot = await readLdifSnapshot(file);

    expect(exported).toMatch(/^ \S/m); // the export has folded lines
    expect(exported).toMatch(/^dn:: /m); // and base64 DNs
    expect(snapshot).toEqual(live);
  });
});

describe("looking up single objects", () => {
  it("finds an object by sAMAccountName, DN and GUID, each the same object", async () => {
    const alice = liveObject(`CN=Alice Smith,${seeded.staff}`);

    const bySam = await ldap.findObject({ kind: "sam", sam: "ASMITH" });
    const byDn = await ldap.findObject({ kind: "dn", dn: alice.dn.toLowerCase() });
    const byGuid = await ldap.findObject({ kind: "guid", guid: alice.objectGuid.toUpperCase() });

    expect(bySam).toEqual(alice);
    expect(byDn).toEqual({ ...alice, dn: expect.any(String) });
    expect(byGuid).toEqual(alice);
  });

  it("finds exactly the object whose name holds special characters, by sAMAccountName and by DN", async () => {
    const special = seeded.objects.find((o) => o.sAMAccountName === SPECIAL_SAM)!;

    const bySam = await ldap.findObject({ kind: "sam", sam: SPECIAL_SAM });
    const byDn = await ldap.findObject({ kind: "dn", dn: special.dn });

    expect(bySam?.dn).toBe(special.dn);
    expect(bySam?.displayName).toBe("Jörg *)(cn=* \\ Müller");
    expect(byDn?.sAMAccountName).toBe(SPECIAL_SAM);
    expect(SPECIAL_CN).toContain("*)(cn=*");
  });

  it.each([
    ["*"],
    ["*)(cn=*"],
    ["asmith)(|(sAMAccountName=*"],
    ["asmith\\"],
    ["as*"],
    ["asmith\u0000"],
    ["asmith\u0000*"],
    ["jörg*"],
    ["jörg(x)*"],
  ])("finds nothing for sAMAccountName %j: the value never widens the filter", async (sam) => {
    const found = await ldap.findObject({ kind: "sam", sam });

    expect(found).toBeNull();
  });

  it("finds nothing for a DN outside the base DN, a malformed DN or a GUID no object has", async () => {
    const results = await Promise.all([
      ldap.findObject({ kind: "dn", dn: `CN=Administrator,CN=Users,DC=elsewhere,DC=test` }),
      ldap.findObject({ kind: "dn", dn: `CN=Nobody,${seeded.staff}` }),
      ldap.findObject({ kind: "dn", dn: "CN=broken\\" }),
      ldap.findObject({ kind: "dn", dn: seeded.computerDn }),
      ldap.findObject({ kind: "guid", guid: "00000000-0000-0000-0000-000000000000" }),
      ldap.findObject({ kind: "guid", guid: "*" }),
    ]);

    expect(results).toEqual([null, null, null, null, null, null]);
  });
});
