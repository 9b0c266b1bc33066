import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";

import { openGraph } from "../../../src/directory/entra/index.js";
import type { GraphDirectory } from "../../../src/directory/entra/index.js";
import { tempDir } from "../../support/files.js";
import { startGraphServer } from "../../support/graph-server.js";
import type { GraphServer } from "../../support/graph-server.js";
import { graphUser, userId } from "./fixtures.js";

const anchor = (n: number): string => Buffer.from(`anchor-${String(n).padStart(9, "0")}`).toString("base64");

describe("Graph adapter: onPremisesImmutableId reads and writes via $batch", () => {
  let temp: ReturnType<typeof tempDir>;
  let server: GraphServer;
  let graph: GraphDirectory;

  beforeAll(async () => {
    temp = tempDir();
    server = await startGraphServer({ dir: temp.dir });
    graph = await openGraph({
      settings: server.settings(),
      env: server.env("secret"),
      ca: server.ca,
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
    });
  });

  afterAll(async () => {
    await server.close();
    temp.remove();
  });

  beforeEach(() => {
    server.data.users.splice(
      0,
      server.data.users.length,
      ...Array.from({ length: 45 }, (_, i) => graphUser(i + 1)),
    );
    for (const user of server.data.users) user.onPremisesImmutableId = null;
    server.clearFaults();
    server.clearRequests();
  });

  const immutableIdOf = (n: number): unknown =>
    server.data.users.find((u) => u.id === userId(n))?.onPremisesImmutableId;

  it("writes 45 values in batches of at most 20, with per-item 429s, and all end applied", async () => {
    const writes = Array.from({ length: 45 }, (_, i) => ({
      userId: userId(i + 1),
      next: anchor(i + 1),
    }));
    server.addFault({
      kinds: ["user-patch"],
      fault: { type: "status", status: 429, retryAfter: 0 },
      rate: 0.4,
      seed: 3,
    });

    const outcomes = await graph.writeImmutableIds(writes);

    expect(outcomes.map((o) => o.status)).toEqual(writes.map(() => "applied"));
    expect(outcomes.map((o) => o.userId)).toEqual(writes.map((w) => w.userId));
    expect(server.data.users.map((u) => u.onPremisesImmutableId)).toEqual(writes.map((w) => w.next));
    expect(server.requests.filter((r) => r.kind === "user-patch" && r.status === 429).length).toBeGreaterThan(
      0,
    );
    expect(server.count("user")).toBe(0); // no read: the compare is apply's
    expect(server.count("batch")).toBeGreaterThanOrEqual(4); // ceil(45 / 20) = 3, then the throttled items again
  });

  it("writes what it is given without a second read: the compare is apply's, from its own read", async () => {
    server.data.users[0]!.onPremisesImmutableId = "c29tZW9uZSBlbHNl";

    const outcomes = await graph.writeImmutableIds([{ userId: userId(1), next: anchor(1) }]);

    expect(outcomes).toEqual([{ userId: userId(1), status: "applied" }]);
    expect(immutableIdOf(1)).toBe(anchor(1));
    expect(server.count("user-patch")).toBe(1);
    expect(server.requests.filter((r) => r.kind === "user").length).toBe(0);
  });

  it("reports a user that no longer exists as failed with Graph's reason", async () => {
    const gone = userId(999);

    const outcomes = await graph.writeImmutableIds([{ userId: gone, next: anchor(999) }]);

    expect(outcomes).toEqual([
      { userId: gone, status: "failed", message: expect.stringContaining("HTTP 404") },
    ]);
  });

  it("reports Graph's refusal of one item as failed and still applies the others", async () => {
    server.data.users[4]!.onPremisesImmutableId = anchor(3);

    const outcomes = await graph.writeImmutableIds([
      { userId: userId(3), next: anchor(3) },
      { userId: userId(4), next: anchor(4) },
    ]);

    expect(outcomes[0]).toMatchObject({
      status: "failed",
      message: expect.stringContaining("HTTP 400 Request_BadRequest"),
    });
    expect(outcomes[1]).toEqual({ userId: userId(4), status: "applied" });
  });

  it("reports items still throttled after the bounded retries as failed", async () => {
    server.addFault({ kinds: ["user-patch"], fault: { type: "status", status: 429, retryAfter: 0 } });

    const outcomes = await graph.writeImmutableIds([{ userId: userId(5), next: anchor(5) }]);

    expect(outcomes).toEqual([
      { userId: userId(5), status: "failed", message: expect.stringContaining("HTTP 429") },
    ]);
    expect(server.count("user-patch")).toBe(7);
  });

  it("reads current values in batches; a missing user is absent from the map", async () => {
    server.data.users[6]!.onPremisesImmutableId = anchor(7);
    const ids = [userId(7), userId(8), userId(12345)];

    const values = await graph.readImmutableIds(ids);

    expect([...values.entries()]).toEqual([
      [userId(7), anchor(7)],
      [userId(8), null],
    ]);
    expect(server.count("batch")).toBe(1);
  });
});
