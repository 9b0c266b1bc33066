import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";

import { openGraph, readEntraSnapshot } from "../../../src/directory/entra/index.js";
import { runCli } from "../../support/cli.js";
import type { CliRun } from "../../support/cli.js";
import { tempDir } from "../../support/files.js";
import { startGraphServer } from "../../support/graph-server.js";
import type { CredentialKind, GraphServer } from "../../support/graph-server.js";
import type { Json } from "../../support/graph-server.js";
import { bigTenant } from "./fixtures.js";

function settingsYaml(server: GraphServer): string {
  return `kind: Settings
activeDirectory:
  url: ldaps://dc01.corp.contoso.com
  baseDN: DC=corp,DC=contoso,DC=com
  syncScope: ["OU=Staff,DC=corp,DC=contoso,DC=com"]
entra:
  tenantId: ${server.app.tenantId}
  clientId: ${server.app.clientId}
  graphUrl: ${server.url}
  authorityHost: ${server.url}
`;
}

/** Every secret and token the run could have seen: none may appear in what it printed. */
function secretsOf(server: GraphServer): string[] {
  return [server.app.clientSecret, server.app.actionsRequestToken, ...server.issuedTokens];
}

describe("idanchor export entra", () => {
  let temp: ReturnType<typeof tempDir>;
  let server: GraphServer;

  beforeAll(async () => {
    temp = tempDir();
    server = await startGraphServer({ dir: temp.dir, tenant: bigTenant(1500) });
    writeFileSync(path.join(temp.dir, "settings.yaml"), settingsYaml(server));
  });

  afterAll(async () => {
    await server.close();
    temp.remove();
  });

  beforeEach(() => {
    server.clearFaults();
    server.clearRequests();
  });

  function exportEntra(
    out: string,
    kind: CredentialKind = "secret",
    extraEnv: Record<string, string> = {},
  ): Promise<CliRun> {
    return runCli(["export", "entra", "--identities", ".", "--out", out], {
      cwd: temp.dir,
      env: { ...server.env(kind), NODE_EXTRA_CA_CERTS: server.caFile, ...extraEnv },
    });
  }

  it("writes a snapshot that reads back to the state read live", async () => {
    const out = "tenant-export.json";

    const run = await exportEntra(out);

    expect(run).toMatchObject({ code: 0, stdout: "" });
    expect(run.stderr).toContain("1500 users");
    const live = await (
      await openGraph({ settings: server.settings(), env: server.env("secret"), ca: server.ca })
    ).readAll();
    expect(await readEntraSnapshot(path.join(temp.dir, out))).toEqual(live);
  });

  it("writes Graph's property names, one JSON object, ending in a newline", async () => {
    const out = "tenant-shape.json";

    await exportEntra(out, "certificate");

    const text = readFileSync(path.join(temp.dir, out), "utf8");
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      "users",
      "groups",
      "contacts",
      "features",
      "domains",
      "roleAssignments",
      "deletedUsers",
    ]);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("writes the round-2 properties: assignedPlans, mailNickname, both error lists, groups without mail, isInitial, deleted users", async () => {
    const out = "tenant-round2.json";

    const run = await exportEntra(out);

    expect(run.code).toBe(0);
    const written = JSON.parse(readFileSync(path.join(temp.dir, out), "utf8")) as {
      users: Json[];
      groups: Json[];
      contacts: Json[];
      domains: Json[];
      deletedUsers: Json[];
      features: Json;
    };
    const user4 = written.users.find((u) => u.mailNickname === "user4");
    expect(user4?.assignedPlans).toEqual([
      expect.objectContaining({ service: "exchange", capabilityStatus: "Enabled" }),
    ]);
    expect(written.users.find((u) => u.mailNickname === "user89")?.serviceProvisioningErrors).toEqual([
      expect.objectContaining({ serviceInstance: "exchange/eurprd01-001-01", isResolved: false }),
    ]);
    for (const key of ["onPremisesProvisioningErrors", "serviceProvisioningErrors"]) {
      expect(written.groups.every((g) => Array.isArray(g[key]))).toBe(true);
      expect(written.contacts.every((c) => Array.isArray(c[key]))).toBe(true);
    }
    expect(written.groups.filter((g) => g.mailEnabled === false).map((g) => g.displayName)).toEqual([
      "App Admins",
      "Security only",
    ]);
    expect(written.domains.filter((d) => d.isInitial === true).map((d) => d.id)).toEqual([
      "contoso.onmicrosoft.com",
    ]);
    expect(written.deletedUsers.map((u) => u.deletedDateTime)).toEqual(["2026-11-20T10:00:00Z"]);
    expect(typeof written.features.synchronizeUpnForManagedUsersEnabled).toBe("boolean");
    const selects = server.requests.filter((r) => r.kind === "users" && r.page === 0).map((r) => r.url);
    expect(decodeURIComponent(selects[0] ?? "")).toMatch(/\$select=[^&]*assignedPlans/);
  });

  it("refuses a live read whose objects lack a selected property: exit 1, one line, no file", async () => {
    server.omitProperties.set("users", ["onPremisesImmutableId"]);
    const out = "tenant-absent.json";

    const run = await exportEntra(out).finally(() => server.omitProperties.clear());

    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^idanchor: Entra ID: Graph returned users\[0\] \('user1@contoso\.onmicrosoft\.com'\) without 'onPremisesImmutableId': an absent property is unknown, not empty, so the plan cannot rely on it; export with `idanchor export entra` or \$select it/,
    );
    expect(existsSync(path.join(temp.dir, out))).toBe(false);
  });

  it("exits 1 with a clear error and writes no file when a page keeps failing", async () => {
    server.addFault({
      kinds: ["users"],
      when: (r) => r.page === 1,
      fault: { type: "status", status: 503, retryAfter: 0 },
    });
    const out = "tenant-failed.json";

    const run = await exportEntra(out, "oidc");

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^idanchor: Entra ID: reading users failed on page 2: HTTP 503 ServiceUnavailable/m,
    );
    expect(existsSync(path.join(temp.dir, out))).toBe(false);
  });

  it("prints no secret or token in a failing run", async () => {
    server.addFault({ kinds: ["contacts"], fault: { type: "status", status: 429, retryAfter: 0 } });

    const runs = [await exportEntra("x.json", "secret"), await exportEntra("y.json", "oidc")];

    const printed = runs.map((r) => r.stdout + r.stderr).join("\n");
    expect(runs.map((r) => r.code)).toEqual([1, 1]);
    expect(server.issuedTokens.size).toBeGreaterThan(0);
    for (const secret of secretsOf(server)) expect(printed).not.toContain(secret);
    expect(printed).not.toMatch(/eyJ|bearer|authorization/i);
  });

  it("prints no secret when the authority refuses it", async () => {
    const wrong = "fake-refused-secret-9f8e7d6c5b4a";

    const run = await exportEntra("z.json", "secret", { AZURE_CLIENT_SECRET: wrong });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/could not get a token for Microsoft Graph/);
    expect(run.stdout + run.stderr).not.toContain(wrong);
  });
});
