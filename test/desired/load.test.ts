import { afterEach, describe, expect, it } from "@jest/globals";

import { loadDesiredState } from "../../src/desired/index.js";
import { SETTINGS_YAML, tempDir } from "../support/files.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((remove) => remove()));

async function load(files: Record<string, string>) {
  const t = tempDir(files);
  cleanups.push(t.remove);
  return loadDesiredState(".", t.dir);
}

describe("loadDesiredState", () => {
  it("normalises identities with defaults, across files and multi-document files", async () => {
    const result = await load({
      "settings.yaml": SETTINGS_YAML,
      "sub/people.yml": `kind: IdentityMap
identities:
  - ad: asmith
    cloud: Alice.Smith@contoso.onmicrosoft.com
    smtp: Alice.Smith@contoso.com
---
kind: IdentityMap
identities:
  - ad: {guid: F7CC07D7-7C15-447D-876D-C01B0E5A9E38}
    type: contact
    cloud: 5d1c3b2a-8e7f-4d6c-9b5a-0f1e2d3c4b5a
    smtp: help@fabrikam.com
    aliases: [support@fabrikam.com]
`,
    });

    expect(result.findings).toEqual([]);
    expect(result.state?.settings.activeDirectory.sourceAnchor).toBe("mS-DS-ConsistencyGuid");
    expect(result.state?.settings.policy).toEqual({ aliases: "additive", maxChangesPerApply: 50 });
    expect(result.state?.settings.entra.graphUrl).toBe("https://graph.microsoft.com");
    expect(result.state?.identities.map(({ source: _s, positions: _p, ...rest }) => rest)).toEqual([
      {
        key: "asmith",
        ad: { kind: "sam", sam: "asmith" },
        type: "user",
        cloud: { kind: "upn", upn: "Alice.Smith@contoso.onmicrosoft.com" },
        smtp: "Alice.Smith@contoso.com",
        aliases: [],
        match: "smtp",
        rebind: false,
      },
      {
        key: "f7cc07d7-7c15-447d-876d-c01b0e5a9e38",
        ad: { kind: "guid", guid: "f7cc07d7-7c15-447d-876d-c01b0e5a9e38" },
        type: "contact",
        cloud: { kind: "id", id: "5d1c3b2a-8e7f-4d6c-9b5a-0f1e2d3c4b5a" },
        smtp: "help@fabrikam.com",
        aliases: ["support@fabrikam.com"],
        match: "smtp",
        rebind: false,
      },
    ]);
    expect(result.state?.identities[1]?.positions.aliases[0]).toEqual({
      file: "sub/people.yml",
      line: 13,
      column: 15,
    });
  });

  it("reports every schema problem with its YAML position, path and a hint", async () => {
    const result = await load({
      "settings.yaml": SETTINGS_YAML,
      "people.yaml": `kind: IdentityMap
identities:
  - ad: asmith
    cloud: alice@contoso.com
    smtp: alice@contoso.com
    alias: [a@contoso.com]
  - ad: bjones
    cloud: bob@contoso.com
    match: fuzzy
  - ad: {cn: Bob}
    cloud: x@contoso.com
    smtp: 42
`,
    });

    expect(result.state).toBeNull();
    expect(result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.code} ${f.message}`)).toEqual([
      "people.yaml:6:5 SchemaViolation identities[0]: unknown key 'alias' (did you mean 'aliases'?)",
      "people.yaml:7:5 SchemaViolation identities[1]: missing required field 'smtp'",
      'people.yaml:9:12 SchemaViolation identities[1].match: must be one of "smtp", "upn", "hard", not "fuzzy"',
      "people.yaml:10:9 SchemaViolation identities[2].ad: must be a sAMAccountName string, {dn: ...}, {guid: ...} or {create: {...}}, not a mapping",
      "people.yaml:12:11 SchemaViolation identities[2].smtp: must be string, not number 42",
    ]);
  });

  it("names both places of an address used twice across files, case-insensitively", async () => {
    const result = await load({
      "a.yaml": SETTINGS_YAML,
      "b.yaml": `kind: IdentityMap
identities:
  - ad: asmith
    cloud: alice@contoso.com
    smtp: alice@contoso.com
`,
      "c.yaml": `kind: IdentityMap
identities:
  - ad: grp
    type: group
    cloud: 7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d
    smtp: team@contoso.com
    aliases: [ALICE@contoso.com]
`,
    });

    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      file: "c.yaml",
      line: 7,
      column: 15,
      code: "DuplicateInDesiredState",
    });
    expect(result.findings[0]?.message).toContain("already the primary address of 'asmith' at b.yaml:5:11");
  });

  it("reports the same AD object and the same cloud object mapped twice", async () => {
    const result = await load({
      "settings.yaml": SETTINGS_YAML,
      "m.yaml": `kind: IdentityMap
identities:
  - ad: asmith
    cloud: alice@contoso.com
    smtp: a1@contoso.com
  - ad: ASMITH
    cloud: other@contoso.com
    smtp: a2@contoso.com
  - ad: carol
    cloud: Alice@Contoso.com
    smtp: a3@contoso.com
`,
    });

    expect(result.findings.map((f) => [f.line, f.code, f.message.split(";")[0]])).toEqual([
      [6, "DuplicateInDesiredState", "AD object 'ASMITH' is already mapped at m.yaml:3:9"],
      [
        10,
        "DuplicateInDesiredState",
        "cloud object 'Alice@Contoso.com' is already the target of 'asmith' at m.yaml:4:12",
      ],
    ]);
  });

  it("checks address syntax, length and verified domains, but not a contact's domain", async () => {
    const long = `${"a".repeat(65)}@contoso.com`;
    const result = await load({
      "settings.yaml": SETTINGS_YAML,
      "m.yaml": `kind: IdentityMap
identities:
  - ad: u1
    cloud: u1@contoso.com
    smtp: "john doe@contoso.com"
  - ad: u2
    cloud: u2@contoso.com
    smtp: ${long}
  - ad: u3
    cloud: u3@contoso.com
    smtp: u3@fabrikam.com
  - ad: {dn: "CN=Ext,OU=Staff,DC=corp,DC=contoso,DC=com"}
    type: contact
    cloud: 5d1c3b2a-8e7f-4d6c-9b5a-0f1e2d3c4b5a
    smtp: ext@fabrikam.com
`,
    });

    expect(result.findings.map((f) => [f.line, f.severity, f.code])).toEqual([
      [5, "error", "InvalidAddress"],
      [8, "error", "AddressTooLong"],
      // The same severity as the plan's UnverifiedDomain: the address is dropped, the object syncs.
      [11, "warning", "UnverifiedDomain"],
    ]);
  });

  it("refuses match strategies that do not apply to the object type, and a UPN as a group's cloud object", async () => {
    const result = await load({
      "settings.yaml": SETTINGS_YAML,
      "m.yaml": `kind: IdentityMap
identities:
  - ad: grp
    type: group
    cloud: 7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d
    smtp: team@contoso.com
    match: hard
  - ad: grp2
    type: group
    cloud: team2@contoso.com
    smtp: team2@contoso.com
`,
    });

    expect(result.findings.map((f) => [f.line, f.code])).toEqual([
      [10, "InvalidCloudReference"],
      [3, "InvalidMatchStrategy"],
    ]);
  });

  it("reads ad: {create: ...} with the DN it will have, and says what a create entry lacks, at its line", async () => {
    const result = await load({
      "settings.yaml": SETTINGS_YAML,
      "new.yaml": `kind: IdentityMap
identities:
  - ad: {create: {ou: "OU=Staff,DC=corp,DC=contoso,DC=com", sAMAccountName: cdiaz, displayName: "Diaz, Carol"}}
    cloud: carol@contoso.onmicrosoft.com
    smtp: carol.diaz@contoso.com
  - ad:
      create: {ou: "OU=Staff,DC=corp,DC=contoso,DC=com", displayName: No Account Name}
    cloud: nobody@contoso.onmicrosoft.com
    smtp: nobody@contoso.com
`,
    });

    expect(result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.code} ${f.message}`)).toEqual([
      "new.yaml:7:15 InvalidCreate identities[1].ad.create: a user needs a sAMAccountName; add 'sAMAccountName:' under 'create:'",
    ]);
    const valid = await load({
      "settings.yaml": SETTINGS_YAML,
      "new.yaml":
        "kind: IdentityMap\nidentities:\n  - ad: {create: {ou: 'OU=Staff,DC=corp,DC=contoso,DC=com', sAMAccountName: cdiaz, displayName: 'Diaz, Carol'}}\n    cloud: carol@contoso.onmicrosoft.com\n    smtp: carol.diaz@contoso.com\n",
    });
    expect(valid.state?.identities[0]).toMatchObject({
      key: "cdiaz",
      ad: { kind: "create", dn: "CN=Diaz\\, Carol,OU=Staff,DC=corp,DC=contoso,DC=com" },
    });
  });

  it("requires exactly one Settings document", async () => {
    const none = await load({ "m.yaml": "kind: IdentityMap\nidentities: []\n" });
    expect(none.findings.map((f) => f.code)).toEqual(["MissingSettings"]);

    const two = await load({ "a.yaml": SETTINGS_YAML, "b.yaml": SETTINGS_YAML });
    expect(two.findings.map((f) => [f.file, f.line, f.code])).toEqual([["b.yaml", 1, "DuplicateSettings"]]);
  });
});
