/**
 * `idanchor export ad` against a real Samba AD DC: the file reads back into the LiveState the live
 * adapter reads, is what `ldapsearch -LLL` prints for the same search, and comes from a paged read.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { openLdap, readLdifSnapshot, SELECTION_FILTER } from "../../../src/directory/ad/index.js";
import { AD_ATTRIBUTES } from "../../../src/directory/ad/to-ad-object.js";
import type { AdState } from "../../../src/model/directory.js";
import { runCli } from "../../support/cli.js";
import { tempDir } from "../../support/files.js";
import { startSambaDc, type SambaDc } from "../../support/samba.js";
import { seedBulkContacts, seedDirectory } from "../../support/samba-seed.js";

/** Above AD's MaxPageSize (1000): a complete export needs a second page. */
const BULK = 1_100;

let dc: SambaDc;
let work: ReturnType<typeof tempDir>;
let live: AdState;

beforeAll(async () => {
  dc = await startSambaDc();
  await seedDirectory(dc);
  await seedBulkContacts(dc, `OU=Bulk,${dc.baseDN}`, BULK);
  // One value long enough to fold over several lines.
  await dc.ldapModify(
    `dn: CN=Long X500,OU=Shared,${dc.baseDN}\nobjectClass: contact\nmail: long@fabrikam.com\n` +
      `proxyAddresses: SMTP:long@fabrikam.com\nproxyAddresses: X500:/o=Fabrikam/${"ou=Unit,".repeat(30)}cn=long\n`,
  );
  work = tempDir({
    "identities/settings.yaml": `kind: Settings
activeDirectory:
  url: ${dc.url}
  baseDN: ${dc.baseDN}
  syncScope: ["OU=Staff,${dc.baseDN}", "OU=Shared,${dc.baseDN}"]
  caFile: ${dc.caFile}
entra:
  tenantId: 4f2b9a1c-6d0e-4c3b-9a57-2f1e8d7c6b5a
  clientId: 9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
`,
  });
  const ldap = await openLdap({ settings: dc.settings(), settingsDir: dc.dir, env: dc.env });
  live = await ldap.readAll();
  await ldap.close();
}, 120_000);

afterAll(async () => {
  await dc?.stop();
  work?.remove();
});

describe("idanchor export ad", () => {
  it("writes an LDIF that the snapshot reader reads into the live adapter's state", async () => {
    const run = await runCli(["export", "ad", "--out", "ad.ldif"], { cwd: work.dir, env: dc.env });

    expect(run).toMatchObject({ code: 0, stdout: "" });
    expect(run.stderr).toBe(
      `idanchor: wrote ad.ldif: ${live.objects.length} users, contacts and groups under ${dc.baseDN}\n`,
    );
    const snapshot = await readLdifSnapshot(path.join(work.dir, "ad.ldif"));
    expect(snapshot).toEqual(live);
    expect(live.objects.length).toBeGreaterThan(BULK);
  });

  it("writes what ldapsearch -LLL prints for the same selection, byte for byte, each object once", async () => {
    await runCli(["export", "ad", "--out", "same.ldif"], { cwd: work.dir, env: dc.env });

    const output = await dc.ldapsearch([
      "-E",
      "pr=1000/noprompt",
      "-b",
      dc.baseDN,
      SELECTION_FILTER,
      ...AD_ATTRIBUTES,
    ]);
    // Even with -LLL a paged ldapsearch prints "# pagedresults" and "# ref..." comments; the entries are what count.
    const printed = output.replace(/^#.*\n\n?/gm, "");

    const ours = readFileSync(path.join(work.dir, "same.ldif"), "utf8");
    expect(ours).toMatch(/^ \S.*\n \S/m); // a value folded over three lines
    expect(ours).toMatch(/^objectGUID:: /m); // binary values as base64
    // The selection is read in parts at once (users, contacts, groups), so the records come in
    // another order than one search gives; each is the same, byte for byte, and none is missing or twice.
    const records = (text: string): string[] => text.split(/\n\n(?=dn)/).map((r) => r.trimEnd());
    const written = records(ours);
    expect(written.length).toBeGreaterThan(BULK);
    expect(new Set(written).size).toBe(written.length);
    expect([...written].sort()).toEqual(records(printed).sort());
  });

  it("reads page by page, and says so with --verbose (and only then)", async () => {
    const quiet = await runCli(["export", "ad", "--out", "quiet.ldif"], { cwd: work.dir, env: dc.env });
    const verbose = await runCli(["export", "ad", "--out", "verbose.ldif", "--verbose"], {
      cwd: work.dir,
      env: dc.env,
    });

    expect(quiet.stderr).not.toContain("ad page read");
    // The contacts are a part of their own (BULK of them): a full page, then the rest.
    expect(verbose.stderr).toContain(
      "idanchor: ad page read (objects=contacts, page=1, entries=1000, pageSize=1000)\n",
    );
    expect(verbose.stderr).toMatch(
      /idanchor: ad page read \(objects=contacts, page=2, entries=\d+, pageSize=1000\)\n/,
    );
    expect(verbose.stderr).toMatch(/idanchor: ad page read \(objects=users \(1\/2\), page=1, entries=\d+/);
  });

  it("names the DC and writes nothing when the bind fails", async () => {
    writeFileSync(path.join(work.dir, "keep.ldif"), "dn: CN=x\n\n");

    const run = await runCli(["export", "ad", "--out", "keep.ldif"], {
      cwd: work.dir,
      env: { ...dc.env, IDANCHOR_AD_PASSWORD: "wrong" },
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`to ${dc.url} was refused: invalid credentials`);
    expect(readFileSync(path.join(work.dir, "keep.ldif"), "utf8")).toBe("dn: CN=x\n\n");
  });
});
