/**
 * Verify issues: one open issue per identity whose sync diverged from its reviewed plan, found by a
 * hidden per-identity marker, updated while it stays diverged and closed once verify finds it as
 * predicted, the way the drift issue works for drift.
 */
import type { VerifyReport, VerifyResult } from "../plan/verify-types.js";
import { escapeMarkdown } from "../render/plan-markdown.js";
import { changeOf } from "../render/verify.js";
import { COMMENT_LIMIT } from "./comment.js";
import type { GithubIssues, Issue } from "./github-api.js";

const MARKER_PREFIX = "<!-- idanchor:verify key=";

/** The hidden marker of one identity's issue (the key URI-encoded, so any key fits in a comment). */
export function verifyMarker(key: string): string {
  return `${MARKER_PREFIX}${encodeURIComponent(key.toLowerCase())} -->`;
}

export function verifyIssueTitle(result: VerifyResult): string {
  const codes = result.divergences.map((d) => d.code).join(", ");
  return `idanchor verify: ${result.key} diverged from the plan of ${changeOf(result)} (${codes})`;
}

/** The issue body for one diverged identity, within GitHub's body limit. Pure. */
export function verifyIssueBody(result: VerifyResult, limit: number = COMMENT_LIMIT): string {
  const lines = [
    verifyMarker(result.key),
    `The last Entra Connect sync did not do what the reviewed plan of **${escapeMarkdown(changeOf(result))}** predicted for **${escapeMarkdown(result.key)}** (${escapeMarkdown(result.dn ?? "no DN")}).`,
    "Reopen that review if the plan was wrong; otherwise fix what the sync ran into, below.",
    "",
    `Planned cloud object: ${escapeMarkdown(result.plannedName ?? result.plannedId ?? "a new object")}; now: ${escapeMarkdown(result.observedName ?? result.observedId ?? "none")}.`,
    "",
    ...result.divergences.flatMap((d) => [
      `- **${d.code}**${d.entraError ? ` (${d.entraError})` : ""}: ${escapeMarkdown(d.message)}`,
      `  Fix: ${escapeMarkdown(d.fix)}`,
    ]),
    "",
    "The scheduled drift workflow runs `idanchor verify`, keeps this issue up to date and closes it once the identity is as predicted.",
  ];
  const body = `${lines.join("\n")}\n`;
  return body.length <= limit ? body : `${body.slice(0, limit - 80)}\n\n*Cut off: see the job summary.*\n`;
}

function byMarker(issues: readonly Issue[], author: string | null): Map<string, Issue> {
  const out = new Map<string, Issue>();
  const ours = issues
    .filter((i) => !i.isPullRequest && i.state === "open" && i.body.trimStart().startsWith(MARKER_PREFIX))
    .filter((i) => (author !== null ? i.user?.login === author : i.user?.type === "Bot"))
    .sort((a, b) => a.number - b.number);
  for (const issue of ours) {
    const marker = issue.body.trimStart().split("\n")[0]!.trim();
    if (!out.has(marker)) out.set(marker, issue);
  }
  return out;
}

export type VerifyIssueAction = "created" | "updated" | "unchanged" | "closed";

export interface VerifyIssueResult {
  key: string;
  action: VerifyIssueAction;
  issueNumber: number;
}

/**
 * Opens or updates one issue per diverged identity and closes the issue of each identity now
 * verified as predicted. Identities that are pending, or not in the report, keep their issue as it is.
 */
export async function ensureVerifyIssues(
  api: GithubIssues,
  report: VerifyReport,
  runUrl: string | null,
  author: string | null = null,
): Promise<VerifyIssueResult[]> {
  const open = byMarker(await api.listOpenIssues(), author);
  const out: VerifyIssueResult[] = [];
  for (const result of report.results) {
    const existing = open.get(verifyMarker(result.key));
    if (result.verdict === "diverged") {
      const body = verifyIssueBody(result);
      if (!existing) {
        const created = await api.createIssue(verifyIssueTitle(result), body);
        out.push({ key: result.key, action: "created", issueNumber: created.number });
      } else if (existing.body.replace(/\r\n/g, "\n").trimEnd() === body.trimEnd()) {
        out.push({ key: result.key, action: "unchanged", issueNumber: existing.number });
      } else {
        await api.updateIssue(existing.number, { body });
        out.push({ key: result.key, action: "updated", issueNumber: existing.number });
      }
    } else if (result.verdict === "predicted" && existing) {
      const by = runUrl ? ` (checked by [this run](${runUrl}))` : "";
      await api.createComment(
        existing.number,
        `The sync now did what the plan predicted for ${escapeMarkdown(result.key)}: ${escapeMarkdown(result.message)}${by}; closing.`,
      );
      await api.updateIssue(existing.number, { state: "closed" });
      out.push({ key: result.key, action: "closed", issueNumber: existing.number });
    }
  }
  return out;
}
