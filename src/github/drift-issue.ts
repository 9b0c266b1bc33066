/**
 * The drift issue: one open issue, found by a hidden marker, that carries the plan while live state
 * differs from `main`, is updated when the plan changes and is closed once the drift is gone.
 */
import type { GithubIssues, Issue } from "./github-api.js";
import { packBlocks, text } from "../render/index.js";
import { COMMENT_LIMIT, stripPlanMarker } from "./comment.js";

export const DRIFT_MARKER = "<!-- idanchor:drift -->";
export const DRIFT_TITLE = "idanchor drift: live Active Directory / Entra ID state differs from main";

const INTRO = [
  "Live directory values differ from what `main` declares in `identities/` and idanchor last wrote:",
  "someone changed Active Directory or Entra ID by hand. The report below (from `idanchor drift`) shows",
  "where. Either undo the hand edit (the next apply restores `main`), or, if it was intended, put it",
  "into `identities/` with a pull request.",
  "",
  "The scheduled drift workflow keeps this issue up to date and closes it when the drift is gone.",
];

const TRUNCATED =
  "*The report is longer than an issue can hold and is cut off here; the job summary of the drift run shows all of it.*";

/** The issue body for a drift report, within GitHub's body limit. Pure. */
export function driftIssueBody(planMarkdown: string, limit: number = COMMENT_LIMIT): string {
  const head = `${DRIFT_MARKER}\n${INTRO.join("\n")}\n\n`;
  const plan = stripPlanMarker(planMarkdown).trimEnd();
  const whole = `${head}${plan}\n`;
  if (whole.length <= limit) return whole;
  const budget = limit - head.length - TRUNCATED.length - 4;
  const first = packBlocks([text(plan)], { limit: budget, maxParts: 1 }).parts[0] ?? "";
  return `${head}${first.replace(/\n\n\*\(cut here: too long for one part\)\*$/, "")}\n\n${TRUNCATED}\n`;
}

export function findDriftIssue(issues: readonly Issue[], author: string | null): Issue | undefined {
  return issues
    .filter((i) => !i.isPullRequest && i.state === "open" && i.body.trimStart().startsWith(DRIFT_MARKER))
    .filter((i) => (author !== null ? i.user?.login === author : i.user?.type === "Bot"))
    .sort((a, b) => a.number - b.number)[0];
}

export type DriftIssueAction = "created" | "updated" | "unchanged" | "closed" | "none";

export interface DriftIssueResult {
  action: DriftIssueAction;
  issueNumber: number | null;
}

/** Opens or updates the drift issue with the report; edits nothing when the body is the same. */
export async function ensureDriftIssueOpen(
  api: GithubIssues,
  planMarkdown: string,
  author: string | null = null,
): Promise<DriftIssueResult> {
  const body = driftIssueBody(planMarkdown);
  const existing = findDriftIssue(await api.listOpenIssues(), author);
  if (existing === undefined) {
    const created = await api.createIssue(DRIFT_TITLE, body);
    return { action: "created", issueNumber: created.number };
  }
  if (existing.body.replace(/\r\n/g, "\n").trimEnd() === body.trimEnd()) {
    return { action: "unchanged", issueNumber: existing.number };
  }
  await api.updateIssue(existing.number, { body });
  return { action: "updated", issueNumber: existing.number };
}

/** Closes the drift issue, if one is open, with a comment saying why. */
export async function ensureDriftIssueClosed(
  api: GithubIssues,
  runUrl: string | null,
  author: string | null = null,
): Promise<DriftIssueResult> {
  const existing = findDriftIssue(await api.listOpenIssues(), author);
  if (existing === undefined) return { action: "none", issueNumber: null };
  const by = runUrl ? ` (checked by [this run](${runUrl}))` : "";
  await api.createComment(existing.number, `Live state matches \`main\` again${by}; closing.`);
  await api.updateIssue(existing.number, { state: "closed" });
  return { action: "closed", issueNumber: existing.number };
}
