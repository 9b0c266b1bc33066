/**
 * Plan -> text for terminals, grouped by what the next sync does. Identities with nothing to do are
 * counted, repeated warnings are said once per code. Pure: colour comes in as a style.
 */
import type { Change, Outcome, Plan, PlanFinding, PlanIdentity } from "../plan/types.js";
import { OUTCOMES } from "../plan/types.js";
import { stripControl } from "../model/sanitize.js";
import {
  changesSentence,
  countPlan,
  hasBlockingError,
  isQuiet,
  locationOf,
  repeatedCodes,
  shownOutcome,
  warningGroups,
} from "./plan-facts.js";
import type { TextStyle } from "./style.js";

export const OUTCOME_TITLES: Record<Outcome, string> = {
  blocked: "Blocked: the next sync fails or refuses the join, or apply refuses to write",
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

export function headline(identity: PlanIdentity): string {
  const joined =
    identity.cloudName && identity.cloudName !== identity.targetName ? ` (joins ${identity.cloudName})` : "";
  const via = identity.via ? ` via ${identity.via}` : "";
  const blocked =
    hasBlockingError(identity) && identity.outcome !== "blocked"
      ? ` [next sync as planned: ${identity.outcome}; apply writes nothing until the errors are fixed]`
      : "";
  // Keys and names come from YAML and directories: no escape sequence of theirs reaches the terminal.
  return stripControl(
    `${identity.key} -> ${identity.targetName}${via}${joined}  ${locationOf(identity)}${blocked}`,
  );
}

export function findingLines(finding: PlanFinding, style: TextStyle, indent: string): string[] {
  const label =
    finding.severity === "error"
      ? style.red(`error ${finding.code}`)
      : style.yellow(`warning ${finding.code}`);
  return [
    `${indent}${label}: ${stripControl(finding.message)}`,
    `${indent}  ${style.dim(`fix: ${stripControl(finding.fix)}`)}`,
  ];
}

/** One identity: headline, changes (withheld ones marked), findings (repeated warnings by code only). */
export function identityLines(
  identity: PlanIdentity,
  style: TextStyle,
  repeated: ReadonlySet<string>,
  indent = "  ",
): string[] {
  const lines = [`${indent}${headline(identity)}`];
  const withheld = hasBlockingError(identity) ? style.dim(" (withheld)") : "";
  for (const change of identity.changes)
    lines.push(`${indent}  ${style.green("~")} ${stripControl(describeChange(change))}${withheld}`);
  for (const finding of identity.findings) {
    if (finding.severity === "warning" && repeated.has(finding.code))
      lines.push(`${indent}  ${style.yellow(`warning ${finding.code}`)} (see Warnings below)`);
    else lines.push(...findingLines(finding, style, `${indent}  `));
  }
  return lines;
}

/** The repeated warnings, once per code: count, first few identities, the message and fix once. */
export function warningLines(
  identities: readonly PlanIdentity[],
  style: TextStyle,
  repeated: ReadonlySet<string>,
): string[] {
  const groups = warningGroups(identities).filter((g) => repeated.has(g.code));
  if (groups.length === 0) return [];
  const lines = ["", style.cyan("Warnings, by code")];
  for (const group of groups) {
    const n = group.identities.length;
    const names = group.identities.slice(0, 3).map((i) => i.key);
    lines.push(
      `  ${style.yellow(group.code)}: ${n} identit${n === 1 ? "y" : "ies"} (${stripControl(names.join(", "))}${n > 3 ? ", ..." : ""})`,
      `    ${stripControl(group.example.message)}`,
      `    ${style.dim(`fix: ${stripControl(group.example.fix)}`)}`,
    );
  }
  return lines;
}

export function renderPlanText(plan: Plan, style: TextStyle): string {
  const counts = countPlan(plan);
  const lines: string[] = [
    style.bold(
      `idanchor plan: ${counts.identities} identities, ${changesSentence(counts)}, ${counts.errors} errors, ${counts.warnings} warnings${currentSyncErrors(plan)}`,
    ),
  ];
  for (const finding of plan.findings) lines.push(...findingLines(finding, style, "  "));
  const repeated = repeatedCodes(plan.identities);
  for (const outcome of OUTCOMES) {
    const group = plan.identities.filter((i) => shownOutcome(i) === outcome);
    if (group.length === 0) continue;
    const listed = group.filter((i) => !isQuiet(i));
    const quiet = group.length - listed.length;
    lines.push("", style.cyan(`${OUTCOME_TITLES[outcome]} (${group.length})`));
    for (const identity of listed) lines.push(...identityLines(identity, style, repeated));
    if (quiet > 0) lines.push(`  ${style.dim(`${quiet} more with nothing to change and no findings`)}`);
  }
  lines.push(...warningLines(plan.identities, style, repeated));
  lines.push("", planVerdict(plan));
  return `${lines.join("\n")}\n`;
}

/** ", N failing today" when the last sync reported errors on the objects concerned (older plans lack the count). */
export function currentSyncErrors(plan: Plan): string {
  const count = plan.summary.currentSyncErrors ?? 0;
  return count > 0 ? `, ${count} current sync error${count === 1 ? "" : "s"} (failing today)` : "";
}

export function planVerdict(plan: Plan): string {
  const counts = countPlan(plan);
  if (plan.summary.errors > 0) return `${plan.summary.errors} blocking error(s): fix them before applying.`;
  if (counts.written > 0) return `${counts.written} change(s) to apply.`;
  return "Nothing to change: live directories match the desired state.";
}
