/** `idanchor github verify-issues` against the loopback GitHub server, from reports the classifier builds. */
import { writeFileSync } from "node:fs";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";

import { runGithubVerifyIssues } from "../../src/cli/commands/github-verify.js";
import { verifyMarker } from "../../src/github/verify-issues.js";
import { buildVerifyReport } from "../../src/plan/verify.js";
import { PLAIN_STYLE } from "../../src/render/style.js";
import { renderVerify } from "../../src/render/verify.js";
import { anchorOf, cloudUser } from "../plan/builders.js";
import { AFTER, joined, pending, tenant, unjoined } from "../plan/verify-builders.js";
import { tempDir } from "../support/files.js";
import { startGithubServer } from "../support/github-server.js";
import type { GithubServer } from "../support/github-server.js";
import { actionsEnv, capture } from "./fixtures.js";

let server: GithubServer;
let dir: string;
let removeDir: () => void;

beforeEach(async () => {
  server = await startGithubServer();
  ({ dir, remove: removeDir } = tempDir());
});

afterEach(async () => {
  await server.close();
  removeDir();
});

const duplicateOf = (n: number) =>
  cloudUser(`dup${n}`, {
    onPremisesImmutableId: anchorOf(n),
    onPremisesSyncEnabled: true,
    createdDateTime: AFTER,
  });

/** Writes `idanchor verify --format json` output for u1..u3 against the tenant given. */
function reportFile(name: string, users: ReturnType<typeof cloudUser>[]): string {
  const report = buildVerifyReport([pending(1), pending(2), pending(3)], tenant(...users), null);
  const file = path.join(dir, name);
  writeFileSync(file, renderVerify(report, "json", PLAIN_STYLE));
  return file;
}

async function run(verifyExitCode: number, report?: string) {
  const env = actionsEnv(server, dir, { schedule: "23 */6 * * *" }, { GITHUB_EVENT_NAME: "schedule" });
  const out = capture(env, dir);
  const code = await runGithubVerifyIssues({ verifyExitCode, report }, out.ctx);
  return { code, stdout: out.stdout(), stderr: out.stderr() };
}

const issueOf = (key: string) =>
  [...server.issues.values()].find((i) => i.body.startsWith(verifyMarker(key)));

describe("idanchor github verify-issues", () => {
  it("opens one issue per diverged identity naming the PR, leaves it alone when nothing changed, and closes it once as predicted", async () => {
    const diverged = reportFile("a.json", [
      joined(1),
      unjoined(2),
      duplicateOf(2),
      unjoined(3),
      duplicateOf(3),
    ]);
    const fixed = reportFile("b.json", [joined(1), joined(2), unjoined(3), duplicateOf(3)]);

    const opened = await run(2, diverged);
    const writes = server.writes.length;
    const same = await run(2, diverged);
    const after = server.writes.length;
    const closed = await run(2, fixed);

    expect([opened.code, same.code, closed.code]).toEqual([0, 0, 0]);
    expect(issueOf("u1")).toBeUndefined();
    const u2 = issueOf("u2")!;
    const u3 = issueOf("u3")!;
    expect(u2.title).toBe(
      "idanchor verify: u2 diverged from the plan of PR #12, commit c0ffee000000 (Duplicate)",
    );
    expect(u2.body).toContain("Remove-MgUser -UserId dup2");
    expect(opened.stdout).toBe(
      `idanchor: verify issue #${u2.number} (u2): created\nidanchor: verify issue #${u3.number} (u3): created\n`,
    );
    expect(after).toBe(writes);
    expect(same.stdout).toContain(`#${u2.number} (u2): unchanged`);
    expect(u2.state).toBe("closed");
    expect(server.commentsOn(u2.number)[0]!.body).toContain(
      "The sync now did what the plan predicted for u2",
    );
    expect(u3.state).toBe("open");
    expect(closed.stdout).toBe(
      `idanchor: verify issue #${u2.number} (u2): closed\nidanchor: verify issue #${u3.number} (u3): unchanged\n`,
    );
  });

  it("updates the issue when the divergence changes", async () => {
    await run(2, reportFile("a.json", [joined(1), joined(2), unjoined(3), duplicateOf(3)]));
    const withError = {
      ...joined(3),
      onPremisesProvisioningErrors: [
        {
          category: "PropertyConflict",
          errorDetail: null,
          occurredDateTime: AFTER,
          propertyCausingError: "UserPrincipalName",
          value: "u3@contoso.com",
        },
      ],
    };

    const updated = await run(2, reportFile("b.json", [joined(1), joined(2), withError]));

    expect(updated.stdout).toBe(`idanchor: verify issue #${issueOf("u3")!.number} (u3): updated\n`);
    expect(issueOf("u3")!.body).toContain("ProvisioningError");
  });

  it("a failed verify leaves every issue as it is and fails", async () => {
    await run(2, reportFile("a.json", [joined(1), unjoined(2), duplicateOf(2), joined(3)]));
    const before = server.requests.length;

    const failed = await run(1, reportFile("b.json", [joined(1), joined(2), joined(3)]));

    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("a failed read is not a divergence");
    expect(server.requests.length).toBe(before);
    expect(issueOf("u2")!.state).toBe("open");
  });
});
