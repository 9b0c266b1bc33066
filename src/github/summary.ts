/**
 * The job summary: markdown appended to the file GITHUB_STEP_SUMMARY names. GitHub refuses a step
 * summary over 1 MiB, so a longer report is cut at a safe markdown boundary with a note.
 */
import { appendFile, stat } from "node:fs/promises";

import { splitMarkdown, utf8Length } from "./markdown-split.js";

export const SUMMARY_LIMIT = 1024 * 1024;

export const DEFAULT_TRUNCATION_NOTE =
  "The job summary holds at most 1 MiB, so the rest is cut off here. The pull request comment and the plan file of this run hold the whole plan.";

function truncationNote(note: string, shown: number, total: number): string {
  return `\n\n> [!WARNING]\n> **Truncated** (${shown.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} bytes shown). ${note}\n`;
}

/**
 * The markdown as it fits in `room` bytes: whole, or its first safe part plus a note. Empty when not
 * even the note fits. Pure.
 */
export function fitSummary(markdown: string, room: number, note: string = DEFAULT_TRUNCATION_NOTE): string {
  const text = markdown.endsWith("\n") ? markdown : `${markdown}\n`;
  const total = utf8Length(text);
  if (total <= room) return text;
  // The note's own length depends on the count it prints; measure it with the largest count.
  const noteBytes = utf8Length(truncationNote(note, total, total));
  const budget = room - noteBytes;
  if (budget < 1024) return room >= noteBytes ? truncationNote(note, 0, total).trimStart() : "";
  const first = splitMarkdown(text, budget, utf8Length)[0] ?? "";
  return `${first}${truncationNote(note, utf8Length(first), total)}`;
}

export interface SummaryResult {
  bytes: number;
  truncated: boolean;
}

/** Appends to the step summary file, keeping the step's total within the limit. */
export async function appendStepSummary(
  summaryFile: string,
  markdown: string,
  options: { note?: string; limit?: number } = {},
): Promise<SummaryResult> {
  const limit = options.limit ?? SUMMARY_LIMIT;
  const already = (await stat(summaryFile).catch(() => null))?.size ?? 0;
  const fitted = fitSummary(markdown, limit - already, options.note);
  if (fitted !== "") await appendFile(summaryFile, fitted, "utf8");
  const whole = markdown.endsWith("\n") ? markdown : `${markdown}\n`;
  return { bytes: utf8Length(fitted), truncated: fitted !== whole };
}
