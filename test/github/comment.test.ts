import { writeFileSync } from "node:fs";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";

import type { GithubCommentOptions } from "../../src/cli/commands/github.js";
import { main } from "../../src/cli/main.js";
import { COMMENT_LIMIT } from "../../src/github/comment.js";
import { PLAN_MARKER, renderPlan, PLAIN_STYLE } from "../../src/render/index.js";
import { SETTINGS_YAML, tempDir } from "../support/files.js";
import { startGithubServer } from "../support/github-server.js";
import type { GithubServer } from "../support/github-server.js";
import {
  actionsEnv,
  balanced,
  bigPlan,
  capture,
  finding,
  planIdentity,
  planOf,
  writePlan,
} from "./fixtures.js";

const PR = 12;
let server: GithubServer;
let dir: string;
let removeDir: () => void;

beforeEach(async () => {
  server = await startGithubServer();
  server.addIssue({ number: PR, title: "Add identities", isPullRequest: true });
  ({ dir, remove: removeDir } = tempDir());
});

afterEach(async () => {
  await server.close();
  removeDir();
});

/** `idanchor github comment` through the CLI's entry point, as the workflow runs it. */
async function comment(
  options: GithubCommentOptions,
  env = actionsEnv(server, dir, { pull_request: { number: PR } }),
) {
  const run = capture(env, dir);
  const argv = ["github", "comment"];
  if (options.planFile !== undefined) argv.push("--plan-file", options.planFile);
  if (options.markdownFile !== undefined) argv.push("--markdown-file", options.markdownFile);
  if (options.identities !== undefined) argv.push("--identities", options.identities);
  if (options.forkNotice === true) argv.push("--fork-notice");
  if (options.pr !== undefined) argv.push("--pr", String(options.pr));
  const code = await main(argv, run.ctx);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

const writesSoFar = (): string[] => server.writes.map((w) => `${w.method} ${w.path}`);

describe("idanchor github comment (sticky PR comment)", () => {
  it("creates the comment, edits it when the plan changes, and writes nothing when it does not", async () => {
    const first = writePlan(dir, planOf([planIdentity(1)]), "first.json");
    const second = writePlan(
      dir,
      planOf([
        planIdentity(1),
        planIdentity(2, { outcome: "blocked", findings: [finding("InvalidSoftMatch")] }),
      ]),
      "second.json",
    );

    const run1 = await comment({ planFile: first });
    const afterFirst = server.commentsOn(PR).map((c) => ({ ...c }));
    const run2 = await comment({ planFile: second });
    const afterSecond = server.commentsOn(PR).map((c) => ({ ...c }));
    const writesBeforeThird = writesSoFar();
    const run3 = await comment({ planFile: second });

    expect([run1.code, run2.code, run3.code]).toEqual([0, 0, 0]);
    expect(afterFirst).toHaveLength(1);
    expect(
      afterFirst[0]!.body.startsWith(`${PLAN_MARKER}\n<!-- idanchor:part 1 of 1 -->\n### idanchor plan`),
    ).toBe(true);
    expect(afterFirst[0]!.body).toContain("user00001");
    expect(afterSecond).toHaveLength(1);
    expect(afterSecond[0]!.id).toBe(afterFirst[0]!.id);
    expect(afterSecond[0]!.body).toContain("InvalidSoftMatch");
    expect(writesBeforeThird).toEqual([
      `POST /repos/contoso/identities/issues/${PR}/comments`,
      `PATCH /repos/contoso/identities/issues/comments/${afterFirst[0]!.id}`,
    ]);
    expect(writesSoFar()).toEqual(writesBeforeThird);
    expect(run3.stdout).toContain("0 created, 0 updated, 1 unchanged, 0 deleted");
  });

  it("posts a 150,000-character plan as 3+ balanced comments in order, then shrinks back to one", async () => {
    const plan = bigPlan(620);
    const markdown = renderPlan(plan, "markdown", PLAIN_STYLE);
    const big = writePlan(dir, plan, "big.json");
    const small = writePlan(dir, planOf([planIdentity(1)]), "small.json");

    const run = await comment({ planFile: big });
    const parts = server.commentsOn(PR).map((c) => ({ ...c }));
    const again = await comment({ planFile: big });
    const writesAfterRepeat = server.writes.length;
    const shrink = await comment({ planFile: small });

    expect(markdown.length).toBeGreaterThanOrEqual(150_000);
    expect([run.code, again.code, shrink.code]).toEqual([0, 0, 0]);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    parts.forEach((part, index) => {
      expect(part.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
      expect(
        part.body.startsWith(`${PLAN_MARKER}\n<!-- idanchor:part ${index + 1} of ${parts.length} -->\n`),
      ).toBe(true);
      expect(balanced(part.body)).toBe(true);
    });
    const keys =
      parts
        .map((p) => p.body)
        .join("\n")
        .match(/\*\*user\d{5}\*\* ->/g) ?? [];
    expect(keys).toEqual(markdown.match(/\*\*user\d{5}\*\* ->/g));
    expect(again.stdout).toContain(`0 created, 0 updated, ${parts.length} unchanged, 0 deleted`);
    expect(writesAfterRepeat).toBe(parts.length);
    expect(server.commentsOn(PR)).toHaveLength(1);
    expect(server.commentsOn(PR)[0]!.id).toBe(parts[0]!.id);
    expect(shrink.stdout).toContain(`0 created, 1 updated, 0 unchanged, ${parts.length - 1} deleted`);
  });

  it("never posts more than 3 comments: a whole-estate plan too big for them says where the rest is", async () => {
    const big = writePlan(dir, bigPlan(3_000), "huge.json");

    const run = await comment({ planFile: big });

    const parts = server.commentsOn(PR);
    expect(run.code).toBe(0);
    expect(parts).toHaveLength(3);
    for (const part of parts) {
      expect(part.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
      expect(balanced(part.body)).toBe(true);
    }
    expect(parts[2]!.body).toMatch(
      /more identities \(will join the intended cloud object\) in the plan file/,
    );
    expect(parts[2]!.body).toContain("The job summary of this run shows more of it");
    expect(run.stderr).toContain("the plan does not fit in 3 comments and was cut");
  });

  it("finds its comment among more than 100 others (paged listing) and leaves people's comments alone", async () => {
    const plan = writePlan(dir, planOf([planIdentity(1)]));
    await comment({ planFile: plan });
    const ours = server.commentsOn(PR)[0]!;
    for (let i = 0; i < 130; i++)
      server.addComment(PR, `looks good ${i}`, { login: "alice", id: 7, type: "User" });
    const quoted = server.addComment(PR, `${PLAN_MARKER}\nquoting the bot`, {
      login: "bob",
      id: 8,
      type: "User",
    });
    const changed = writePlan(dir, planOf([planIdentity(3)]), "changed.json");

    const run = await comment({ planFile: changed });

    expect(run.code).toBe(0);
    expect(server.comments.get(ours.id)!.body).toContain("user00003");
    expect(server.comments.get(quoted.id)!.body).toBe(`${PLAN_MARKER}\nquoting the bot`);
    expect(server.commentsOn(PR)).toHaveLength(132);
    expect(server.requests.filter((r) => r.method === "GET").length).toBeGreaterThanOrEqual(3);
  });

  it("for a fork says that only validation ran, with the validation result", async () => {
    const ids = tempDir({
      "identities/settings.yaml": SETTINGS_YAML,
      "identities/staff.yaml":
        "kind: IdentityMap\nidentities:\n  - ad: x\n    cloud: x@contoso.com\n    smtp: x@@contoso.com\n",
    });
    const env = actionsEnv(
      server,
      dir,
      { pull_request: { number: PR } },
      { GITHUB_EVENT_NAME: "pull_request_target" },
    );
    const run = capture(env, ids.dir);

    const code = await main(["github", "comment", "--identities", "identities", "--fork-notice"], run.ctx);
    ids.remove();

    const body = server.commentsOn(PR)[0]!.body;
    expect(code).toBe(0);
    expect(body).toContain("**Validation only.** This pull request comes from a fork.");
    expect(body).toContain("| `identities/staff.yaml:5:11` | error | `InvalidAddress` |");
    expect(body).not.toContain("| next sync | identities |");
  });

  it("says there is no plan, with a link to the run, when the plan could not be computed", async () => {
    const ids = tempDir({
      "identities/settings.yaml": SETTINGS_YAML,
      "identities/staff.yaml":
        "kind: IdentityMap\nidentities:\n  - ad: x\n    cloud: x@contoso.com\n    smtp: x@contoso.com\n",
    });
    const run = capture(actionsEnv(server, dir, { pull_request: { number: PR } }), ids.dir);

    const code = await main(["github", "comment", "--identities", "identities"], run.ctx);
    ids.remove();

    expect(code).toBe(0);
    expect(server.commentsOn(PR)[0]!.body).toContain(
      "**No plan.** The plan could not be computed (a directory could not be read, or the plan failed); see the log of the [workflow run](https://github.example/contoso/identities/actions/runs/4242).",
    );
  });

  it("fails with GitHub's reason and a hint, never the token, when the token may not write", async () => {
    server.readOnly = true;
    const plan = writePlan(dir, planOf([planIdentity(1)]));

    const run = await comment({ planFile: plan });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("HTTP 403 Resource not accessible by integration");
    expect(run.stderr).toContain("pull requests from forks only get a read-only token");
    expect(run.stderr + run.stdout).not.toContain(server.token);
    expect(server.commentsOn(PR)).toHaveLength(0);
  });

  it("refuses to run without a token or outside a pull request, before any request", async () => {
    const plan = writePlan(dir, planOf([planIdentity(1)]));
    const noToken = { ...actionsEnv(server, dir, { pull_request: { number: PR } }), GITHUB_TOKEN: "" };
    const pushEvent = actionsEnv(server, dir, { ref: "refs/heads/main" });

    const missingToken = await comment({ planFile: plan }, noToken);
    const notAPullRequest = await comment({ planFile: plan }, pushEvent);

    expect(missingToken.code).toBe(1);
    expect(missingToken.stderr).toContain("GITHUB_TOKEN is not set");
    expect(notAPullRequest.code).toBe(1);
    expect(notAPullRequest.stderr).toContain("no pull request");
    expect(server.requests).toHaveLength(0);
  });

  it("posts pre-rendered markdown, and refuses a plan file and a markdown file together", async () => {
    const md = `${PLAN_MARKER}\n### idanchor plan\n\nrendered elsewhere\n`;
    const file = path.join(dir, "plan.md");
    writeFileSync(file, md);
    const plan = writePlan(dir, planOf([planIdentity(1)]));

    const run = await comment({ markdownFile: file });
    const both = await comment({ markdownFile: file, planFile: plan });

    expect(run.code).toBe(0);
    expect(server.commentsOn(PR)[0]!.body).toBe(
      `${PLAN_MARKER}\n<!-- idanchor:part 1 of 1 -->\n### idanchor plan\n\nrendered elsewhere\n`,
    );
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("give either --plan-file or --markdown-file, not both");
  });

  it("takes --pr over the event and rejects a file that is not a plan", async () => {
    server.addIssue({ number: 40, title: "other", isPullRequest: true });
    const plan = writePlan(dir, planOf([planIdentity(1)]));
    const notAPlan = writePlan(dir, { version: 7 } as never, "not-a-plan.json");

    const run = await comment({ planFile: plan, pr: "40" });
    const bad = await comment({ planFile: notAPlan });

    expect(run.code).toBe(0);
    expect(server.commentsOn(40)).toHaveLength(1);
    expect(server.commentsOn(PR)).toHaveLength(0);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /not-a-plan\.json: plan version 7 is not 1; plan again with this idanchor version\n$/,
    );
  });
});
