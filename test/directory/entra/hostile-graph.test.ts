/**
 * A Graph that echoes the client secret (as is, URL-encoded, JSON-escaped, base64) in its error
 * text, wrapped in terminal escapes: the error idanchor prints holds none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { main } from "../../../src/cli/main.js";
import { openGraph } from "../../../src/directory/entra/index.js";
import { SETTINGS_YAML, tempDir } from "../../support/files.js";
import { startGraphServer } from "../../support/graph-server.js";
import type { GraphServer } from "../../support/graph-server.js";
import { contosoTenant } from "./fixtures.js";

/** Characters that change under URL and base64 encoding. */
const SECRET = "Qx8~+/=&%secret value 42";
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const forms = [
  SECRET,
  encodeURIComponent(SECRET),
  encodeURIComponent(SECRET).replace(/%20/g, "+"),
  Buffer.from(SECRET).toString("base64"),
  "secret value",
];

function hostileMessage(): string {
  return (
    `\u001b[2J\u001b]0;owned\u0007Request had client_secret=${encodeURIComponent(SECRET)} ` +
    `(${JSON.stringify(SECRET)}; ${Buffer.from(SECRET).toString("base64")}; raw ${SECRET})\r\n\u001b[32mGraph says: all fine\u001b[0m`
  );
}

describe("Graph errors from a hostile server", () => {
  let temp: ReturnType<typeof tempDir>;
  let server: GraphServer;

  beforeAll(async () => {
    temp = tempDir();
    server = await startGraphServer({ dir: temp.dir, tenant: contosoTenant() });
    server.app.clientSecret = SECRET;
  });

  afterAll(async () => {
    await server.close();
    temp.remove();
  });

  it("a Graph error that echoes the client secret in any encoding, with ANSI escapes, is scrubbed", async () => {
    server.clearFaults();
    server.addFault({
      fault: { type: "status", status: 403, code: "Authorization_RequestDenied", message: hostileMessage() },
    });
    const graph = await openGraph({ settings: server.settings(), env: server.env("secret"), ca: server.ca });

    const error = await graph.readAll().then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(server.count("token")).toBeGreaterThanOrEqual(1); // the secret was accepted: it is the real one
    expect(error?.message).toContain("HTTP 403 Authorization_RequestDenied");
    expect(error?.message).toContain("Request had client_secret=[redacted]");
    expect(error?.message).not.toMatch(CONTROL);
    for (const form of forms) expect(error?.message).not.toContain(form);
  });

  it("through `idanchor export`, stderr holds no form of the secret and no escape sequence", async () => {
    server.clearFaults();
    server.addFault({ fault: { type: "status", status: 403, message: hostileMessage() } });
    const dir = tempDir({
      "identities/settings.yaml": SETTINGS_YAML.replace(
        /entra:\n/,
        `entra:\n  graphUrl: ${server.url}\n  authorityHost: ${server.url}\n`,
      ),
    });
    let out = "";
    const ctx = {
      env: { ...server.env("secret"), NODE_EXTRA_CA_CERTS: server.caFile },
      cwd: dir.dir,
      stdout: { write: (s: string) => ((out += s), true) },
      stderr: { write: (s: string) => ((out += s), true) },
    };

    const code = await main(["export", "entra", "--identities", "identities", "--out", "entra.json"], ctx);
    dir.remove();

    expect(code).toBe(1);
    expect(out).toContain("Request had client_secret=[redacted]");
    expect(out).not.toMatch(CONTROL);
    for (const form of forms) expect(out).not.toContain(form);
  });
});

describe("Graph and the authority: https only", () => {
  it.each([
    ["graphUrl", "http://127.0.0.1:9/", "entra.graphUrl must be an https:// URL"],
    ["authorityHost", "http://127.0.0.1:9/", "entra.authorityHost must be an https:// URL"],
  ])("refuses %s %s before sending anything", async (field, url, message) => {
    const settings = {
      tenantId: "00000000-0000-0000-0000-000000000001",
      clientId: "00000000-0000-0000-0000-000000000002",
      cloud: "public" as const,
      graphUrl: "https://graph.microsoft.com",
      authorityHost: "https://login.microsoftonline.com",
      verifiedDomains: null,
      [field]: url,
    };

    await expect(openGraph({ settings, env: { AZURE_CLIENT_SECRET: SECRET } })).rejects.toThrow(message);
  });
});
