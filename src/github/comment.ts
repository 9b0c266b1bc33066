/**
 * The sticky plan comment: one comment per pull request (several when the plan exceeds GitHub's
 * limit), found again by the hidden marker, edited in place and left alone when nothing changed.
 */
import { PLAN_MARKER } from "../render/index.js";
import type { GithubIssues, IssueComment } from "./github-api.js";
import { splitMarkdown } from "./markdown-split.js";

/** GitHub rejects issue and pull request comment bodies longer than this (characters). */
export const COMMENT_LIMIT = 65_536;

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

/** Cuts the report into comment bodies of at most `limit` characters, each starting with the marker. */
export function planCommentParts(markdown: string, limit: number = COMMENT_LIMIT): string[] {
  const chunks = splitMarkdown(stripPlanMarker(markdown).trimEnd(), limit - WRAPPER_RESERVE);
  return chunks.map((chunk, index) => wrapPart(chunk, index + 1, chunks.length));
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
