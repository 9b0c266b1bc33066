/**
 * A generated estate (bench/estate.ts) in a real git repository, with a pull request branch on
 * top: one identity gets an alias, one a new primary, one is removed, and the new primary is an
 * address a fourth, unchanged identity's object holds, so that identity is affected. The picks
 * come from the base plan the CLI computes, not from the generator's internals.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

import { simpleGit } from "simple-git";

import { writeSnapshotEstate } from "../../bench/estate.js";
import type { Plan, PlanIdentity } from "../../src/plan/types.js";

export interface PrEstate {
  /** The repository; identities/ inside it, the snapshots beside it. */
  repo: string;
  ad: string;
  entra: string;
  /** Keys of the identities the branch changes, and of the one it affects. */
  alias: string;
  primary: string;
  removed: string;
  affected: string;
}

const author = ["-c", "user.name=Reviewer", "-c", "user.email=reviewer@contoso.com"];

/** Writes the estate and commits it on `main`. */
export async function writeEstateRepo(
  root: string,
  n: number,
): Promise<{ repo: string; ad: string; entra: string }> {
  const repo = path.join(root, "repo");
  const { ad, entra } = writeSnapshotEstate(root, n, { perFile: 1_000 });
  // The desired state lives in the repository; the snapshots stay beside it.
  mkdirSync(repo);
  renameSync(path.join(root, "identities"), path.join(repo, "identities"));
  await commitEstate(repo);
  return { repo, ad, entra };
}

/** Makes `repo` (the desired state written in it) a git repository with one commit on `main`. */
export async function commitEstate(repo: string): Promise<void> {
  const git = simpleGit({ baseDir: repo });
  await git.init(["--initial-branch=main"]);
  await git.add(".");
  await git.raw([...author, "commit", "-q", "-m", "The estate"]);
}

const quiet = (i: PlanIdentity): boolean =>
  i.key.startsWith("u") && !i.findings.some((f) => f.severity === "error");

/** Picks the identities from the base plan and commits the pull request branch `pr`. */
export async function writePullRequest<E extends { repo: string }>(
  estate: E,
  basePlan: Plan,
): Promise<E & Pick<PrEstate, "alias" | "primary" | "removed" | "affected">> {
  const joined = basePlan.identities.find(
    (i) => quiet(i) && i.outcome === "joined" && i.changes.length === 0,
  );
  const joining = basePlan.identities.filter((i) => quiet(i) && i.outcome === "will-join");
  const [primary, affected, removed] = joining;
  if (!joined || !primary || !affected || !removed)
    throw new Error("the estate has too few healthy identities");
  // The affected identity's object keeps its old primary as an alias; the branch gives it to another.
  const held = affected.read.ad?.proxyAddresses.find((v) => v.startsWith("SMTP:"))?.slice(5);
  if (!held) throw new Error(`${affected.key} has no primary to take`);

  const dir = path.join(estate.repo, "identities");
  for (const name of readdirSync(dir).filter((f) => f.startsWith("identities-"))) {
    const file = path.join(dir, name);
    const lines = readFileSync(file, "utf8").split("\n");
    const edited = lines.flatMap((line) => {
      if (line.includes(`{ad: ${removed.key},`)) return [];
      if (line.includes(`{ad: ${primary.key},`)) return [line.replace(/smtp: [^,}]+/, `smtp: ${held}`)];
      if (line.includes(`{ad: ${joined.key},`)) {
        const alias = `extra.${joined.key}@contoso.com`;
        return [
          line.includes("aliases: [")
            ? line.replace("aliases: [", `aliases: [${alias}, `)
            : line.replace(/}$/, `, aliases: [${alias}]}`),
        ];
      }
      return [line];
    });
    writeFileSync(file, edited.join("\n"));
  }
  const git = simpleGit({ baseDir: estate.repo });
  await git.checkoutLocalBranch("pr");
  await git.add(".");
  await git.raw([...author, "commit", "-q", "-m", "Alias, new primary, one mapping removed"]);
  return { ...estate, alias: joined.key, primary: primary.key, removed: removed.key, affected: affected.key };
}
