/**
 * Verify's git I/O: the receipts and earlier verdicts under refs/notes/idanchor, the pull request
 * each receipt's commit came in through, `--since REF`, and recording new verdicts next to the receipts.
 */
import type { SimpleGit } from "simple-git";

import {
  NOTES_REF,
  appendNoteLine,
  parseNoteLinesOfKind,
  parseReceiptNote,
  readNotes,
} from "../apply/git-note.js";
import { InputError } from "../model/errors.js";
import type { NotedReceipt, VerificationNote, VerifyReport } from "../plan/verify-types.js";
import { VERIFY_VERSION } from "../plan/verify-types.js";
import { prNumber } from "./pull-request.js";
import { openGit } from "../desired/git.js";

export interface VerifyNotes {
  receipts: NotedReceipt[];
  verifications: VerificationNote[];
}

async function subject(git: SimpleGit, commit: string): Promise<string> {
  return (await git.raw(["log", "-1", "--format=%s", commit]).catch(() => "")).trim();
}

/** The pull request of a commit: its own subject, else the oldest merge into HEAD that brought it in. */
async function pullRequestOf(git: SimpleGit, commit: string): Promise<number | null> {
  const own = prNumber(await subject(git, commit));
  if (own !== null) return own;
  const merges = await git
    .raw(["log", "--merges", "--ancestry-path", "--reverse", "--format=%s", `${commit}..HEAD`])
    .catch(() => "");
  for (const line of merges.split("\n")) {
    const pr = prNumber(line.trim());
    if (pr !== null) return pr;
  }
  return null;
}

/** Every receipt and verification in the notes; a line that does not parse is bad input naming its note. */
export async function readVerifyNotes(cwd: string): Promise<VerifyNotes> {
  const git = await openGit(cwd);
  const receipts: NotedReceipt[] = [];
  const verifications: VerificationNote[] = [];
  const prs = new Map<string, number | null>();
  for (const note of await readNotes(cwd)) {
    try {
      for (const receipt of parseReceiptNote(note.text)) {
        const commit = receipt.commit ?? note.commit;
        if (!prs.has(commit)) prs.set(commit, await pullRequestOf(git, commit));
        receipts.push({ receipt, noteCommit: note.commit, pr: prs.get(commit) ?? null });
      }
      for (const line of parseNoteLinesOfKind(note.text, "verification"))
        verifications.push(line as unknown as VerificationNote);
    } catch (error) {
      throw new InputError(
        `the note on ${note.commit} has a line that is not JSON (${(error as Error).message}); repair it with 'git notes --ref=${NOTES_REF} edit ${note.commit}'`,
        { file: `refs/notes/${NOTES_REF}` },
      );
    }
  }
  return { receipts, verifications };
}

/** The commits after REF up to HEAD (`git rev-list REF..HEAD`), or null when REF is not a commit. */
export async function commitsSince(cwd: string, ref: string): Promise<Set<string> | null> {
  const git = await openGit(cwd);
  const resolved = (
    await git.raw(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).catch(() => "")
  ).trim();
  if (!resolved) return null;
  const list = await git.raw(["rev-list", `${resolved}..HEAD`]);
  return new Set(list.split("\n").filter(Boolean));
}

/**
 * Appends the verdicts as one `verification` line to the note of each receipt's commit, so
 * `idanchor audit` shows them next to what was applied. Returns the commits written to.
 */
export async function recordVerdicts(
  cwd: string,
  report: VerifyReport,
  verifiedAt: string,
): Promise<string[]> {
  const byCommit = new Map<string, VerifyReport["results"]>();
  for (const r of report.results) {
    if (r.receipt.commit === null) continue;
    byCommit.set(r.receipt.commit, [...(byCommit.get(r.receipt.commit) ?? []), r]);
  }
  for (const [commit, results] of byCommit) {
    const line: VerificationNote = {
      kind: "verification",
      version: VERIFY_VERSION,
      verifiedAt,
      tenantLastSync: report.tenantLastSync,
      results,
    };
    await appendNoteLine(cwd, commit, line);
  }
  return [...byCommit.keys()];
}
