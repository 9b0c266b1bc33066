/**
 * The pull request view of `plan --base REF`: the identities this change touches and the ones it
 * affects, each in full; then the estate in numbers only, before and after; warnings by code. As
 * markdown blocks (for the comment and the job summary) and as text (for a terminal). Pure.
 */
import type { BaseComparison, Plan, PlanIdentity, ReviewedIdentity } from "../plan/types.js";
import type { Block } from "./blocks.js";
import { text } from "./blocks.js";
import { changesSentence, countPlan, hasBlockingError, locationOf, warningGroups } from "./plan-facts.js";
import type { PlanCounts } from "./plan-facts.js";
import {
  PLAN_MARKER,
  code,
  digestLine,
  escapeMarkdown,
  identityItem,
  outcomeTable,
} from "./plan-markdown.js";
import { OUTCOME_TITLES, findingLines, identityLines } from "./plan-text.js";
import type { TextStyle } from "./style.js";

/** The identities of the change are shown in full, every warning with its message and fix. */
const NONE: ReadonlySet<string> = new Set();

export interface ReviewParts {
  base: BaseComparison;
  touched: { review: ReviewedIdentity; identity: PlanIdentity }[];
  affected: { review: ReviewedIdentity; identity: PlanIdentity }[];
  removed: ReviewedIdentity[];
  /** Counts over the identities of this change only (touched and affected, after it). */
  change: PlanCounts;
  estate: PlanCounts;
}

export function reviewParts(plan: Plan & { base: BaseComparison }): ReviewParts {
  const byKey = new Map(plan.identities.map((i) => [i.key, i]));
  const pick = (status: (s: ReviewedIdentity["status"]) => boolean) =>
    plan.base.identities
      .filter((r) => status(r.status))
      .flatMap((review) => {
        const identity = byKey.get(review.key);
        return identity ? [{ review, identity }] : [];
      });
  const touched = pick((s) => s === "added" || s === "edited");
  const affected = pick((s) => s === "affected");
  const mine = [...touched, ...affected].map((t) => t.identity);
  const all = [...plan.findings, ...mine.flatMap((i) => i.findings)];
  return {
    base: plan.base,
    touched,
    affected,
    removed: plan.base.identities.filter((r) => r.status === "removed"),
    change: countPlan({
      identities: mine,
      summary: {
        identities: mine.length,
        changes: 0,
        errors: all.filter((f) => f.severity === "error").length,
        warnings: all.filter((f) => f.severity === "warning").length,
        currentSyncErrors: all.filter((f) => f.code === "CurrentSyncError").length,
        outcomes: plan.summary.outcomes,
      },
    }),
    estate: countPlan(plan),
  };
}

const short = (commit: string): string => commit.slice(0, 7);

function wasSaid(base: PlanIdentity | null): string {
  if (!base) return "new entry";
  const errors = base.findings.filter((f) => f.severity === "error").length;
  const title = hasBlockingError(base) ? "blocked" : base.outcome;
  return `before: ${title}, ${base.changes.length} change(s), ${errors} error(s)`;
}

function releasedSentence(review: ReviewedIdentity): string {
  const released = review.released;
  if (!released || released.outcome === null)
    return "there is no such AD object, so the next sync does nothing with it";
  const partner = released.cloudName ? ` ${released.cloudName}` : "";
  const via = released.via ? ` via ${released.via}` : "";
  return `the next sync, with the object's live values: ${OUTCOME_TITLES[released.outcome].toLowerCase()}${partner}${via}`;
}

function removedItem(review: ReviewedIdentity): string {
  const where = review.base ? ` (was ${escapeMarkdown(locationOf(review.base))})` : "";
  const dropped =
    review.base && review.base.changes.length > 0
      ? `; its ${review.base.changes.length} planned change(s) are dropped`
      : "";
  const lines = [
    `- **${escapeMarkdown(review.key)}**${where} — removed: idanchor no longer writes this object${dropped}; ${escapeMarkdown(releasedSentence(review))}`,
  ];
  for (const f of review.released?.findings ?? [])
    lines.push(
      `  - ${f.severity} ${code(f.code)}: ${escapeMarkdown(f.message)} **Fix:** ${escapeMarkdown(f.fix)}`,
    );
  return lines.join("\n");
}

function introduction(parts: ReviewParts): string[] {
  const { base, touched, affected, removed } = parts;
  const added = touched.filter((t) => t.review.status === "added").length;
  const lines = [
    `Compared with the base ${code(base.ref)} (${code(short(base.commit))}): **${added} added, ${touched.length - added} edited, ${removed.length} removed** in this pull request; **${affected.length} affected** (entry unchanged, but what the next sync does with it changes).`,
  ];
  if (base.problem !== null)
    lines.push("", `> [!WARNING]\n> The base could not be planned: ${escapeMarkdown(base.problem)}.`);
  lines.push(
    "",
    `**For these identities: ${changesSentence(parts.change)}; ${parts.change.errors} error(s), ${parts.change.warnings} warning(s).**`,
  );
  return lines;
}

/** Identities of this change a warning row names before "…". */
const NAMES_PER_CODE = 5;

/**
 * Warnings by code: how many identities of the estate have each, and which of this change's
 * identities. Untouched identities are numbers here, never names: the plan file lists them.
 */
function warningRows(plan: Plan, parts: ReviewParts): { code: string; estate: number; mine: string[] }[] {
  const mine = new Set([...parts.touched, ...parts.affected].map((t) => t.identity.key));
  return warningGroups(plan.identities).map((g) => ({
    code: g.code,
    estate: g.identities.length,
    mine: g.identities.filter((i) => mine.has(i.key)).map((i) => i.key),
  }));
}

function reviewWarnings(plan: Plan, parts: ReviewParts): Block[] {
  const rows = warningRows(plan, parts);
  if (rows.length === 0) return [];
  const names = (keys: string[]): string =>
    keys.length === 0
      ? "-"
      : `${keys.slice(0, NAMES_PER_CODE).map(escapeMarkdown).join(", ")}${keys.length > NAMES_PER_CODE ? `, … (${keys.length})` : ""}`;
  return [
    text(
      "#### Warnings, by code",
      "",
      "| warning | identities in the estate | of them in this pull request |",
      "|---|---:|---|",
      ...rows.map((r) => `| ${code(r.code)} | ${r.estate.toLocaleString("en-US")} | ${names(r.mine)} |`),
    ),
  ];
}

export function reviewMarkdownBlocks(plan: Plan & { base: BaseComparison }): Block[] {
  const parts = reviewParts(plan);
  const blocks: Block[] = [
    text(PLAN_MARKER, ...digestLine(plan), "### idanchor plan: this pull request"),
    text(...introduction(parts)),
  ];
  const list = (title: string, items: string[], unit: string): void => {
    if (items.length > 0)
      blocks.push({
        kind: "list",
        open: `#### ${title} (${items.length})\n`,
        reopen: `#### ${title} (continued)\n`,
        close: "",
        items,
        unit,
      });
  };
  list(
    "In this pull request",
    parts.touched.map((t) =>
      identityItem(t.identity, { repeated: NONE, note: `${t.review.status} (${wasSaid(t.review.base)})` }),
    ),
    "identities of this pull request",
  );
  list(
    "Affected: entry unchanged, the next sync changes",
    parts.affected.map((t) =>
      identityItem(t.identity, { repeated: NONE, note: `affected (${wasSaid(t.review.base)})` }),
    ),
    "affected identities",
  );
  list("Removed from the desired state", parts.removed.map(removedItem), "removed identities");
  if (parts.touched.length + parts.affected.length + parts.removed.length === 0)
    blocks.push(text("This pull request changes no identity entry and affects none."));
  const others = parts.estate.outcomes.blocked - parts.change.outcomes.blocked;
  blocks.push(
    text(
      "#### The estate in numbers",
      "",
      `The whole estate, before (at the base) and after this pull request.${others > 0 ? ` ${others.toLocaleString("en-US")} blocked identities are not part of this change; the plan file lists them.` : ""}`,
    ),
    outcomeTable([
      { title: `base ${code(short(parts.base.commit))}`, counts: parts.base.counts },
      { title: "this pull request", counts: parts.estate },
    ]),
  );
  blocks.push(...reviewWarnings(plan, parts));
  return blocks;
}

export function renderReviewText(plan: Plan & { base: BaseComparison }, style: TextStyle): string {
  const parts = reviewParts(plan);
  const { base } = parts;
  const added = parts.touched.filter((t) => t.review.status === "added").length;
  const lines = [
    style.bold(
      `idanchor plan against ${base.ref} (${short(base.commit)}): ${added} added, ${parts.touched.length - added} edited, ${parts.removed.length} removed, ${parts.affected.length} affected`,
    ),
    `For these identities: ${changesSentence(parts.change)}, ${parts.change.errors} errors, ${parts.change.warnings} warnings`,
  ];
  if (base.problem !== null) lines.push(style.yellow(`The base could not be planned: ${base.problem}.`));
  for (const finding of plan.findings) lines.push(...findingLines(finding, style, "  "));
  const section = (title: string, entries: { review: ReviewedIdentity; identity: PlanIdentity }[]): void => {
    if (entries.length === 0) return;
    lines.push("", style.cyan(`${title} (${entries.length})`));
    for (const { review, identity } of entries) {
      lines.push(...identityLines(identity, style, NONE));
      lines.push(`    ${style.dim(`${review.status}; ${wasSaid(review.base)}`)}`);
    }
  };
  section("In this pull request", parts.touched);
  section("Affected: entry unchanged, the next sync changes", parts.affected);
  if (parts.removed.length > 0) {
    lines.push("", style.cyan(`Removed from the desired state (${parts.removed.length})`));
    for (const review of parts.removed) {
      lines.push(
        `  ${review.key}${review.base ? `  was ${locationOf(review.base)}` : ""}: idanchor no longer writes this object; ${releasedSentence(review)}`,
      );
      for (const f of review.released?.findings ?? []) lines.push(...findingLines(f, style, "    "));
    }
  }
  const row = (c: PlanCounts | null): string =>
    c === null
      ? "-"
      : `${c.identities} identities, ${c.outcomes.blocked} blocked, ${c.written} changes to write, ${c.withheld} withheld, ${c.errors} errors, ${c.warnings} warnings`;
  lines.push(
    "",
    style.cyan("The estate in numbers"),
    `  base:   ${row(base.counts)}`,
    `  after:  ${row(parts.estate)}`,
  );
  const rows = warningRows(plan, parts);
  if (rows.length > 0)
    lines.push("", style.cyan("Warnings, by code (identities in the estate; of them in this change)"));
  for (const r of rows)
    lines.push(`  ${style.yellow(r.code)}: ${r.estate}${r.mine.length > 0 ? `; ${r.mine.join(", ")}` : ""}`);
  return `${lines.join("\n")}\n`;
}
