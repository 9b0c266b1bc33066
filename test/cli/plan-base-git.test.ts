/** `plan --base` on the demo in a real git repository: git is read, never the user's checkout changed. */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@jest/globals";
import { simpleGit } from "simple-git";

import type { Plan } from "../../src/plan/types.js";
import { runCli } from "../support/cli.js";
import { workspaces } from "../support/files.js";
import { planValidator } from "../support/plan-schema.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SNAPSHOTS = [
  "--ad-snapshot",
  path.join(ROOT, "examples/contoso/ad.ldif"),
  "--entra-snapshot",
  path.join(ROOT, "examples/contoso/entra.json"),
];
const author = ["-c", "user.name=Reviewer", "-c", "user.email=reviewer@contoso.com"];
const workspace = workspaces();

async function demoRepo(): Promise<string> {
  const dir = workspace();
  cpSync(path.join(ROOT, "identities"), path.join(dir, "identities"), { recursive: true });
  const git = simpleGit({ baseDir: dir });
  await git.init(["--initial-branch=main"]);
  await git.add(".");
  await git.raw([...author, "commit", "-q", "-m", "demo"]);
  return dir;
}

describe("plan --base (git)", () => {
  it("plans the committed state against the working tree; the checkout, index and tree stay as they were", async () => {
    const dir = await demoRepo();
    const staff = path.join(dir, "identities/staff.yaml");
    writeFileSync(
      staff,
      readFileSync(staff, "utf8").replace(
        "aliases: [asmith@contoso.com]",
        "aliases: [asmith@contoso.com, alice@contoso.com]",
      ),
    );
    const git = simpleGit({ baseDir: dir });
    const before = [
      await git.raw(["status", "--porcelain=v2", "--branch"]),
      await git.raw(["stash", "list"]),
    ];

    const run = await runCli(["plan", ...SNAPSHOTS, "--base", "HEAD", "--format", "json"], { cwd: dir });

    const plan = JSON.parse(run.stdout) as Plan;
    expect(planValidator()(plan)).toBe(true);
    expect(plan.base!.identities.map((r) => [r.key, r.status])).toEqual([["asmith", "edited"]]);
    expect(plan.base!.commit).toBe((await git.revparse(["HEAD"])).trim());
    expect([
      await git.raw(["status", "--porcelain=v2", "--branch"]),
      await git.raw(["stash", "list"]),
    ]).toEqual(before);
  });

  it("a ref that is not in the clone is one clear error, exit 1, and no plan", async () => {
    const dir = await demoRepo();

    const run = await runCli(["plan", ...SNAPSHOTS, "--base", "no-such-branch", "--out", "plan.json"], {
      cwd: dir,
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--base no-such-branch: no such commit in this clone; fetch it first");
    expect(run.stdout).toBe("");
  });

  it("a base without the identities folder counts every entry as added, and says why", async () => {
    const dir = workspace({ "README.md": "empty\n" });
    const git = simpleGit({ baseDir: dir });
    await git.init(["--initial-branch=main"]);
    await git.add(".");
    await git.raw([...author, "commit", "-q", "-m", "empty"]);
    cpSync(path.join(ROOT, "identities"), path.join(dir, "identities"), { recursive: true });

    const run = await runCli(["plan", ...SNAPSHOTS, "--base", "main", "--format", "markdown"], { cwd: dir });
    const json = JSON.parse(
      (await runCli(["plan", ...SNAPSHOTS, "--base", "main", "--format", "json"], { cwd: dir })).stdout,
    ) as Plan;

    expect(json.base!.identities.every((r) => r.status === "added")).toBe(true);
    expect(json.base!.identities).toHaveLength(json.identities.length);
    expect(json.base!.summary).toBeNull();
    expect(run.stderr).toContain("--base main: the desired state at the base has");
    expect(run.stdout).toContain(
      `**${json.identities.length} added, 0 edited, 0 removed** in this pull request`,
    );
    expect(run.stdout).toContain("The base could not be planned");
  });
});
