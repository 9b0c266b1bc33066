import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";

import { openGraph, parseEntraSnapshot } from "../../../src/directory/entra/index.js";
import type { GraphDirectory } from "../../../src/directory/entra/index.js";
import { DirectoryError } from "../../../src/model/errors.js";
import { tempDir } from "../../support/files.js";
import { startGraphServer } from "../../support/graph-server.js";
import type { GraphServer } from "../../support/graph-server.js";
import { bigTenant } from "./fixtures.js";

const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 50 };

describe("Graph adapter: bulk read", () => {
  let temp: ReturnType<typeof tempDir>;
  let server: GraphServer;

  beforeAll(async () => {
    temp = tempDir();
    server = await startGraphServer({ dir: temp.dir, tenant: bigTenant(5000) });
  });

  afterAll(async () => {
    await server.close();
    temp.remove();
  });

  beforeEach(() => {
    server.clearFaults();
    server.clearRequests();
  });

  function connect(): Promise<GraphDirectory> {
    return openGraph({
      settings: server.settings(),
      env: server.env("secret"),
      ca: server.ca,
      retry: FAST_RETRY,
    });
  }

  it("reads 5,000 users in ceil(5000/999) = 6 user-list requests", async () => {
    const graph = await connect();

    const state = await graph.readAll();

    expect(state.users).toHaveLength(5000);
    expect(server.count("users")).toBe(6);
    expect(server.count("user")).toBe(0);
    expect(server.requests.filter((r) => r.kind === "users").map((r) => r.page)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("needs a constant number of other requests, whatever the number of users", async () => {
    const graph = await connect();

    await graph.readAll();

    const others = server.requests.filter(
      (r) => !["users", "token", "openid-configuration"].includes(r.kind),
    );
    expect(others.map((r) => r.kind).sort()).toEqual([
      "contacts",
      "deleted-users",
      "domains",
      "groups",
      "role-assignments",
      "sync",
    ]);
  });

  it("sends the token on every Graph request, nextLink pages included", async () => {
    const graph = await connect();

    await graph.readAll();

    const graphRequests = server.requests.filter((r) => r.url.startsWith("/v1.0/"));
    expect(graphRequests.length).toBeGreaterThanOrEqual(11);
    for (const request of graphRequests) {
      const token = /^Bearer (.+)$/.exec(request.authorization ?? "")?.[1] ?? "";
      expect(server.issuedTokens.has(token)).toBe(true);
    }
  });

  it("maps exactly what the snapshot reader maps: only the selected properties, groups without mail too", async () => {
    const graph = await connect();

    const live = await graph.readAll();

    const fromSnapshot = parseEntraSnapshot(JSON.stringify(bigTenant(5000)), "tenant.json");
    expect(live).toEqual(fromSnapshot);
    expect(live.groups.filter((g) => !g.mailEnabled).map((g) => g.displayName)).toEqual([
      "App Admins",
      "Security only",
    ]);
    expect(live.users[2]?.onPremisesImmutableId).not.toBeNull();
  });

  it("returns the same state when 30% of the requests are answered 429 or 503", async () => {
    const graph = await connect();
    const clean = await graph.readAll();
    server.clearRequests();
    server.addFault({ fault: { type: "status", status: 429, retryAfter: 0 }, rate: 0.15, seed: 7 });
    server.addFault({ fault: { type: "status", status: 503 }, rate: 0.15 / 0.85, seed: 11 });

    const state = await graph.readAll();

    expect(state).toEqual(clean);
    const refused = server.requests.filter((r) => r.status === 429 || r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
  });

  it("survives a reset connection and a slow page", async () => {
    const graph = await connect();
    server.addFault({ kinds: ["users"], when: (r) => r.page === 2, fault: { type: "reset" }, times: 1 });
    server.addFault({
      kinds: ["users"],
      when: (r) => r.page === 4,
      fault: { type: "delay", ms: 300 },
      times: 1,
    });

    const state = await graph.readAll();

    expect(state.users).toHaveLength(5000);
    expect(server.requests.filter((r) => r.kind === "users" && r.page === 2)).toHaveLength(2);
  });

  it("fails with a clear error, not a partial state, when a page keeps failing", async () => {
    const graph = await connect();
    server.addFault({
      kinds: ["users"],
      when: (r) => r.page === 3,
      fault: { type: "status", status: 503, retryAfter: 0 },
    });

    const read = graph.readAll();

    await expect(read).rejects.toThrow(DirectoryError);
    await expect(read).rejects.toThrow(
      /reading users failed on page 4: HTTP 503 ServiceUnavailable.*after 6 retries/,
    );
  });

  it("gives up after the bounded retries on a permanent 429", async () => {
    const graph = await openGraph({
      settings: server.settings(),
      env: server.env("secret"),
      ca: server.ca,
      retry: { ...FAST_RETRY, maxRetries: 2 },
    });
    server.addFault({ kinds: ["domains"], fault: { type: "status", status: 429, retryAfter: 0 } });

    await expect(graph.readAll()).rejects.toThrow(/reading domains failed: HTTP 429 TooManyRequests/);

    expect(server.count("domains")).toBe(3);
  });
});
