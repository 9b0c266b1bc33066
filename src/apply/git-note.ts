/** Receipts as git notes under refs/notes/idanchor: the history shows what was really written. */
import { simpleGit } from "simple-git";

import type { Receipt } from "../model/receipts.js";

export const NOTES_REF = "idanchor";

/** The commit HEAD points at, or null outside a git repository. */
export async function headCommit(cwd: string): Promise<string | null> {
  const git = simpleGit(cwd);
  if (!(await git.checkIsRepo().catch(() => false))) return null;
  return (await git.revparse(["HEAD"]).catch(() => "")).trim() || null;
}

/**
 * Appends the receipt, as one line of JSON, to the note on `commit`. Several applies of one commit
 * (a rerun after a crash) each add a line.
 */
export async function attachReceiptNote(cwd: string, commit: string, receipt: Receipt): Promise<void> {
  await simpleGit(cwd).raw(["notes", `--ref=${NOTES_REF}`, "append", "-m", JSON.stringify(receipt), commit]);
}

/** Every receipt in a note's text (one JSON document per line). */
export function parseReceiptNote(text: string): Receipt[] {
  return text
    .split("\n")
    .filter((line) => line.trim().startsWith("{"))
    .map((line) => JSON.parse(line) as Receipt);
}

/** Every receipt in refs/notes/idanchor, oldest first; empty outside a repository or without notes. */
export async function readReceiptNotes(cwd: string): Promise<Receipt[]> {
  const git = simpleGit(cwd);
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
