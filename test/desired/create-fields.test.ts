/**
 * `ad: create:` fields pass the rules `hygiene` applies to AD, each bad field its own finding
 * naming the field and the rule; typos inside `ad:` name the real field with a "did you mean".
 */
import { describe, expect, it } from "@jest/globals";

import { loadDesiredState } from "../../src/desired/index.js";
import { runCli } from "../support/cli.js";
import { workspaces } from "../support/files.js";

const workspace = workspaces();

const SETTINGS = `kind: Settings
activeDirectory:
  url: ldaps://dc01.corp.contoso.com
  baseDN: DC=corp,DC=contoso,DC=com
  syncScope: ["OU=Staff,DC=corp,DC=contoso,DC=com"]
entra:
  tenantId: 4f2b9a1c-6d0e-4c3b-9a57-2f1e8d7c6b5a
  clientId: 9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
`;

const OU = '"OU=Staff,DC=corp,DC=contoso,DC=com"';

function entry(ad: string, n: number): string {
  return `  - ad: ${ad}\n    cloud: user${n}@contoso.onmicrosoft.com\n    smtp: user${n}@contoso.com\n`;
}

async function findings(...ads: string[]): Promise<string[]> {
  const dir = workspace({
    "identities/settings.yaml": SETTINGS,
    "identities/map.yaml": `kind: IdentityMap\nidentities:\n${ads.map(entry).join("")}`,
  });
  const result = await loadDesiredState("identities", dir);
  return result.findings.map((f) => `${f.line} ${f.severity} ${f.code} ${f.message}`);
}

describe("create fields", () => {
  it("refuses the UPNs the issue names: nina&baker@..., niña@... and 114 characters, each with field and rule", async () => {
    const long = `${"a".repeat(64)}@${"b".repeat(45)}.com`;

    const found = await findings(
      `{create: {ou: ${OU}, sAMAccountName: nbaker, userPrincipalName: "nina&baker@contoso.com"}}`,
      `{create: {ou: ${OU}, sAMAccountName: nina, userPrincipalName: "niña@contoso.com"}}`,
      `{create: {ou: ${OU}, sAMAccountName: long, userPrincipalName: "${long}"}}`,
    );

    expect(long).toHaveLength(114);
    expect(found).toEqual([
      expect.stringMatching(
        /^3 error InvalidCreate identities\[0\]\.ad\.create\.userPrincipalName: 'nina&baker@contoso\.com' has '&'; .*\(rule InvalidCharacter\).*use e\.g\. 'ninabaker@contoso\.com'$/,
      ),
      expect.stringMatching(
        /^6 error InvalidCreate identities\[1\]\.ad\.create\.userPrincipalName: 'niña@contoso\.com' has 'ñ'; .*\(rule InvalidCharacter\).*use e\.g\. 'nina@contoso\.com'$/,
      ),
      expect.stringMatching(
        /^9 error InvalidCreate identities\[2\]\.ad\.create\.userPrincipalName: '.*' has 114 characters; at most 113 are allowed \(rule TooLong\)/,
      ),
      expect.stringMatching(
        /^9 error InvalidCreate .* has 49 characters after '@'; at most 48 are allowed \(rule TooLong\)/,
      ),
    ]);
  });

  it("warns, without refusing, about a UPN suffix that cannot be routed", async () => {
    const found = await findings(
      `{create: {ou: ${OU}, sAMAccountName: ohassan, userPrincipalName: ohassan@corp.local}}`,
    );

    expect(found).toEqual([
      expect.stringMatching(
        /^3 warning InvalidCreate .*userPrincipalName: 'ohassan@corp.local' is on 'corp.local'.*\(rule NonRoutableDomain\)/,
      ),
    ]);
  });

  it("accepts valid create fields", async () => {
    expect(
      await findings(
        `{create: {ou: ${OU}, sAMAccountName: o.brien, userPrincipalName: "o'brien@contoso.com"}}`,
      ),
    ).toEqual([]);
  });

  it("names the field of a bad sAMAccountName instead of 'must be a sAMAccountName string, ... not a mapping'", async () => {
    const found = await findings(`{create: {ou: ${OU}, sAMAccountName: a.very.long.sam.account}}`);

    expect(found).toEqual([
      expect.stringMatching(
        /^3 error SchemaViolation identities\[0\]\.ad\.create\.sAMAccountName: "a\.very\.long\.sam\.account" is not users and groups: at most 20 characters/,
      ),
    ]);
  });
});

describe("typos inside ad:", () => {
  it("says which key was meant, or which keys there are", async () => {
    const found = await findings(
      `{create: {ou: ${OU}, sAMAccountName: gg, givenname: G}}`,
      `{DN: "CN=x,OU=Staff,DC=corp,DC=contoso,DC=com"}`,
      "{guid: not-a-guid}",
      `{create: {ou: ${OU}, sAMAccountName: zz, userAccountControl: 512}}`,
    );

    expect(found).toEqual([
      expect.stringMatching(
        /identities\[0\]\.ad\.create: unknown key 'givenname' \(did you mean 'givenName'\?\)$/,
      ),
      expect.stringMatching(
        /identities\[1\]\.ad: unknown key 'DN' \(did you mean 'dn'\?\); must be a sAMAccountName string/,
      ),
      expect.stringMatching(/identities\[2\]\.ad\.guid: "not-a-guid" is not a GUID such as /),
      expect.stringMatching(
        /identities\[3\]\.ad\.create: unknown key 'userAccountControl' \(allowed keys: ou, sAMAccountName, cn, givenName, sn, displayName, userPrincipalName\)$/,
      ),
    ]);
  });

  it("still gives the general form for a value of the wrong type", async () => {
    expect(await findings("[a, b]")).toEqual([
      expect.stringMatching(
        /identities\[0\]\.ad: must be a sAMAccountName string, \{dn: \.\.\.\}, \{guid: \.\.\.\} or \{create: \{\.\.\.\}\}, not a list$/,
      ),
    ]);
  });
});

describe("plan applies the same rules", () => {
  it("refuses to plan with a bad create field, naming field and rule", async () => {
    const dir = workspace({
      "identities/settings.yaml": SETTINGS,
      "identities/map.yaml": `kind: IdentityMap\nidentities:\n${entry(`{create: {ou: ${OU}, sAMAccountName: nbaker, userPrincipalName: "nina&baker@contoso.com"}}`, 0)}`,
      "ad.ldif": "",
      "entra.json": "{}",
    });

    const run = await runCli(["plan", "--ad-snapshot", "ad.ldif", "--entra-snapshot", "entra.json"], {
      cwd: dir,
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "identities[0].ad.create.userPrincipalName: 'nina&baker@contoso.com' has '&'",
    );
    expect(run.stderr).toContain("(rule InvalidCharacter)");
  });
});

describe("an invalid Settings document", () => {
  it("is reported as what is wrong with it, not also as MissingSettings", async () => {
    const dir = workspace({ "identities/settings.yaml": SETTINGS.replace("tenantId", "tenantID") });

    const result = await loadDesiredState("identities", dir);

    expect(result.findings.map((f) => [f.code, f.message])).toEqual([
      ["SchemaViolation", "entra: missing required field 'tenantId'"],
      ["SchemaViolation", "entra: unknown key 'tenantID' (did you mean 'tenantId'?)"],
    ]);
  });
});

describe("validate checks offline where objects live", () => {
  async function codes(settings: string, ads: string[] = []): Promise<string[]> {
    const map: Record<string, string> =
      ads.length > 0
        ? { "identities/map.yaml": `kind: IdentityMap\nidentities:\n${ads.map(entry).join("")}` }
        : {};
    const dir = workspace({ "identities/settings.yaml": settings, ...map });
    const result = await loadDesiredState("identities", dir);
    return result.findings.map((f) => `${f.code} ${f.message}`);
  }

  it("names a syncScope OU outside baseDN, and the unquoted flow list that causes it", async () => {
    const found = await codes(
      SETTINGS.replace('["OU=Staff,DC=corp,DC=contoso,DC=com"]', "[OU=Staff,DC=corp,DC=contoso,DC=com]"),
    );

    expect(found[0]).toMatch(
      /^SyncScopeOutsideBaseDN activeDirectory\.syncScope\[0\]: 'OU=Staff' is not under baseDN .*quote it\)$/,
    );
  });

  it("names DNs that do not parse", async () => {
    const found = await codes(
      SETTINGS.replace("baseDN: DC=corp,DC=contoso,DC=com", "baseDN: corp.contoso.com"),
      ['{dn: "CN=x,,OU=Staff"}'],
    );

    expect(found).toEqual([
      expect.stringMatching(/^InvalidDN activeDirectory\.baseDN: 'corp\.contoso\.com' is not a DN: /),
      expect.stringMatching(/^InvalidDN CN=x,,OU=Staff: ad\.dn 'CN=x,,OU=Staff' is not a DN: /),
    ]);
  });

  it("refuses a create.ou outside the sync scope", async () => {
    const found = await codes(SETTINGS, [
      '{create: {ou: "OU=Former,DC=corp,DC=contoso,DC=com", sAMAccountName: old}}',
    ]);

    expect(found).toEqual([
      expect.stringMatching(
        /^OutOfSyncScope old: ad\.create\.ou 'OU=Former,DC=corp,DC=contoso,DC=com' is not inside the sync scope/,
      ),
    ]);
  });

  it("checks that caFile exists, with a hint for a backslash", async () => {
    const withCa = (file: string): string => SETTINGS.replace("entra:", `  caFile: '${file}'\nentra:`);

    expect(await codes(withCa("certs\\corp-root.pem"))).toEqual([
      expect.stringMatching(
        /^CaFileNotFound activeDirectory\.caFile: 'certs\\corp-root\.pem' cannot be read \(ENOENT.*use '\/' as the separator/,
      ),
    ]);
    expect(await codes(withCa("settings.yaml"))).toEqual([]);
  });
});

describe("file encodings", () => {
  it("names UTF-16 and Latin-1 YAML as such, not as binary content", async () => {
    const dir = workspace({
      "identities/settings.yaml": SETTINGS,
      "identities/utf16.yaml": Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from("kind: IdentityMap\n", "utf16le"),
      ]),
      "identities/latin1.yaml": Buffer.from("kind: IdentityMap\n# Ren\xe9\n", "latin1"),
    });

    const result = await loadDesiredState("identities", dir);

    expect(result.findings.map((f) => `${f.file} ${f.message}`).sort()).toEqual([
      expect.stringMatching(
        /latin1\.yaml is Latin-1 \(ISO-8859-1 \/ Windows-1252\) text, not UTF-8; save it as UTF-8/,
      ),
      expect.stringMatching(/utf16\.yaml is UTF-16 text, not UTF-8; save it as UTF-8/),
    ]);
  });
});
