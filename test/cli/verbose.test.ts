/**
 * CLI habits against the Graph test server: --version, --verbose showing the adapters' retry
 * lines (quiet without it), and Entra errors that name the host and the credential method.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { runCli } from "../support/cli.js";
import { tempDir } from "../support/files.js";
import { startGraphServer, type GraphServer } from "../support/graph-server.js";

const REPO = path.resolve(new URL("../..", import.meta.url).pathname);
const AD = path.join(REPO, "examples/contoso/ad.ldif");
let graph: GraphServer;
let work: ReturnType<typeof tempDir>;
let env: Record<string, string>;

beforeAll(async () => {
  work = tempDir();
  graph = await startGraphServer({
    dir: work.dir,
    tenant: { users: [], domains: [{ id: "contoso.com", isVerified: true }] },
  });
  writeFileSync(
    path.join(work.dir, "settings.yaml"),
    `kind: Settings
activeDirectory:
  url: ldaps://dc01.corp.contoso.com
  baseDN: DC=corp,DC=contoso,DC=com
  syncScope: ["OU=Staff,DC=corp,DC=contoso,DC=com"]
entra:
  tenantId: ${graph.app.tenantId}
  clientId: ${graph.app.clientId}
  graphUrl: ${graph.url}
  authorityHost: ${graph.url}
`,
  );
  writeFileSync(path.join(work.dir, "map.yaml"), "kind: IdentityMap\nidentities: []\n");
  env = { ...graph.env("secret"), NODE_EXTRA_CA_CERTS: graph.caFile };
}, 60_000);

afterAll(async () => {
  await graph?.close();
  work?.remove();
});

const plan = (...extra: string[]) =>
  runCli(["plan", "--identities", ".", "--ad-snapshot", AD, "--format", "json", ...extra], {
    cwd: work.dir,
    env,
  });

describe("CLI habits", () => {
  it("--version and -V print the package version", async () => {
    const version = (JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string })
      .version;

    const long = await runCli(["--version"], { cwd: work.dir });
    const short = await runCli(["-V"], { cwd: work.dir });

    expect(long).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    expect(short).toEqual(long);
  });

  it("--verbose shows Graph's throttling and the wait; without it the run is quiet", async () => {
    graph.addFault({ kinds: ["users"], times: 1, fault: { type: "status", status: 429, retryAfter: 1 } });
    const verbose = await plan("--verbose");
    graph.addFault({ kinds: ["users"], times: 1, fault: { type: "status", status: 429, retryAfter: 1 } });
    const quiet = await plan();
    graph.clearFaults();

    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toMatch(
      /^idanchor: Graph throttled, retrying in 1\.0 s \(method=GET, path=\/v1\.0\/users, attempt=1, of=6\)$/m,
    );
    expect(verbose.stderr).toMatch(
      /^idanchor: graph collection read \(collection=users, items=0, pages=1\)$/m,
    );
    expect(quiet).toMatchObject({ code: 0, stderr: "" });
  });

  it("a Graph failure names the Graph host, the authority and the credential method", async () => {
    graph.addFault({
      kinds: ["domains"],
      fault: {
        type: "status",
        status: 403,
        code: "Authorization_RequestDenied",
        message: "Insufficient privileges",
      },
    });
    const run = await plan();
    graph.clearFaults();

    const host = new URL(graph.url).host;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("HTTP 403 Authorization_RequestDenied");
    expect(run.stderr).toContain(
      `[Graph ${host}, authority ${host}, tenant ${graph.app.tenantId}, client secret credential (AZURE_CLIENT_SECRET)]`,
    );
  });

  it("without any credential variable, says the Azure CLI was the fallback and what to set", async () => {
    const run = await runCli(["plan", "--identities", ".", "--ad-snapshot", AD], {
      cwd: work.dir,
      env: { NODE_EXTRA_CA_CERTS: graph.caFile, PATH: "/nonexistent" },
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Azure CLI credential]");
    expect(run.stderr).toContain(
      "no AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or GitHub OIDC token is set",
    );
  });
});
