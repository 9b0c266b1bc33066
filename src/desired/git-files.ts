/**
 * Reading the identities folder as it stands at a git commit (`plan --base REF`), straight from the
 * object database: the user's checkout, index and working tree are never touched.
 */
import { createHash } from "node:crypto";
import { readFile, realpath } from "node:fs/promises";
import path from "node:path";

import { InputError } from "../model/errors.js";
import { parseDesiredState } from "./parse.js";
import type { DesiredStateResult, ParseCache } from "./parse.js";
import type { SourceFile } from "./yaml-files.js";
import { openGit } from "./git.js";

/** A git call that hangs (a lock, a prompt) must not hold the pull request check for ever. */
const GIT_TIMEOUT_MS = 60_000;

export interface DesiredAtCommit {
  /** The full commit id `ref` resolved to. */
  commit: string;
  result: DesiredStateResult;
}

/** The working tree's text of `file` when its bytes are exactly the blob `blob` (git's object id), else null. */
async function unchangedText(file: string, blob: string): Promise<string | null> {
  const bytes = await readFile(file).catch(() => null);
  if (bytes === null) return null;
  const id = createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
  return id === blob ? bytes.toString("utf8") : null;
}

/** Loads and validates the desired state of `dir` (relative to `cwd`) at `ref`. */
export async function loadDesiredStateAt(
  ref: string,
  dir: string,
  cwd: string,
  cache?: ParseCache,
): Promise<DesiredAtCommit> {
  const git = await openGit({ baseDir: cwd, timeout: { block: GIT_TIMEOUT_MS } });
  const top = (
    await git.raw(["rev-parse", "--show-toplevel"]).catch(() => {
      throw new InputError(`--base needs a git repository, and ${cwd} is not inside one`);
    })
  ).trim();
  const commit = (
    await git.raw(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).catch(() => "")
  ).trim();
  if (commit === "")
    throw new InputError(
      `--base ${ref}: no such commit in this clone; fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0)`,
    );
  const root = await realpath(path.resolve(cwd, dir)).catch(() => path.resolve(cwd, dir));
  const realTop = await realpath(top);
  const inRepo = path.relative(realTop, root).split(path.sep).join("/");
  if (inRepo.startsWith(".."))
    throw new InputError(`--base: the identities folder ${dir} lies outside the git repository ${top}`);
  const listing = await (
    await openGit({ baseDir: realTop, timeout: { block: GIT_TIMEOUT_MS } })
  ).raw(["ls-tree", "-r", "-z", commit, "--", inRepo === "" ? "." : inRepo]);
  const files: SourceFile[] = [];
  const realCwd = await realpath(cwd);
  for (const entry of listing.split("\0")) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (!match) continue;
    const [, blob, file] = match as unknown as [string, string, string];
    if (!/\.ya?ml$/i.test(file) || file.split("/").some((part) => part.startsWith("."))) continue;
    // A file the working tree has unchanged (most of them, in a pull request) is read from disk, not
    // from git: one process less per file.
    const text =
      (await unchangedText(path.join(realTop, file), blob)) ?? (await git.raw(["cat-file", "blob", blob]));
    // Shown as the working tree's files are: relative to where the command runs.
    const shown = path.relative(realCwd, path.join(realTop, file)).split(path.sep).join("/");
    files.push({ path: shown, text: text.replace(/^\uFEFF/, "") });
  }
  return { commit, result: parseDesiredState(files, cache) };
}
