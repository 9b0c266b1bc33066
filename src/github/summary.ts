/**
 * The job summary: markdown appended to the file GITHUB_STEP_SUMMARY names. GitHub refuses a step
 * summary over 1 MiB, so a longer report is packed from its blocks into what fits, with a note.
 */
import { appendFile, stat } from "node:fs/promises";

import type { Block } from "../render/index.js";
import { blocksToMarkdown, packBlocks, text, utf8Length } from "../render/index.js";

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
export function fitSummary(
  report: readonly Block[] | string,
  room: number,
  note: string = DEFAULT_TRUNCATION_NOTE,
): string {
  const blocks = typeof report === "string" ? [text(report.trimEnd())] : report;
  const whole =
    typeof report === "string" ? (report.endsWith("\n") ? report : `${report}\n`) : blocksToMarkdown(blocks);
  const total = utf8Length(whole);
  if (total <= room) return whole;
  // The note's own length depends on the count it prints; measure it with the largest count.
  const noteBytes = utf8Length(truncationNote(note, total, total));
  const budget = room - noteBytes;
  if (budget < 1024) return room >= noteBytes ? truncationNote(note, 0, total).trimStart() : "";
  const first = packBlocks(blocks, { limit: budget, measure: utf8Length, maxParts: 1 }).parts[0] ?? "";
  return `${first}${truncationNote(note, utf8Length(first), total)}`;
}

export interface SummaryResult {
  bytes: number;
  truncated: boolean;
}

/** Appends to the step summary file, keeping the step's total within the limit. */
export async function appendStepSummary(
  summaryFile: string,
  report: readonly Block[] | string,
  options: { note?: string; limit?: number } = {},
): Promise<SummaryResult> {
  const limit = options.limit ?? SUMMARY_LIMIT;
  const already = (await stat(summaryFile).catch(() => null))?.size ?? 0;
  const fitted = fitSummary(report, limit - already, options.note);
  if (fitted !== "") await appendFile(summaryFile, fitted, "utf8");
  const whole =
    typeof report === "string" ? (report.endsWith("\n") ? report : `${report}\n`) : blocksToMarkdown(report);
  return { bytes: utf8Length(fitted), truncated: fitted !== whole };
}
