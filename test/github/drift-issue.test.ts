import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";

import { runGithubDriftIssue } from "../../src/cli/commands/github.js";
import { DRIFT_MARKER, DRIFT_TITLE } from "../../src/github/drift-issue.js";
import { PLAIN_STYLE, renderPlan } from "../../src/render/index.js";
import { tempDir } from "../support/files.js";
import { startGithubServer } from "../support/github-server.js";
import type { GithubServer } from "../support/github-server.js";
import { actionsEnv, balanced, bigPlan, capture, planIdentity, planOf } from "./fixtures.js";

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

function markdownFile(name: string, identities: number[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, renderPlan(planOf(identities.map((n) => planIdentity(n))), "markdown", PLAIN_STYLE));
  return file;
}

async function report(driftExitCode: number, file?: string) {
  const env = actionsEnv(
    server,
    dir,
    { schedule: "23 */6 * * *" },
    { GITHUB_EVENT_NAME: "schedule", GITHUB_STEP_SUMMARY: path.join(dir, "summary.md") },
  );
  const run = capture(env, dir);
  const code = await runGithubDriftIssue({ driftExitCode, markdownFile: file }, run.ctx);
  const summary = existsSync(path.join(dir, "summary.md"))
    ? readFileSync(path.join(dir, "summary.md"), "utf8")
    : "";
  rmSync(path.join(dir, "summary.md"), { force: true });
  return { code, stdout: run.stdout(), stderr: run.stderr(), summary };
}

const driftIssues = () => [...server.issues.values()].filter((i) => i.body.startsWith(DRIFT_MARKER));

describe("idanchor github drift-issue", () => {
  it("opens one issue with the plan, updates it when the drift changes, writes nothing when it does not", async () => {
    server.addIssue({ title: "unrelated", body: "hello" });
    const first = markdownFile("a.md", [1]);
    const second = markdownFile("b.md", [1, 2]);

    const opened = await report(2, first);
    const updated = await report(2, second);
    const writes = server.writes.length;
    const same = await report(2, second);

    expect([opened.code, updated.code, same.code]).toEqual([0, 0, 0]);
    expect(driftIssues()).toHaveLength(1);
    const issue = driftIssues()[0]!;
    expect(issue.title).toBe(DRIFT_TITLE);
    expect(issue.body).toContain("user00002");
    expect(opened.stdout).toBe(`idanchor: drift issue #${issue.number}: created\n`);
    expect(updated.stdout).toBe(`idanchor: drift issue #${issue.number}: updated\n`);
    expect(same.stdout).toBe(`idanchor: drift issue #${issue.number}: unchanged\n`);
    expect(server.writes.length).toBe(writes);
    expect(same.summary).toMatch(
      /^### idanchor plan\n[\s\S]*user00002[\s\S]*\n\nDrift issue #\d+: unchanged\.\n$/,
    );
  });

  it("closes the open drift issue with a comment when the drift is gone", async () => {
    await report(2, markdownFile("a.md", [1]));
    const issue = driftIssues()[0]!;

    const clean = await report(0);
    const cleanAgain = await report(0);

    expect(clean.code).toBe(0);
    expect(issue.state).toBe("closed");
    expect(issue.stateReason).toBe("completed");
    expect(server.commentsOn(issue.number)[0]!.body).toBe(
      "Live state matches `main` again (checked by [this run](https://github.example/contoso/identities/actions/runs/4242)); closing.",
    );
    expect(cleanAgain.stdout).toBe("idanchor: drift issue: none\n");
    expect(clean.summary).toBe(
      `### idanchor drift\n\nNo drift: live state matches \`main\`. Drift issue #${issue.number} closed.\n`,
    );
  });

  it("reports a failed read as a failure and never touches the issue", async () => {
    await report(2, markdownFile("a.md", [1]));
    const before = server.requests.length;

    const failed = await report(1, markdownFile("b.md", [5]));

    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      "the drift check failed (exit 1); a failed read is reported as a failure, not as drift",
    );
    expect(server.requests.length).toBe(before);
    expect(driftIssues()[0]!.body).not.toContain("user00005");
    expect(failed.summary).toBe(
      "### idanchor drift\n\n**The drift check failed** (exit 1); the drift issue was left as it is. See the log of the [workflow run](https://github.example/contoso/identities/actions/runs/4242).\n",
    );
  });

  it("cuts a plan too long for an issue body, balanced, with a note", async () => {
    const file = path.join(dir, "big.md");
    writeFileSync(file, renderPlan(bigPlan(700), "markdown", PLAIN_STYLE));

    const run = await report(2, file);

    const body = driftIssues()[0]!.body;
    expect(run.code).toBe(0);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(balanced(body)).toBe(true);
    expect(body).toContain("*The report is longer than an issue can hold and is cut off here");
  });
});
