/**
 * Compare-and-set writes against a real Samba AD DC: one modify per object, deletes naming the old
 * values, other proxy address types untouched, a concurrent change refused as a conflict with the
 * other writer's value kept, and a new connection after the old one was lost.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { openLdap, type LdapDirectory } from "../../../src/directory/ad/index.js";
import { startSambaDc, type SambaDc } from "../../support/samba.js";
import { seedDirectory, SPECIAL_SAM, type SeededDirectory } from "../../support/samba-seed.js";
import { startTcpProxy } from "../../support/tcp-proxy.js";

let dc: SambaDc;
let seeded: SeededDirectory;
let ldap: LdapDirectory;

beforeAll(async () => {
  dc = await startSambaDc();
  seeded = await seedDirectory(dc);
  ldap = await openLdap({ settings: dc.settings(), settingsDir: dc.dir, env: dc.env });
}, 60_000);

afterAll(async () => {
  await ldap?.close();
  await dc?.stop();
});

function dnOf(sam: string): string {
  return seeded.objects.find((o) => o.sAMAccountName === sam)!.dn;
}

/** proxyAddresses and mail as ldapsearch shows them: a reader independent of the adapter. */
async function shown(dn: string): Promise<{ proxyAddresses: string[]; mail: string[] }> {
  const out = await dc.ldapsearch([
    "-o",
    "ldif-wrap=no",
    "-s",
    "base",
    "-b",
    dn,
    "(objectClass=*)",
    "proxyAddresses",
    "mail",
  ]);
  const values = (name: string): string[] =>
    [...out.matchAll(new RegExp(`^${name}(::?) (.*)$`, "gm"))].map((m) =>
      m[1] === "::" ? Buffer.from(m[2]!, "base64").toString("utf8") : m[2]!,
    );
  return { proxyAddresses: values("proxyAddresses"), mail: values("mail") };
}

function ldifDn(dn: string): string {
  return `dn:: ${Buffer.from(dn, "utf8").toString("base64")}`;
}

describe("writing addresses to Samba AD", () => {
  it("changes SMTP values in one modify and keeps the X500 and SIP values", async () => {
    const dn = dnOf("bjones");

    const outcome = await ldap.writeAddresses(dn, {
      proxyAddresses: {
        remove: ["SMTP:bob.jones@contoso.com"],
        add: ["SMTP:robert.jones@contoso.com", "smtp:bob.jones@contoso.com"],
      },
      mail: { expected: "bob.jones@contoso.com", next: "robert.jones@contoso.com" },
    });

    expect(outcome).toEqual({ status: "applied" });
    const after = await shown(dn);
    expect([...after.proxyAddresses].sort()).toEqual(
      [
        "X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=bjones",
        "SIP:bob.jones@contoso.com",
        "SMTP:robert.jones@contoso.com",
        "smtp:bob.jones@contoso.com",
      ].sort(),
    );
    expect(after.mail).toEqual(["robert.jones@contoso.com"]);
  });

  it("swaps the primary: smtp:x becomes SMTP:x although AD matches the two alike", async () => {
    const dn = dnOf("asmith");

    const outcome = await ldap.writeAddresses(dn, {
      proxyAddresses: {
        remove: ["SMTP:alice.smith@contoso.com", "smtp:asmith@contoso.com"],
        add: ["smtp:alice.smith@contoso.com", "SMTP:asmith@contoso.com"],
      },
    });

    expect(outcome).toEqual({ status: "applied" });
    expect((await ldap.readValues(dn))?.proxyAddresses.filter((v) => /^smtp:/i.test(v)).sort()).toEqual([
      "SMTP:asmith@contoso.com",
      "smtp:alice.smith@contoso.com",
    ]);
  });

  it("refuses the whole modify when another writer changed a value in between; the other value survives", async () => {
    const dn = dnOf(SPECIAL_SAM);
    const planned = await ldap.readValues(dn);
    await dc.ldapModify(
      [
        ldifDn(dn),
        "changetype: modify",
        "delete: proxyAddresses",
        "proxyAddresses: SMTP:joerg@contoso.com",
        "-",
        "add: proxyAddresses",
        "proxyAddresses: SMTP:joerg.other@contoso.com",
        "-",
        "",
      ].join("\n"),
    );

    const outcome = await ldap.writeAddresses(dn, {
      proxyAddresses: { remove: ["SMTP:joerg@contoso.com"], add: ["SMTP:joerg.new@contoso.com"] },
      mail: { expected: "joerg@contoso.com", next: "joerg.new@contoso.com" },
    });

    expect(planned?.proxyAddresses).toContain("SMTP:joerg@contoso.com");
    expect(outcome.status).toBe("conflict");
    expect(outcome).toEqual({ status: "conflict", message: expect.stringContaining(dn) });
    const after = await shown(dn);
    expect(after.proxyAddresses).toContain("SMTP:joerg.other@contoso.com");
    expect(after.proxyAddresses).not.toContain("SMTP:joerg.new@contoso.com");
    expect(after.mail).toEqual(["joerg@contoso.com"]);
  });

  it("sets mail compare-and-set: added when it was empty, a conflict when someone set it first", async () => {
    const dn = dnOf("eadams");

    const first = await ldap.writeAddresses(dn, { mail: { expected: null, next: "eve.adams@contoso.com" } });
    const second = await ldap.writeAddresses(dn, { mail: { expected: null, next: "eve@contoso.com" } });
    const third = await ldap.writeAddresses(dn, {
      mail: { expected: "someone.else@contoso.com", next: "eve@contoso.com" },
    });

    expect(first).toEqual({ status: "applied" });
    expect(second.status).toBe("conflict");
    expect(third.status).toBe("conflict");
    expect((await shown(dn)).mail).toEqual(["eve.adams@contoso.com"]);
  });

  it("never removes a non-SMTP value, and writes nothing when asked to", async () => {
    const dn = dnOf("many");
    const x500 = (await ldap.readValues(dn))!.proxyAddresses.find((v) => v.startsWith("X500:"))!;

    const outcome = await ldap.writeAddresses(dn, {
      proxyAddresses: { remove: [x500, "smtp:many0@contoso.com"], add: [] },
    });

    expect(outcome).toEqual({ status: "failed", message: expect.stringContaining("only removes SMTP") });
    expect((await shown(dn)).proxyAddresses).toEqual(
      expect.arrayContaining([x500, "smtp:many0@contoso.com"]),
    );
  });

  it("reports a vanished object as failed, and readValues gives null for it", async () => {
    const dn = `CN=Nobody,${seeded.staff}`;

    const outcome = await ldap.writeAddresses(dn, {
      proxyAddresses: { remove: [], add: ["smtp:nobody@contoso.com"] },
    });
    const values = await ldap.readValues(dn);

    expect(outcome).toEqual({ status: "failed", message: expect.stringContaining("no longer exists") });
    expect(values).toBeNull();
  });

  it("creates an object with one add, and reports an existing DN as a conflict", async () => {
    const dn = `CN=New Hire,${seeded.staff}`;
    const attributes = {
      objectClass: ["user"],
      sAMAccountName: ["newhire"],
      proxyAddresses: ["SMTP:new.hire@contoso.com"],
      mail: ["new.hire@contoso.com"],
    };

    const first = await ldap.createObject(dn, attributes);
    const second = await ldap.createObject(dn, attributes);

    expect(first).toEqual({ status: "applied" });
    expect(second.status).toBe("conflict");
    expect(await ldap.readValues(dn)).toEqual({
      proxyAddresses: ["SMTP:new.hire@contoso.com"],
      mail: "new.hire@contoso.com",
    });
  });

  it("connects again after the connection was lost, so a rerun converges", async () => {
    const proxy = await startTcpProxy({ host: dc.ip, port: 636 });
    const viaProxy = await openLdap({
      settings: dc.settings({ url: `ldaps://${dc.ip}:${proxy.port}` }),
      settingsDir: dc.dir,
      env: dc.env,
    });
    const dn = dnOf("sales-team");
    const write = { proxyAddresses: { remove: [], add: ["smtp:sales.emea@contoso.com"] } };
    proxy.cutAfter(0);

    const lost = await viaProxy.writeAddresses(dn, write).then(
      (o) => `no error: ${JSON.stringify(o)}`,
      (error: Error) => error.message,
    );
    const rerun = await viaProxy.writeAddresses(dn, write);
    await viaProxy.close();
    await proxy.close();

    expect(lost).toMatch(/modifying .* failed: the connection was/);
    expect(rerun).toEqual({ status: "applied" });
    expect((await shown(dn)).proxyAddresses).toContain("smtp:sales.emea@contoso.com");
  });
});
