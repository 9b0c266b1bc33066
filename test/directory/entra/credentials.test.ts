import { request } from "node:https";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";

import { isMicrosoftLoginHost, openGraph, readEntraSnapshot } from "../../../src/directory/entra/index.js";
import { DirectoryError } from "../../../src/model/errors.js";
import { tempDir } from "../../support/files.js";
import { startGraphServer } from "../../support/graph-server.js";
import type { CredentialKind, GraphServer } from "../../support/graph-server.js";
import { CONTOSO_SNAPSHOT, contosoTenant } from "./fixtures.js";

function getWithoutToken(server: GraphServer, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { ca: server.ca }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("Graph adapter: credentials from the environment, through real @azure/identity", () => {
  let temp: ReturnType<typeof tempDir>;
  let server: GraphServer;

  beforeAll(async () => {
    temp = tempDir();
    server = await startGraphServer({ dir: temp.dir, tenant: contosoTenant() });
  });

  afterAll(async () => {
    await server.close();
    temp.remove();
  });

  beforeEach(() => {
    server.clearFaults();
    server.clearRequests();
  });

  const cases: [CredentialKind, string, string][] = [
    ["secret", "client-secret", "secret"],
    ["certificate", "client-certificate", "certificate"],
    ["oidc", "github-oidc", "federated"],
  ];

  it.each(cases)("reads the tenant with a %s credential", async (kind, method, grant) => {
    const grantsBefore = server.grants.length;
    const graph = await openGraph({ settings: server.settings(), env: server.env(kind), ca: server.ca });

    const state = await graph.readAll();

    expect(graph.credentialMethod).toBe(method);
    expect(state.users).toHaveLength(contosoTenant().users?.length ?? -1);
    expect(server.grants.slice(grantsBefore)).toEqual([grant]);
    expect(server.count("unknown")).toBe(0);
    expect(server.count("openid-configuration")).toBeGreaterThanOrEqual(1);
  });

  it("asks the GitHub Actions token endpoint for the api://AzureADTokenExchange audience", async () => {
    const graph = await openGraph({ settings: server.settings(), env: server.env("oidc"), ca: server.ca });

    await graph.readAll();

    const audiences = server.requests
      .filter((r) => r.kind === "actions-id-token")
      .map((r) => new URL(r.url, server.url).searchParams.get("audience"));
    expect(audiences.length).toBeGreaterThanOrEqual(1);
    expect(new Set(audiences)).toEqual(new Set(["api://AzureADTokenExchange"]));
  });

  it("takes tenant and client from the Settings when AZURE_TENANT_ID / AZURE_CLIENT_ID are not set", async () => {
    const graph = await openGraph({
      settings: server.settings(),
      env: { AZURE_CLIENT_SECRET: server.app.clientSecret },
      ca: server.ca,
    });

    const state = await graph.readAll();

    expect(state.domains.length).toBeGreaterThan(0);
    expect(graph.description).toContain(server.app.tenantId);
  });

  it("reports a refused secret as a token error without the secret in it", async () => {
    const wrong = "fake-wrong-secret-0123456789abcdef";
    const graph = await openGraph({
      settings: server.settings(),
      env: { ...server.env("secret"), AZURE_CLIENT_SECRET: wrong },
      ca: server.ca,
      retry: { maxRetries: 0 },
    });

    const error = await graph.readAll().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as Error).message).toMatch(/could not get a token for Microsoft Graph/);
    expect((error as Error).message).not.toContain(wrong);
    expect(server.count("users")).toBe(0);
  });

  it("reads the contoso tenant live to the same state as its snapshot example", async () => {
    const graph = await openGraph({ settings: server.settings(), env: server.env("secret"), ca: server.ca });

    const live = await graph.readAll();

    expect(live).toEqual(await readEntraSnapshot(fileURLToPath(CONTOSO_SNAPSHOT)));
  });

  it("answers 401 with Graph's error body when no bearer token is sent", async () => {
    const response = await getWithoutToken(server, "/v1.0/users?$select=id");

    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
  });

  it("knows Microsoft's login hosts, so that other authorities skip instance discovery", () => {
    const hosts = ["https://login.microsoftonline.com", "https://login.microsoftonline.us/", server.url];

    const known = hosts.map(isMicrosoftLoginHost);

    expect(known).toEqual([true, true, false]);
  });
});
