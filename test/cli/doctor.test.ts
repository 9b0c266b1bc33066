/**
 * `idanchor doctor` against a real Samba AD DC and the Graph test server (through the real Graph
 * SDK and @azure/identity): every check passes on a good set-up, and each broken part is named
 * with its fix: an untrusted certificate, a wrong password, a closed port, a missing OU, a Graph
 * permission refused with 403, an endpoint that does not answer in time.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";

import type { ProbeResult } from "../../src/directory/probe.js";
import { runCli } from "../support/cli.js";
import { tempDir } from "../support/files.js";
import { startGraphServer, type GraphServer } from "../support/graph-server.js";
import { startSambaDc, type SambaDc } from "../support/samba.js";

const BIN = path.resolve(new URL("../..", import.meta.url).pathname, "bin", "idanchor.js");
let dc: SambaDc;
let graph: GraphServer;
let work: ReturnType<typeof tempDir>;
let env: Record<string, string>;

function settings(ad: { url?: string; caFile?: string | null; syncScope?: string[] } = {}): string {
  const caFile = ad.caFile === undefined ? dc.caFile : ad.caFile;
  return `kind: Settings
activeDirectory:
  url: ${ad.url ?? dc.url}
  baseDN: ${dc.baseDN}
  syncScope:
${(ad.syncScope ?? [`OU=Staff,${dc.baseDN}`]).map((ou) => `    - ${ou}\n`).join("")}${caFile ? `  caFile: ${caFile}\n` : ""}entra:
  tenantId: ${graph.app.tenantId}
  clientId: ${graph.app.clientId}
  graphUrl: ${graph.url}
  authorityHost: ${graph.url}
`;
}

async function doctor(
  settingsYaml: string,
  extra: string[] = [],
  environment: Record<string, string> = env,
): Promise<{ code: number; checks: Record<string, ProbeResult> }> {
  writeFileSync(path.join(work.dir, "identities", "settings.yaml"), settingsYaml);
  const run = await runCli(["doctor", "--format", "json", ...extra], { cwd: work.dir, env: environment });
  const parsed = JSON.parse(run.stdout) as { checks: ProbeResult[] };
  return {
    code: run.code,
    checks: Object.fromEntries(parsed.checks.map((c) => [`${c.system}:${c.check}`, c])),
  };
}

beforeAll(async () => {
  work = tempDir({ "identities/.keep": "" });
  dc = await startSambaDc();
  await dc.ldapModify(`dn: OU=Staff,${dc.baseDN}\nobjectClass: organizationalUnit\n`);
  graph = await startGraphServer({
    dir: work.dir,
    tenant: { users: [], domains: [{ id: "idanchor.test", isVerified: true }] },
  });
  env = { ...dc.env, ...graph.env("secret"), NODE_EXTRA_CA_CERTS: graph.caFile };
}, 120_000);

afterEach(() => {
  graph.clearFaults();
  delete graph.app.roles;
});

afterAll(async () => {
  await graph?.close();
  await dc?.stop();
  work?.remove();
});

describe("idanchor doctor", () => {
  it("passes every check on a good set-up, one real Graph call per permission", async () => {
    graph.clearRequests();

    const result = await doctor(settings());

    expect(Object.values(result.checks).filter((c) => c.status === "fail")).toEqual([]);
    expect(result.code).toBe(0);
    expect(Object.fromEntries(Object.entries(result.checks).map(([k, c]) => [k, c.status]))).toEqual({
      "ad:reach": "ok",
      "ad:tls": "warn", // the test CA issues certificates valid for two days
      "ad:bind": "ok",
      "ad:read": "ok",
      "entra:token": "ok",
      "entra:User.Read.All": "ok",
      "entra:Group.Read.All": "ok",
      "entra:OrgContact.Read.All": "ok",
      "entra:Domain.Read.All": "ok",
      "entra:RoleManagement.Read.Directory": "ok",
      "entra:OnPremDirectorySynchronization.Read.All": "ok",
      "entra:User.ReadWrite.All": "skip",
    });
    expect(result.checks["ad:tls"]?.detail).toMatch(
      /^certificate \S+ issued by idanchor test CA, valid until \d{4}-\d\d-\d\d, trusted \(caFile .*\); expires in [0-2] days$/,
    );
    expect(result.checks["ad:bind"]?.detail).toBe(`bound as ${dc.bindDn}`);
    expect(result.checks["entra:OnPremDirectorySynchronization.Read.All"]?.detail).toContain(
      "blockSoftMatchEnabled=",
    );
    for (const kind of ["users", "groups", "contacts", "domains", "role-assignments", "sync"] as const)
      expect(graph.count(kind)).toBe(1);
  });

  it("reads apply's write permission from the token's roles", async () => {
    graph.app.roles = ["User.Read.All"];
    const without = await doctor(settings(), ["--only", "entra"]);
    graph.app.roles = ["User.Read.All", "User.ReadWrite.All"];
    const withWrite = await doctor(settings(), ["--only", "entra"]);

    expect(without.checks["entra:User.ReadWrite.All"]).toMatchObject({ status: "warn" });
    expect(without.checks["entra:token"]?.detail).toContain("roles: User.Read.All");
    expect(withWrite.checks["entra:User.ReadWrite.All"]).toMatchObject({
      status: "ok",
      detail: "apply may write onPremisesImmutableId (token role User.ReadWrite.All)",
    });
  });

  it("names the permission Graph refuses with 403, and how to grant it", async () => {
    graph.addFault({
      kinds: ["role-assignments"],
      fault: {
        type: "status",
        status: 403,
        code: "Authorization_RequestDenied",
        message: "Insufficient privileges to complete the operation.",
      },
    });

    const result = await doctor(settings(), ["--only", "entra"]);

    expect(result.code).toBe(1);
    const check = result.checks["entra:RoleManagement.Read.Directory"];
    expect(check?.status).toBe("fail");
    expect(check?.detail).toMatch(
      /^RoleManagement\.Read\.Directory missing: .*HTTP 403 Authorization_RequestDenied/,
    );
    expect(check?.fix).toContain(
      `grant the Microsoft Graph application permission RoleManagement.Read.Directory to app ${graph.app.clientId}`,
    );
    expect(result.checks["entra:User.Read.All"]?.status).toBe("ok");
  });

  it("reports a Graph endpoint that does not answer within the deadline, and goes on", async () => {
    graph.addFault({ kinds: ["domains"], fault: { type: "delay", ms: 8000 } });

    const result = await doctor(settings(), ["--only", "entra", "--timeout", "3"]);

    expect(result.checks["entra:Domain.Read.All"]).toMatchObject({
      status: "fail",
      detail: "GET /domains: no answer within 3 s",
    });
    expect(result.checks["entra:Domain.Read.All"]!.ms).toBeLessThan(6000);
    expect(result.checks["entra:RoleManagement.Read.Directory"]?.status).toBe("ok");
  });

  it("the bin exits once its report is written, though a call abandoned at its deadline is still open", async () => {
    writeFileSync(path.join(work.dir, "identities", "settings.yaml"), settings());
    graph.addFault({ kinds: ["users"], fault: { type: "delay", ms: 12_000 } });

    const run = await promisify(execFile)(
      process.execPath,
      [BIN, "doctor", "--only", "entra", "--timeout", "4"],
      { cwd: work.dir, env: { PATH: process.env.PATH ?? "", ...env } },
    ).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code, stdout: error.stdout ?? "" }),
    );

    expect(run.stdout).toMatch(/FAIL {2}User\.Read\.All +GET \/users: no answer within 4 s/);
    expect(run.code).toBe(1);
  });

  it("names the credential method when the token cannot be had", async () => {
    const result = await doctor(settings(), ["--only", "entra"], {
      ...env,
      AZURE_CLIENT_SECRET: "wrong-secret",
    });

    expect(result.code).toBe(1);
    expect(result.checks["entra:token"]?.detail).toContain("invalid_client");
    expect(result.checks["entra:token"]?.detail).toContain("client secret credential (AZURE_CLIENT_SECRET)");
    expect(result.checks["entra:token"]?.detail).not.toContain("wrong-secret");
  });

  it("fails TLS when the DC's CA is not trusted, with the caFile fix", async () => {
    const result = await doctor(settings({ caFile: null }), ["--only", "ad"]);

    expect(result.code).toBe(1);
    expect(result.checks["ad:reach"]?.status).toBe("ok");
    expect(result.checks["ad:tls"]).toMatchObject({ status: "fail" });
    expect(result.checks["ad:tls"]?.detail).toMatch(/TLS failed: .*(self-signed|trusted CA)/);
    expect(result.checks["ad:tls"]?.fix).toContain("activeDirectory.caFile");
  });

  it("fails the bind on a wrong password, and a closed port at reach", async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, dc.ip, () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });

    const wrong = await doctor(settings(), ["--only", "ad"], { ...env, IDANCHOR_AD_PASSWORD: "nope" });
    const refused = await doctor(settings({ url: `ldaps://${dc.ip}:${closed}` }), ["--only", "ad"]);

    expect(wrong.checks["ad:bind"]).toMatchObject({ status: "fail" });
    expect(wrong.checks["ad:bind"]?.detail).toContain("invalid credentials");
    expect(Object.keys(refused.checks)).toEqual(["ad:reach"]);
    expect(refused.checks["ad:reach"]?.detail).toContain("connection refused");
  });

  it("names a sync-scope OU that does not exist", async () => {
    const missing = `OU=Nowhere,${dc.baseDN}`;

    const result = await doctor(settings({ syncScope: [`OU=Staff,${dc.baseDN}`, missing] }), [
      "--only",
      "ad",
    ]);

    expect(result.checks["ad:read"]).toMatchObject({ status: "fail" });
    expect(result.checks["ad:read"]?.detail).toContain(missing);
  });
});
