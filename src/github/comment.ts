/**
 * The sticky plan comment: one comment per pull request (at most MAX_COMMENTS when the view exceeds
 * GitHub's limit), found again by the hidden marker, edited in place and left alone when nothing
 * changed. The report's blocks are packed, not its markdown re-parsed.
 */
import type { Block } from "../render/index.js";
import { PLAN_MARKER, packBlocks, text } from "../render/index.js";
import type { GithubIssues, IssueComment } from "./github-api.js";

/** GitHub rejects issue and pull request comment bodies longer than this (characters). */
export const COMMENT_LIMIT = 65_536;

/**
 * Never more comments than this on one pull request: GitHub's secondary rate limit for content
 * creation (about 80 a minute) and a reviewer's patience both end long before 177.
 */
export const MAX_COMMENTS = 3;

export const OVERFLOW_NOTE = [
  "> [!NOTE]",
  `> **Cut here.** The view does not fit in ${MAX_COMMENTS} comments. The job summary of this run shows more of it,`,
  "> and the plan file kept as the run's artifact (`idanchor-plan-pr<number>`) holds every identity.",
].join("\n");

/** Room kept in each part for the markers, the part heading and the "continued" line. */
const WRAPPER_RESERVE = 300;

const PART_MARKER = /<!-- idanchor:part (\d+) of (\d+) -->/;

/** The markdown without the plan marker it may start with (the parts get their own). */
export function stripPlanMarker(markdown: string): string {
  const text = markdown.replace(/\r\n/g, "\n");
  return text.startsWith(PLAN_MARKER) ? text.slice(PLAN_MARKER.length).replace(/^\n/, "") : text;
}

function wrapPart(chunk: string, part: number, total: number): string {
  const lines = [PLAN_MARKER, `<!-- idanchor:part ${part} of ${total} -->`];
  if (part > 1) lines.push(`### idanchor plan (part ${part} of ${total})`, "");
  lines.push(chunk);
  if (part < total) lines.push("", `*Continued in the next comment (part ${part + 1} of ${total}).*`);
  return `${lines.join("\n")}\n`;
}

/** Blocks without the plan marker the first may start with (each part gets its own). */
export function withoutPlanMarker(blocks: readonly Block[]): Block[] {
  const [first, ...rest] = blocks;
  if (first?.kind !== "text") return [...blocks];
  const stripped = stripPlanMarker(first.text).trim();
  return stripped === "" ? rest : [text(stripped), ...rest];
}

/**
 * Packs the report into at most `maxParts` comment bodies of at most `limit` characters, each
 * starting with the marker; what does not fit ends with the overflow note.
 */
export function planCommentParts(
  report: readonly Block[] | string,
  options: { limit?: number; maxParts?: number } = {},
): string[] {
  const blocks =
    typeof report === "string" ? [text(stripPlanMarker(report).trimEnd())] : withoutPlanMarker(report);
  const { parts } = packBlocks(blocks, {
    limit: (options.limit ?? COMMENT_LIMIT) - WRAPPER_RESERVE,
    maxParts: options.maxParts ?? MAX_COMMENTS,
    overflowNote: OVERFLOW_NOTE,
  });
  return parts.map((chunk, index) => wrapPart(chunk, index + 1, parts.length));
}

/** The part number a comment carries; 1 for a single comment written before parts existed. */
export function partNumber(body: string): number {
  const match = PART_MARKER.exec(body);
  return match?.[1] !== undefined ? Number(match[1]) : 1;
}

/**
 * Ours: starts with the marker and was written by the workflow's identity. Without `author` that is
 * any bot (github-actions[bot] or a GitHub App), so a person quoting the marker is never edited.
 */
export function isOwnComment(comment: IssueComment, author: string | null, marker = PLAN_MARKER): boolean {
  if (!comment.body.trimStart().startsWith(marker)) return false;
  return author !== null ? comment.user?.login === author : comment.user?.type === "Bot";
}

/** GitHub may hand back CRLF or drop the final newline; neither is a change. */
function sameBody(a: string, b: string): boolean {
  const norm = (s: string): string => s.replace(/\r\n/g, "\n").trimEnd();
  return norm(a) === norm(b);
}

export interface CommentSyncResult {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Comment ids of the parts, in part order. */
  ids: number[];
}

/**
 * Makes the pull request carry exactly `parts` as our comments: edits ours in creation order (which
 * is display order), creates the missing ones at the end, deletes the surplus. Idempotent.
 */
export async function ensurePlanComments(
  api: GithubIssues,
  issueNumber: number,
  parts: readonly string[],
  author: string | null = null,
): Promise<CommentSyncResult> {
  const existing = (await api.listComments(issueNumber))
    .filter((c) => isOwnComment(c, author))
    .sort((a, b) => a.id - b.id);
  const result: CommentSyncResult = { created: 0, updated: 0, unchanged: 0, deleted: 0, ids: [] };
  for (const [index, body] of parts.entries()) {
    const current = existing[index];
    if (current === undefined) {
      const created = await api.createComment(issueNumber, body);
      result.created++;
      result.ids.push(created.id);
    } else if (sameBody(current.body, body)) {
      result.unchanged++;
      result.ids.push(current.id);
    } else {
      await api.updateComment(current.id, body);
      result.updated++;
      result.ids.push(current.id);
    }
  }
  for (const surplus of existing.slice(parts.length)) {
    await api.deleteComment(surplus.id);
    result.deleted++;
  }
  return result;
}
