/**
 * LDIF inputs that never lie: a truncated search is a failed read (exit 1), search references are
 * skipped, an empty export is refused, entries outside baseDN are left out as the live reader does.
 */
import path from "node:path";

import { describe, expect, it } from "@jest/globals";

import { readLdifSnapshot } from "../../../src/directory/ad/index.js";
import type { ActiveDirectorySettings } from "../../../src/desired/settings.js";
import { InputError } from "../../../src/model/errors.js";
import { runCli } from "../../support/cli.js";
import { workspaces } from "../../support/files.js";

const workspace = workspaces();

const settings: ActiveDirectorySettings = {
  url: "ldaps://dc01.corp.contoso.com",
  baseDN: "DC=corp,DC=contoso,DC=com",
  syncScope: ["OU=Staff,DC=corp,DC=contoso,DC=com"],
  sourceAnchor: "mS-DS-ConsistencyGuid",
  caFile: null,
  startTls: false,
  allowInsecure: false,
  bindDnEnv: "IDANCHOR_AD_BIND_DN",
  passwordEnv: "IDANCHOR_AD_PASSWORD",
};

const USER = (cn: string, base = "OU=Staff,DC=corp,DC=contoso,DC=com"): string =>
  `dn: CN=${cn},${base}\nobjectClass: user\nsAMAccountName: ${cn.toLowerCase()}\nmail: ${cn.toLowerCase()}@contoso.com\nobjectGUID:: ySSAUD64/F2iR8srQQtEbw==\n`;

/** What `ldapsearch -L` (one L) prints after the entries. */
const TRAILER = (result: string): string =>
  `\n# search result\nsearch: 2\nresult: ${result}\n\n# numResponses: 2\n`;

async function read(content: string) {
  const dir = workspace({ "ad.ldif": content });
  return readLdifSnapshot(path.join(dir, "ad.ldif"), { baseDN: settings.baseDN });
}

async function refusal(content: string): Promise<InputError> {
  try {
    await read(content);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("read without error");
}

describe("the trailing result: line", () => {
  it("reads an export that ends with result: 0 Success", async () => {
    const state = await read(USER("Alice") + TRAILER("0 Success"));

    expect(state.objects.map((o) => o.sAMAccountName)).toEqual(["alice"]);
  });

  it("refuses one that ends with result: 4 Size limit exceeded, at its line, naming the code", async () => {
    const error = await refusal(USER("Alice") + TRAILER("4 Size limit exceeded"));

    expect(error.position?.line).toBe(9);
    expect(error.message).toMatch(
      /^the search that wrote this export ended with "result: 4 Size limit exceeded", so the export is incomplete/,
    );
    expect(error.message).toContain("ldapsearch -E pr=1000/noprompt");
  });

  it("makes hygiene exit 1 naming the file and the code, and write nothing", async () => {
    const dir = workspace({
      "identities/settings.yaml": `kind: Settings\nactiveDirectory:\n  url: ldaps://dc01.corp.contoso.com\n  baseDN: DC=corp,DC=contoso,DC=com\n  syncScope: ["OU=Staff,DC=corp,DC=contoso,DC=com"]\nentra:\n  tenantId: 4f2b9a1c-6d0e-4c3b-9a57-2f1e8d7c6b5a\n  clientId: 9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\n`,
      "ad.ldif": USER("Alice") + TRAILER("4 Size limit exceeded"),
    });

    const run = await runCli(["hygiene", "--ad-snapshot", "ad.ldif"], { cwd: dir });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^idanchor: ad\.ldif:9: the search that wrote this export ended with "result: 4 Size limit exceeded"/,
    );
    expect(run.stdout).toBe("");
  });
});

describe("search references and empty exports", () => {
  it("skips ref: search references, as a search at the forest root prints them", async () => {
    const refs =
      "# search reference\nref: ldap://ForestDnsZones.corp.contoso.com/DC=ForestDnsZones,DC=corp,DC=contoso,DC=com\n\n" +
      "# search reference\nref: ldap://DomainDnsZones.corp.contoso.com/DC=DomainDnsZones,DC=corp,DC=contoso,DC=com\n\n";

    const state = await read(USER("Alice") + "\n" + refs + TRAILER("0 Success"));

    expect(state.objects.map((o) => o.sAMAccountName)).toEqual(["alice"]);
  });

  it("refuses an empty export instead of reading an empty directory", async () => {
    const error = await refusal("");

    expect(error.message).toMatch(/^the AD snapshot holds no entries/);
  });

  it("leaves out entries outside baseDN, as the live reader's search does", async () => {
    const state = await read(`${USER("Alice")}\n${USER("Bob", "OU=Staff,DC=other,DC=com")}`);

    expect(state.objects.map((o) => o.sAMAccountName)).toEqual(["alice"]);
  });
});
