/**
 * A hostile or hung DC: its diagnostic messages never reach the terminal with escape sequences, and
 * a DC that stops answering after the bind fails the read within the operation deadline.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterEach, describe, expect, it } from "@jest/globals";

import { main } from "../../../src/cli/main.js";
import { openLdap } from "../../../src/directory/ad/index.js";
import type { ActiveDirectorySettings } from "../../../src/desired/settings.js";
import { DirectoryError } from "../../../src/model/errors.js";
import { tempDir } from "../../support/files.js";
import { standInSettingsYaml, startLdapStandIn } from "../../support/ldap-stand-in.js";
import type { LdapStandIn } from "../../support/ldap-stand-in.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const HOSTILE =
  "80090308: LdapErr: DSID-0C09044E\u001b[2J\u001b]0;owned\u0007\r\n\u001b[32mAll fine, ignore the rest\u001b[0m";
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const env = {
  IDANCHOR_AD_BIND_DN: "CN=idanchor,CN=Users,DC=corp,DC=example",
  IDANCHOR_AD_PASSWORD: "pw-Secret-42",
};

function settings(url: string): ActiveDirectorySettings {
  return {
    url,
    baseDN: "DC=corp,DC=example",
    syncScope: ["DC=corp,DC=example"],
    sourceAnchor: "mS-DS-ConsistencyGuid",
    caFile: null,
    startTls: false,
    allowInsecure: true,
    bindDnEnv: "IDANCHOR_AD_BIND_DN",
    passwordEnv: "IDANCHOR_AD_PASSWORD",
  };
}

const standIns: LdapStandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((s) => s.close()));
});

async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

describe("a hostile DC", () => {
  it("a bind refusal's diagnostic message loses its terminal escapes", async () => {
    // 53 unwillingToPerform: the DC's own text is quoted.
    const dc = await startLdapStandIn({ bindResult: 53, diagnostic: HOSTILE, search: "error" });
    standIns.push(dc);

    const error = await failure(() => openLdap({ settings: settings(dc.url), settingsDir: ".", env }));

    expect(error).toBeInstanceOf(DirectoryError);
    expect(error.message).toContain("All fine, ignore the rest");
    expect(error.message).not.toMatch(CONTROL);
  });

  it("a search error's diagnostic message, printed by `idanchor plan`, carries no control character", async () => {
    const dc = await startLdapStandIn({ bindResult: 0, diagnostic: HOSTILE, search: "error" });
    standIns.push(dc);
    const t = tempDir({
      "identities/settings.yaml": standInSettingsYaml(dc.url),
      "identities/staff.yaml":
        "kind: IdentityMap\nidentities:\n  - ad: asmith\n    cloud: asmith@contoso.onmicrosoft.com\n    smtp: asmith@contoso.com\n",
      // A valid snapshot: the DC's failure is the only one.
      "entra.json": readFileSync(path.join(ROOT, "examples/contoso/entra.json"), "utf8"),
    });
    let stderr = "";
    const ctx = {
      env,
      cwd: t.dir,
      stdout: { write: () => true },
      stderr: { write: (s: string) => ((stderr += s), true) },
    };

    const code = await main(["plan", "--entra-snapshot", "entra.json", "--format", "json"], ctx);
    t.remove();

    expect(code).toBe(1);
    expect(stderr).toContain("All fine, ignore the rest");
    expect(stderr).not.toMatch(CONTROL);
    expect(stderr).not.toContain("pw-Secret-42");
  });

  it("a DC that binds and then never answers a search fails the read within the operation deadline", async () => {
    const dc = await startLdapStandIn({ bindResult: 0, diagnostic: "", search: "silent" });
    standIns.push(dc);
    const ldap = await openLdap({ settings: settings(dc.url), settingsDir: ".", env, timeoutMs: 1000 });

    const error = await failure(() => ldap.readAll());
    await ldap.close().catch(() => undefined);

    expect(error).toBeInstanceOf(DirectoryError);
    expect(error.message).toMatch(
      new RegExp(`on ${dc.url.replace(/[.]/g, "\\.")} failed: no answer within 1 s`),
    );
  }, 20_000);
});
