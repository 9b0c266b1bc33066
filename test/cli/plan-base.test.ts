/**
 * The pull request review at the size of a real tenant: 10,000 identities in files of 1,000, in a
 * real git repository; a branch that adds an alias, changes a primary and removes a mapping, and
 * with it an unchanged identity that becomes affected. `plan --base` compares, `github comment`
 * posts to the loopback GitHub API.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { main } from "../../src/cli/main.js";
import { COMMENT_LIMIT } from "../../src/github/comment.js";
import type { Plan } from "../../src/plan/types.js";
import { runCli } from "../support/cli.js";
import { tempDir } from "../support/files.js";
import { startGithubServer } from "../support/github-server.js";
import type { GithubServer } from "../support/github-server.js";
import { planValidator } from "../support/plan-schema.js";
import { writeEstateRepo, writePullRequest } from "../support/pr-estate.js";
import type { PrEstate } from "../support/pr-estate.js";
import { actionsEnv, capture } from "../github/fixtures.js";

const N = 10_000;
const PR = 31;
const MIB = 1024 * 1024;

let root: { dir: string; remove: () => void };
let estate: PrEstate;
let whole: { code: number; json: Plan; markdown: string };
let review: { code: number; markdown: string; text: string; saved: Plan };
let server: GithubServer;

const snapshots = (): string[] => ["--ad-snapshot", estate.ad, "--entra-snapshot", estate.entra];

beforeAll(async () => {
  root = tempDir();
  const repo = await writeEstateRepo(root.dir, N);
  const base = ["--ad-snapshot", repo.ad, "--entra-snapshot", repo.entra];
  const json = await runCli(["plan", ...base, "--format", "json"], { cwd: repo.repo });
  const markdown = await runCli(["plan", ...base, "--format", "markdown"], { cwd: repo.repo });
  whole = { code: json.code, json: JSON.parse(json.stdout) as Plan, markdown: markdown.stdout };
  estate = await writePullRequest(repo, whole.json);

  const md = await runCli(
    ["plan", ...snapshots(), "--base", "main", "--format", "markdown", "--out", "plan.json"],
    {
      cwd: estate.repo,
    },
  );
  const text = await runCli(["plan", ...snapshots(), "--base", "main", "--format", "text"], {
    cwd: estate.repo,
  });
  review = {
    code: md.code,
    markdown: md.stdout,
    text: text.stdout,
    saved: JSON.parse(readFileSync(path.join(estate.repo, "plan.json"), "utf8")) as Plan,
  };
  server = await startGithubServer();
  server.addIssue({ number: PR, title: "Three mappings", isPullRequest: true });
}, 300_000);

afterAll(async () => {
  await server?.close();
  root?.remove();
});

/** Identity keys of the estate ("u123", "team45") a text names anywhere. */
function keysNamed(body: string): Set<string> {
  return new Set(body.match(/\b(u|team)\d+\b/g) ?? []);
}

describe("plan --base on a 10,000-identity estate", () => {
  it("the whole-estate views: markdown within 1 MiB, JSON complete and valid", () => {
    expect(whole.json.identities).toHaveLength(N);
    expect(planValidator()(whole.json)).toBe(true);
    expect(Buffer.byteLength(whole.markdown)).toBeLessThanOrEqual(MIB);
    // Identities with nothing to do are counted; repeated warnings are said once per code.
    expect(whole.markdown).toMatch(/[\d,]+ of 10,000 identities have nothing to change and no findings/);
    expect(whole.markdown).toContain("#### Warnings, by code");
    expect(whole.markdown.match(/^ {2}- warning `PasswordWillBeOverwritten`:/gm)).toBeNull();
  });

  it("compares per identity: three entries in the pull request, one affected, nothing else", () => {
    const statuses = Object.fromEntries(review.saved.base!.identities.map((r) => [r.key, r.status]));

    expect(statuses).toEqual({
      [estate.alias]: "edited",
      [estate.primary]: "edited",
      [estate.affected]: "affected",
      [estate.removed]: "removed",
    });
    expect(review.saved.base!.commit).toMatch(/^[0-9a-f]{40}$/);
    const removed = review.saved.base!.identities.find((r) => r.status === "removed")!;
    expect(removed.released?.dn).toBe(removed.base?.dn);
    expect(removed.released?.outcome).not.toBeNull();
  });

  it("the plan file still holds every identity and the comparison, and validates", () => {
    expect(review.saved.identities).toHaveLength(N - 1);
    expect(planValidator()(review.saved)).toBe(true);
    expect(review.saved.base!.summary!.identities).toBe(N);
    expect(review.code).toBe(1);
  });

  it("the terminal view names the change and the estate in numbers", () => {
    expect(review.text).toMatch(
      /^idanchor plan against main \([0-9a-f]{7}\): 0 added, 2 edited, 1 removed, 1 affected/,
    );
    expect([...keysNamed(review.text)].sort()).toEqual(
      [estate.alias, estate.primary, estate.removed, estate.affected].sort(),
    );
    expect(review.text).toMatch(/base: {3}10000 identities/);
  });

  it("github comment posts exactly one comment: the change in full, the estate in numbers", async () => {
    const run = capture(actionsEnv(server, estate.repo, { pull_request: { number: PR } }), estate.repo);

    const code = await main(["github", "comment", "--plan-file", "plan.json"], run.ctx);

    expect(code).toBe(0);
    const comments = server.commentsOn(PR);
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    if (process.env.IDANCHOR_DUMP) {
      const { writeFileSync } = await import("node:fs");
      writeFileSync(`${process.env.IDANCHOR_DUMP}/comment.md`, body);
      writeFileSync(`${process.env.IDANCHOR_DUMP}/whole.md`, whole.markdown);
      writeFileSync(`${process.env.IDANCHOR_DUMP}/review.txt`, review.text);
    }
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect([...keysNamed(body)].sort()).toEqual(
      [estate.alias, estate.primary, estate.removed, estate.affected].sort(),
    );
    for (const key of [estate.alias, estate.primary, estate.removed, estate.affected])
      expect(body).toContain(`**${key}**`);
    expect(body).toContain(`extra.${estate.alias}@contoso.com`);
    expect(body).toMatch(/\| \*\*identities\*\* \| 10,000 \| 9,999 \|/);
    expect(body).toMatch(/\| errors \| [\d,]+ \| [\d,]+ \|/);
    expect(body).toContain("#### The estate in numbers");
    expect(body).toMatch(/\*\*0 added, 2 edited, 1 removed\*\* in this pull request; \*\*1 affected\*\*/);
    expect(review.markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  });

  it("github annotate annotates only the identities the pull request touched or affected", async () => {
    const run = capture(actionsEnv(server, estate.repo, { pull_request: { number: PR } }), estate.repo);

    const code = await main(["github", "annotate", "--plan-file", "plan.json", "--no-summary"], run.ctx);

    const titled = [...run.stdout().matchAll(/title=idanchor plan%3A \w+ \(([^)]+)\)/g)].map((m) => m[1]);
    expect(titled.length).toBeGreaterThan(0);
    const reviewed = new Set([estate.primary, estate.affected, estate.alias]);
    expect(titled.filter((key) => !reviewed.has(key!))).toEqual([]);
    expect(titled).toContain(estate.primary);
    expect(titled).toContain(estate.affected);
    expect(code).toBe(1);
  });
});
