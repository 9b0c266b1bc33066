/**
 * Apply's compare-and-set of onPremisesImmutableId through the real Graph adapter and the Graph
 * test server: apply reads once, compares with the plan, and writes only what still matches.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";

import { applyPlan } from "../../src/apply/apply-plan.js";
import { openGraph } from "../../src/directory/entra/index.js";
import type { GraphDirectory } from "../../src/directory/entra/index.js";
import type { ApplyPorts } from "../../src/model/ports.js";
import { buildPlan } from "../../src/plan/index.js";
import type { Plan } from "../../src/plan/index.js";
import { tempDir } from "../support/files.js";
import { startGraphServer } from "../support/graph-server.js";
import type { GraphServer } from "../support/graph-server.js";
import { graphUser, userId } from "../directory/entra/fixtures.js";
import { ad, adObject, anchorOf, cloudUser, desired, entra, identity } from "../plan/builders.js";

const options = { concurrency: 2, now: () => new Date("2026-12-01T10:00:00Z"), commit: null };

/** Three hard-matched identities whose AD side is already right: each plans one Entra write. */
function hardMatchPlan(): Plan {
  const objects = [1, 2, 3].map((n) =>
    adObject(n, { proxyAddresses: [`SMTP:user${n}@contoso.com`], mail: `user${n}@contoso.com` }),
  );
  const users = [1, 2, 3].map((n) =>
    cloudUser(userId(n), {
      userPrincipalName: `user${n}@contoso.onmicrosoft.com`,
      proxyAddresses: [`SMTP:user${n}@contoso.com`],
    }),
  );
  const d = desired(
    [1, 2, 3].map((n) =>
      identity({
        sam: `user${n}`,
        upn: `user${n}@contoso.onmicrosoft.com`,
        smtp: `user${n}@contoso.com`,
        match: "hard",
      }),
    ),
  );
  return buildPlan(d, ad(...objects), entra({ users }));
}

describe("apply: Entra compare-and-set through Graph", () => {
  let temp: ReturnType<typeof tempDir>;
  let server: GraphServer;
  let graph: GraphDirectory;
  let ports: ApplyPorts;

  beforeAll(async () => {
    temp = tempDir();
    server = await startGraphServer({ dir: temp.dir });
    graph = await openGraph({ settings: server.settings(), env: server.env("secret"), ca: server.ca });
    const noAd = (): never => {
      throw new Error("no AD change was planned");
    };
    ports = { ad: { readValues: noAd, writeAddresses: noAd, createObject: noAd }, entra: graph };
  });

  afterAll(async () => {
    await server.close();
    temp.remove();
  });

  beforeEach(() => {
    server.data.users.splice(0, server.data.users.length, ...[1, 2, 3].map((n) => graphUser(n)));
    for (const user of server.data.users) user.onPremisesImmutableId = null;
    server.clearRequests();
  });

  const immutableIdOf = (n: number): unknown =>
    server.data.users.find((u) => u.id === userId(n))?.onPremisesImmutableId;

  it("writes the anchors the plan expects, and a rerun re-reads and writes nothing", async () => {
    const plan = hardMatchPlan();

    const first = await applyPlan(plan, ports, options);
    const patches = server.count("user-patch");
    const second = await applyPlan(plan, ports, options);

    expect(first.receipt.summary).toEqual({ applied: 3, conflict: 0, skipped: 0, failed: 0 });
    expect([1, 2, 3].map(immutableIdOf)).toEqual([anchorOf(1), anchorOf(2), anchorOf(3)]);
    expect(patches).toBe(3);
    expect(second.receipt.summary).toEqual({ applied: 0, conflict: 0, skipped: 3, failed: 0 });
    expect(server.count("user-patch")).toBe(3);
  });

  it("leaves a value another writer changed, fails a vanished user, skips one already in place", async () => {
    const plan = hardMatchPlan();
    server.data.users[0]!.onPremisesImmutableId = "c29tZW9uZSBlbHNl";
    server.data.users[1]!.onPremisesImmutableId = anchorOf(2);
    server.data.users.splice(2, 1);

    const { receipt } = await applyPlan(plan, ports, options);

    expect(receipt.objects.map((o) => [o.object, o.result, o.error])).toEqual([
      [
        userId(1),
        "conflict",
        'onPremisesImmutableId is "c29tZW9uZSBlbHNl", the plan expected null: changed since the plan was made; plan again and review the new plan',
      ],
      [userId(2), "skipped", "already in the planned state"],
      [userId(3), "failed", "the cloud object no longer exists"],
    ]);
    expect(immutableIdOf(1)).toBe("c29tZW9uZSBlbHNl");
    expect(server.count("user-patch")).toBe(0);
  });
});
