/** Plan -> text for terminals, grouped by outcome. Pure: colour comes in as a style. */
import type { Change, Outcome, Plan, PlanFinding, PlanIdentity } from "../plan/types.js";
import { OUTCOMES } from "../plan/types.js";
import { stripControl } from "../model/sanitize.js";
import type { TextStyle } from "./style.js";

export const OUTCOME_TITLES: Record<Outcome, string> = {
  blocked: "Blocked: the next sync fails or refuses the join",
  "will-join-other": "Will join ANOTHER cloud object than the YAML says",
  "will-create": "Will create a new cloud object",
  "out-of-scope": "Outside the sync scope",
  "will-join": "Will join the intended cloud object",
  joined: "Already joined",
};

export function describeChange(change: Change): string {
  if (change.target === "ad" && change.attribute === "objectClass") {
    const values = Object.entries(change.create).filter(([name]) => name !== "cn");
    return `AD create ${change.add.join(", ")} ${change.dn} (${values.map(([n, v]) => `${n} ${v}`).join(", ")})`;
  }
  const where =
    change.target === "ad"
      ? `AD ${change.attribute} of ${change.dn}`
      : `Entra ${change.attribute} of ${change.objectId}`;
  const parts = [...change.remove.map((v) => `- ${v}`), ...change.add.map((v) => `+ ${v}`)];
  return `${where}: ${parts.join("  ")}`;
}

function headline(identity: PlanIdentity): string {
  const joined =
    identity.cloudName && identity.cloudName !== identity.targetName ? ` (joins ${identity.cloudName})` : "";
  const via = identity.via ? ` via ${identity.via}` : "";
  // Keys and names come from YAML and directories: no escape sequence of theirs reaches the terminal.
  return stripControl(`${identity.key} -> ${identity.targetName}${via}${joined}`);
}

function findingLines(finding: PlanFinding, style: TextStyle, indent: string): string[] {
  const label =
    finding.severity === "error"
      ? style.red(`error ${finding.code}`)
      : style.yellow(`warning ${finding.code}`);
  return [
    `${indent}${label}: ${stripControl(finding.message)}`,
    `${indent}  ${style.dim(`fix: ${stripControl(finding.fix)}`)}`,
  ];
}

export function renderPlanText(plan: Plan, style: TextStyle): string {
  const lines: string[] = [];
  const { summary } = plan;
  lines.push(
    style.bold(
      `idanchor plan: ${summary.identities} identities, ${summary.changes} changes, ${summary.errors} errors, ${summary.warnings} warnings${currentSyncErrors(plan)}`,
    ),
  );
  for (const finding of plan.findings) lines.push(...findingLines(finding, style, "  "));
  for (const outcome of OUTCOMES) {
    const group = plan.identities.filter((i) => i.outcome === outcome);
    if (group.length === 0) continue;
    lines.push("", style.cyan(`${OUTCOME_TITLES[outcome]} (${group.length})`));
    for (const identity of group) {
      lines.push(`  ${headline(identity)}`);
      for (const change of identity.changes)
        lines.push(`    ${style.green("~")} ${stripControl(describeChange(change))}`);
      for (const finding of identity.findings) lines.push(...findingLines(finding, style, "    "));
    }
  }
  lines.push("", planVerdict(plan));
  return `${lines.join("\n")}\n`;
}

/** ", N failing today" when the last sync reported errors on the objects concerned (older plans lack the count). */
export function currentSyncErrors(plan: Plan): string {
  const count = plan.summary.currentSyncErrors ?? 0;
  return count > 0 ? `, ${count} current sync error${count === 1 ? "" : "s"} (failing today)` : "";
}

export function planVerdict(plan: Plan): string {
  if (plan.summary.errors > 0) return `${plan.summary.errors} blocking error(s): fix them before applying.`;
  if (plan.summary.changes > 0) return `${plan.summary.changes} change(s) to apply.`;
  return "Nothing to change: live directories match the desired state.";
}
