/** Plan -> markdown for pull requests: summary first, every error in one line with its fix, details folded. */
import type { Plan, PlanIdentity } from "../plan/types.js";
import { OUTCOMES } from "../plan/types.js";
import { codeSpan, escapeMarkdown } from "./markdown-escape.js";
import { OUTCOME_TITLES, describeChange, planVerdict } from "./plan-text.js";

export { escapeMarkdown } from "./markdown-escape.js";

/** The hidden marker by which the PR comment is found and updated instead of added again. */
export const PLAN_MARKER = "<!-- idanchor:plan -->";

const code = (text: string): string => codeSpan(text);

function where(identity: PlanIdentity): string {
  return identity.source.line > 0
    ? ` (${escapeMarkdown(`${identity.source.file}:${identity.source.line}`)})`
    : "";
}

function identityDetails(identity: PlanIdentity): string[] {
  const via = identity.via ? ` via ${identity.via}` : "";
  const lines = [
    `- **${escapeMarkdown(identity.key)}** -> ${escapeMarkdown(identity.cloudName ?? identity.targetName)}${via}${where(identity)}`,
  ];
  for (const change of identity.changes) lines.push(`  - ${code(describeChange(change))}`);
  for (const f of identity.findings)
    lines.push(`  - ${f.severity} ${code(f.code)}: ${escapeMarkdown(f.message)}`);
  return lines;
}

export function renderPlanMarkdown(plan: Plan): string {
  const { summary } = plan;
  // The digest of what it writes rides in the sticky comment, hidden: what the reviewers saw, to compare with what apply wrote.
  const digest = plan.writeDigest ? [`<!-- idanchor:plan-digest ${plan.writeDigest} -->`] : [];
  const out: string[] = [PLAN_MARKER, ...digest, "### idanchor plan", ""];
  out.push("| next sync | identities |", "|---|---:|");
  for (const outcome of OUTCOMES) out.push(`| ${OUTCOME_TITLES[outcome]} | ${summary.outcomes[outcome]} |`);
  out.push(
    "",
    `**${summary.changes} change(s), ${summary.errors} error(s), ${summary.warnings} warning(s).** ${planVerdict(plan)}`,
    "",
  );

  const problems = [
    ...plan.findings.map((f) => ({ who: "", f })),
    ...plan.identities.flatMap((i) =>
      i.findings.map((f) => ({ who: `**${escapeMarkdown(i.key)}**${where(i)} `, f })),
    ),
  ];
  for (const severity of ["error", "warning"] as const) {
    const list = problems.filter((p) => p.f.severity === severity);
    if (list.length === 0) continue;
    out.push(`#### ${severity === "error" ? "Errors" : "Warnings"}`, "");
    for (const { who, f } of list)
      out.push(`- ${who}${code(f.code)}: ${escapeMarkdown(f.message)} **Fix:** ${escapeMarkdown(f.fix)}`);
    out.push("");
  }

  for (const outcome of OUTCOMES) {
    const group = plan.identities.filter((i) => i.outcome === outcome);
    if (group.length === 0) continue;
    out.push(`<details><summary>${OUTCOME_TITLES[outcome]} (${group.length})</summary>`, "");
    for (const identity of group) out.push(...identityDetails(identity));
    out.push("", "</details>", "");
  }
  return `${out.join("\n")}\n`;
}
