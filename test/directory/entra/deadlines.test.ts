import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { openGraph } from "../../../src/directory/entra/index.js";
import { tempDir } from "../../support/files.js";
import { startGraphServer } from "../../support/graph-server.js";
import type { GraphServer } from "../../support/graph-server.js";
import { startStandIn } from "../../support/hostile-servers.js";
import type { StandIn } from "../../support/hostile-servers.js";
import { createTestCertificates } from "../../support/tls.js";
import type { TestCertificates } from "../../support/tls.js";
import { contosoTenant } from "./fixtures.js";

// Stage deadlines short, the total long: a loaded machine must not turn one stage's timeout into another's.
const DEADLINES = { connectMs: 2000, firstByteMs: 1500, totalMs: 15_000 };

/** A credential that needs no authority: for the cases where only Graph misbehaves. */
const staticToken = {
  getToken: () => Promise.resolve({ token: "static-test-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe("Graph adapter: a deadline on every HTTPS exchange, naming the host and the stage", () => {
  let temp: ReturnType<typeof tempDir>;
  let server: GraphServer;
  let certs: TestCertificates;
  const standIns: StandIn[] = [];

  beforeAll(async () => {
    temp = tempDir();
    server = await startGraphServer({ dir: temp.dir, tenant: contosoTenant() });
    certs = createTestCertificates(temp.dir);
  });

  afterAll(async () => {
    await Promise.all(standIns.map((s) => s.close()));
    await server.close();
    temp.remove();
  });

  async function standIn(kind: Parameters<typeof startStandIn>[0]): Promise<StandIn> {
    const s = await startStandIn(kind, certs);
    standIns.push(s);
    return s;
  }

  it("token request: an authority that accepts TCP and never answers fails the read, naming it", async () => {
    const authority = await standIn("silent-tcp");
    const graph = await openGraph({
      settings: { ...server.settings(), authorityHost: authority.url },
      env: server.env("secret"),
      ca: [server.ca, certs.ca],
      deadlines: DEADLINES,
    });

    const error = await graph.readAll().then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error?.message).toContain(
      `Entra sign-in (token request): no answer from ${authority.host} within 2 s (TLS handshake)`,
    );
    expect(error?.message).toContain("could not get a token for Microsoft Graph");
    expect(authority.connections).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it("token request: an authority that completes TLS and never answers HTTP", async () => {
    const authority = await standIn("silent-tls");
    const graph = await openGraph({
      settings: { ...server.settings(), authorityHost: authority.url },
      env: server.env("secret"),
      ca: [server.ca, certs.ca],
      deadlines: DEADLINES,
    });

    await expect(graph.readAll()).rejects.toThrow(
      `no answer from ${authority.host} within 1.5 s (waiting for the response)`,
    );
  }, 30_000);

  it("Graph GET after a token: a host that accepts TCP and never answers, reported once (no retries)", async () => {
    const host = await standIn("silent-tcp");
    const graph = await openGraph({
      settings: { ...server.settings(), graphUrl: host.url },
      env: {},
      credential: staticToken,
      ca: [server.ca, certs.ca],
      deadlines: DEADLINES,
      retry: { maxRetries: 6, baseDelayMs: 10 },
    });

    await expect(graph.readAll()).rejects.toThrow(
      `Graph: no answer from ${host.host} within 2 s (TLS handshake)`,
    );
    // The parallel collection reads each opened one connection; none was retried.
    expect(host.connections).toBeLessThanOrEqual(7); // seven collections, deleted users included
  }, 30_000);

  it("Graph GET: a host that answers TLS but never sends a response", async () => {
    const host = await standIn("silent-tls");
    const graph = await openGraph({
      settings: { ...server.settings(), graphUrl: host.url },
      env: {},
      credential: staticToken,
      ca: [server.ca, certs.ca],
      deadlines: DEADLINES,
    });

    await expect(graph.readAll()).rejects.toThrow(
      `Graph: no answer from ${host.host} within 1.5 s (waiting for the response)`,
    );
  }, 30_000);

  it("Graph GET: a response that starts and never ends hits the whole-response deadline", async () => {
    const host = await standIn("trickle");
    const graph = await openGraph({
      settings: { ...server.settings(), graphUrl: host.url },
      env: {},
      credential: staticToken,
      ca: [server.ca, certs.ca],
      deadlines: { ...DEADLINES, totalMs: 4000 },
    });

    await expect(graph.readAll()).rejects.toThrow(
      `Graph: no answer from ${host.host} within 4 s (reading the response)`,
    );
  }, 30_000);

  it("the same setup against the real test server reads the tenant (the deadlines do not fire on a healthy host)", async () => {
    const graph = await openGraph({
      settings: server.settings(),
      env: server.env("secret"),
      ca: server.ca,
      deadlines: DEADLINES,
    });

    const state = await graph.readAll();

    expect(state.users).toHaveLength(contosoTenant().users?.length ?? -1);
  }, 30_000);
});
