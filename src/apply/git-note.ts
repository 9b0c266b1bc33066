/** Receipts as git notes under refs/notes/idanchor: the history shows what was really written. */

import type { Receipt } from "../model/receipts.js";
import { openGit } from "../desired/git.js";

export const NOTES_REF = "idanchor";

/** The commit HEAD points at, or null outside a git repository. */
export async function headCommit(cwd: string): Promise<string | null> {
  const git = await openGit(cwd);
  if (!(await git.checkIsRepo().catch(() => false))) return null;
  return (await git.revparse(["HEAD"]).catch(() => "")).trim() || null;
}

/**
 * Appends the receipt, as one line of JSON, to the note on `commit`. Several applies of one commit
 * (a rerun after a crash) each add a line.
 */
export async function attachReceiptNote(cwd: string, commit: string, receipt: Receipt): Promise<void> {
  await appendJsonLine(cwd, commit, receipt);
}

/** `git notes append`: one line of JSON added to the note on `commit`. */
async function appendJsonLine(cwd: string, commit: string, value: unknown): Promise<void> {
  await (
    await openGit(cwd)
  ).raw(["notes", `--ref=${NOTES_REF}`, "append", "-m", JSON.stringify(value), commit]);
}

/** Every JSON document of a note's text (one per line). */
function noteLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.trim().startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Every receipt in a note's text. Other lines carry a `kind` (`verification`: the verdicts
 * `idanchor verify` appends next to the receipt) and are not receipts.
 */
export function parseReceiptNote(text: string): Receipt[] {
  return noteLines(text).filter((line) => line.kind === undefined) as unknown as Receipt[];
}

/** The lines of one `kind` (e.g. `verification`) in a note's text. */
export function parseNoteLinesOfKind(text: string, kind: string): Record<string, unknown>[] {
  return noteLines(text).filter((line) => line.kind === kind);
}

/** Appends any other line (a verification) to the note on `commit`, next to its receipts. */
export async function appendNoteLine(cwd: string, commit: string, line: { kind: string }): Promise<void> {
  await appendJsonLine(cwd, commit, line);
}

export interface NoteText {
  /** The commit the note is attached to. */
  commit: string;
  text: string;
}

/** The text of every note under refs/notes/idanchor, with its commit; empty outside a repository. */
export async function readNotes(cwd: string): Promise<NoteText[]> {
  const git = await openGit(cwd);
  if (!(await git.checkIsRepo().catch(() => false))) return [];
  const list = await git.raw(["notes", `--ref=${NOTES_REF}`, "list"]).catch(() => "");
  const out: NoteText[] = [];
  for (const line of list.split("\n")) {
    const [note, commit] = line.trim().split(/\s+/);
    if (note && commit) out.push({ commit, text: await git.raw(["cat-file", "-p", note]) });
  }
  return out;
}

/** Every receipt in refs/notes/idanchor, oldest first; empty outside a repository or without notes. */
export async function readReceiptNotes(cwd: string): Promise<Receipt[]> {
  const git = await openGit(cwd);
  if (!(await git.checkIsRepo().catch(() => false))) return [];
  const list = await git.raw(["notes", `--ref=${NOTES_REF}`, "list"]).catch(() => "");
  const receipts: Receipt[] = [];
  for (const line of list.split("\n")) {
    const [note] = line.trim().split(/\s+/);
    if (!note) continue;
    receipts.push(...parseReceiptNote(await git.raw(["cat-file", "-p", note])));
  }
  return receipts.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
}
