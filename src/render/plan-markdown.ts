/**
 * Plan -> markdown for pull requests and job summaries, as blocks: the counts first, every blocked
 * identity with its errors and fixes, repeated warnings once per code, then the identities with
 * something to do, folded. Identities with nothing to do are counted, not listed, so the markdown of
 * a large estate fits a job summary; where a list is cut, it says how many more the plan file holds.
 */
import type { Outcome, Plan, PlanFinding, PlanIdentity } from "../plan/types.js";
import { OUTCOMES } from "../plan/types.js";
import type { Block } from "./blocks.js";
import { blocksToMarkdown, markdownSize, moreLine, packBlocks, text, utf8Length } from "./blocks.js";
import type { PlanCounts } from "./plan-facts.js";
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
import { codeSpan, escapeMarkdown } from "./markdown-escape.js";
import { OUTCOME_TITLES, currentSyncErrors, describeChange, planVerdict } from "./plan-text.js";

/** The hidden marker by which the PR comment is found and updated instead of added again. */
export const PLAN_MARKER = "<!-- idanchor:plan -->";

/** Whole-estate markdown stays below the job summary's 1 MiB, with room for the validation block. */
export const MARKDOWN_LIMIT = 1_000_000;

/** Identities named in a warning group's summary line before "…". */
const FIRST_FEW = 3;

export { escapeMarkdown } from "./markdown-escape.js";

export const code = (value: string): string => codeSpan(value);

function where(identity: PlanIdentity): string {
  return ` (${escapeMarkdown(locationOf(identity))})`;
}

export interface ItemOptions {
  /** Warning codes said once in the warnings by code: shown by code only here. */
  repeated: ReadonlySet<string>;
  /** Said after the headline, e.g. "edited in this pull request". */
  note?: string;
}

function findingLine(f: PlanFinding, repeated: ReadonlySet<string>): string {
  if (f.severity === "warning" && repeated.has(f.code)) return `  - warning ${code(f.code)} (see Warnings)`;
  return `  - ${f.severity} ${code(f.code)}: ${escapeMarkdown(f.message)} **Fix:** ${escapeMarkdown(f.fix)}`;
}

/** One identity as a list item: headline, changes (withheld ones marked), findings. */
export function identityItem(identity: PlanIdentity, options: ItemOptions): string {
  const via = identity.via ? ` via ${identity.via}` : "";
  const blocked = hasBlockingError(identity);
  const next =
    blocked && identity.outcome !== "blocked"
      ? ` — next sync as planned: ${OUTCOME_TITLES[identity.outcome].toLowerCase()}, but apply writes nothing until the errors are fixed`
      : "";
  const note = options.note ? ` — ${options.note}` : "";
  const lines = [
    `- **${escapeMarkdown(identity.key)}** -> ${escapeMarkdown(identity.cloudName ?? identity.targetName)}${via}${where(identity)}${note}${next}`,
  ];
  for (const change of identity.changes)
    lines.push(`  - ${code(describeChange(change))}${blocked ? " *(withheld)*" : ""}`);
  for (const f of identity.findings) lines.push(findingLine(f, options.repeated));
  return lines.join("\n");
}

export function outcomeTable(columns: { title: string; counts: PlanCounts | null }[]): Block {
  const head = `| next sync | ${columns.map((c) => c.title).join(" | ")} |`;
  const rule = `|---|${columns.map(() => "---:").join("|")}|`;
  const cell = (counts: PlanCounts | null, f: (c: PlanCounts) => number): string =>
    counts === null ? "-" : f(counts).toLocaleString("en-US");
  const rows = OUTCOMES.map(
    (o: Outcome) =>
      `| ${OUTCOME_TITLES[o]} | ${columns.map((c) => cell(c.counts, (n) => n.outcomes[o])).join(" | ")} |`,
  );
  const totals: [string, (c: PlanCounts) => number][] = [
    ["**identities**", (c) => c.identities],
    ["changes that will be written", (c) => c.written],
    ["changes withheld (blocked identities)", (c) => c.withheld],
    ["errors", (c) => c.errors],
    ["warnings", (c) => c.warnings],
  ];
  for (const [title, f] of totals)
    rows.push(`| ${title} | ${columns.map((c) => cell(c.counts, f)).join(" | ")} |`);
  return text(head, rule, ...rows);
}

/** Identities a folded warning group names before "N more in the plan file". */
const WARNING_NAMES = 100;

/** Warnings grouped by code: a count, the first few identities, the rest folded (up to `names`). */
export function warningBlocks(
  identities: readonly PlanIdentity[],
  repeated: ReadonlySet<string>,
  cap: number = WARNING_NAMES,
): Block[] {
  const groups = warningGroups(identities).filter((g) => repeated.has(g.code));
  if (groups.length === 0) return [];
  const blocks: Block[] = [text("#### Warnings, by code")];
  for (const group of groups) {
    const n = group.identities.length;
    const names = group.identities.slice(0, FIRST_FEW).map((i) => escapeMarkdown(i.key));
    const title = `${code(group.code)}: ${n.toLocaleString("en-US")} identit${n === 1 ? "y" : "ies"} (${names.join(", ")}${n > FIRST_FEW ? ", …" : ""})`;
    const example = `> ${escapeMarkdown(group.example.message)} **Fix:** ${escapeMarkdown(group.example.fix)}`;
    blocks.push({
      kind: "list",
      open: `<details><summary>${title}</summary>\n\n${example}\n`,
      reopen: `<details><summary>${code(group.code)} (continued)</summary>\n`,
      close: "\n</details>",
      items: [
        ...group.identities.slice(0, cap).map((i) => `- **${escapeMarkdown(i.key)}**${where(i)}`),
        ...(n > cap ? [moreLine(n - cap, `identities with ${group.code}`)] : []),
      ],
      unit: `identities with ${group.code}`,
    });
  }
  return blocks;
}

function globalFindings(plan: Plan): Block[] {
  if (plan.findings.length === 0) return [];
  return [
    text(
      "#### For the whole plan",
      "",
      ...plan.findings.map(
        (f) =>
          `- ${f.severity} ${code(f.code)}: ${escapeMarkdown(f.message)} **Fix:** ${escapeMarkdown(f.fix)}`,
      ),
    ),
  ];
}

/** The digest of what the plan writes rides in the sticky comment, hidden: what the reviewers saw, to compare with what apply writes. */
export function digestLine(plan: Plan): string[] {
  return plan.writeDigest ? [`<!-- idanchor:plan-digest ${plan.writeDigest} -->`] : [];
}

export function planMarkdownBlocks(plan: Plan): Block[] {
  const counts = countPlan(plan);
  const blocks: Block[] = [
    text(PLAN_MARKER, ...digestLine(plan), "### idanchor plan"),
    outcomeTable([{ title: "identities", counts }]),
    text(
      `**${changesSentence(counts)}; ${counts.errors} error(s), ${counts.warnings} warning(s)${currentSyncErrors(plan)}.** ${planVerdict(plan)}`,
      "",
      `${counts.quiet.toLocaleString("en-US")} of ${counts.identities.toLocaleString("en-US")} identities have nothing to change and no findings: they are counted above, not listed.`,
    ),
    ...globalFindings(plan),
  ];
  const repeated = repeatedCodes(plan.identities);
  const blocked = plan.identities.filter(hasBlockingError);
  if (blocked.length > 0)
    blocks.push({
      kind: "list",
      open: `#### Blocked (${blocked.length}): fix these before applying\n`,
      reopen: "#### Blocked (continued)\n",
      close: "",
      items: blocked.map((i) => identityItem(i, { repeated })),
      unit: "blocked identities",
    });
  blocks.push(...warningBlocks(plan.identities, repeated));
  for (const outcome of OUTCOMES) {
    const group = plan.identities.filter(
      (i) => !hasBlockingError(i) && !isQuiet(i) && shownOutcome(i) === outcome,
    );
    if (group.length === 0) continue;
    blocks.push({
      kind: "list",
      open: `<details><summary>${OUTCOME_TITLES[outcome]} (${group.length}, with changes or warnings)</summary>\n`,
      reopen: `<details><summary>${OUTCOME_TITLES[outcome]} (continued)</summary>\n`,
      close: "\n</details>",
      items: group.map((i) => identityItem(i, { repeated })),
      unit: `identities (${OUTCOME_TITLES[outcome].toLowerCase()})`,
    });
  }
  return blocks;
}

/** Packs blocks into one text of at most MARKDOWN_LIMIT bytes. */
export function fitMarkdown(blocks: readonly Block[]): string {
  // Measured before it is built: most of a large estate's text would be cut again at once.
  if (markdownSize(blocks, utf8Length) <= MARKDOWN_LIMIT) return blocksToMarkdown(blocks);
  const packed = packBlocks(blocks, { limit: MARKDOWN_LIMIT - 1, measure: utf8Length, maxParts: 1 });
  return `${packed.parts[0] ?? ""}\n`;
}

export function renderPlanMarkdown(plan: Plan): string {
  return fitMarkdown(planMarkdownBlocks(plan));
}
