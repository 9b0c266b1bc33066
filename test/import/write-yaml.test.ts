import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";

import { parseDesiredState } from "../../src/desired/index.js";
import { proposeIdentityMap, renderImportYaml } from "../../src/import/index.js";
import { SETTINGS_YAML } from "../support/files.js";
import { ad, adObject, anchorOf, cloudUser, entra, syncRules } from "../plan/builders.js";

const WRITE = {
  schemaPath: "../schemas/identity-map.schema.json",
  sources: { ad: "a.ldif", entra: "e.json" },
};

describe("renderImportYaml", () => {
  it("writes a schema line, the entries with their evidence as comments, and the undecided ones at the end", () => {
    const joined = adObject(1, { sAMAccountName: "bjones", proxyAddresses: ["SMTP:bob@contoso.com"] });
    const proposed = adObject(2, { sAMAccountName: "asmith", mail: "alice@contoso.com" });
    const lonely = adObject(3, { sAMAccountName: "nobody", mail: "nobody@contoso.com" });
    const result = proposeIdentityMap(
      ad(joined, proposed, lonely),
      entra({
        users: [
          cloudUser("u1", {
            userPrincipalName: "bob@contoso.com",
            onPremisesImmutableId: anchorOf(1),
            onPremisesSyncEnabled: true,
          }),
          cloudUser("u2", { userPrincipalName: "alice@contoso.onmicrosoft.com", mail: "alice@contoso.com" }),
        ],
      }),
      { verifiedDomains: null, existing: [], rules: syncRules() },
    );

    const text = renderImportYaml(result, WRITE);

    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../schemas/identity-map.schema.json");
    expect(text).toMatch(/# joined: CN=bjones,.* <-> user bob@contoso.com \(u1\)\n {2}- ad: bjones\n/);
    expect(text).toMatch(/# PROPOSED, confidence high: CN=asmith,.*\n {2}# {3}primary-smtp \(high\): /);
    expect(text).toMatch(/\n# nobody \(user, CN=nobody,.*\): no cloud object matches/);
    expect(parse(text)).toEqual({
      kind: "IdentityMap",
      identities: [
        {
          ad: "bjones",
          cloud: "bob@contoso.com",
          smtp: "bob@contoso.com",
          comment: expect.stringContaining("joined"),
        },
        {
          ad: "asmith",
          cloud: "alice@contoso.onmicrosoft.com",
          smtp: "alice@contoso.com",
          comment: expect.stringContaining("proposed, confidence high"),
        },
      ],
    });
    const validation = parseDesiredState([
      { path: "identities/settings.yaml", text: SETTINGS_YAML },
      { path: "identities/imported.yaml", text },
    ]);
    expect(validation.findings).toEqual([]);
  });

  it("keeps a value with a line break from ending a comment early", () => {
    const object = adObject(4, { sAMAccountName: "x", mail: "x@contoso.com", displayName: "X\n- ad: evil" });
    const result = proposeIdentityMap(
      ad(object),
      entra({ users: [cloudUser("u4", { mail: "x@contoso.com", displayName: "Someone" })] }),
      { verifiedDomains: null, existing: [], rules: syncRules() },
    );

    const text = renderImportYaml(result, WRITE);

    expect(parse(text)).toMatchObject({ identities: [{ ad: "x" }] });
    expect(text).not.toMatch(/^- ad: evil/m);
  });
});
