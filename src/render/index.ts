/** One renderer per format, each pure. A new format is one file and one line here. */
import type { BaseComparison, Plan, PlanIdentity } from "../plan/types.js";
import type { Block } from "./blocks.js";
import { fitMarkdown, planMarkdownBlocks, renderPlanMarkdown } from "./plan-markdown.js";
import { renderReviewText, reviewMarkdownBlocks } from "./plan-review.js";
import { renderPlanText } from "./plan-text.js";
import type { OutputFormat, TextStyle } from "./style.js";

/**
 * `JSON.stringify(value, null, 2)` with every line after the first indented by two spaces per
 * `depth`: stringified inside `depth` arrays, whose brackets are cut off again, so that V8 does the
 * indenting (a regex over each identity's text was a second of a 100,000-identity plan).
 */
function indented(value: unknown, depth: 1 | 2): string {
  return depth === 1
    ? JSON.stringify([value], null, 2).slice(4, -2)
    : JSON.stringify([[value]], null, 2).slice(10, -6);
}

/**
 * A plan's JSON written identity by identity, so that neither the plan nor its text is ever held
 * whole (100,000 identities: ~150 MB of JSON): `start`, `identity` for each in order, `end` with
 * the rest of the plan. `pretty` is `JSON.stringify(plan, null, 2)` and a newline (stdout); the
 * compact form puts one identity per line (the plan file).
 */
export interface PlanJsonWriter {
  start(version: number): string;
  /**
   * What goes before the identity at `index`, apart from its text: a writer that joined the two
   * would make V8 copy each identity's text once more to write it out.
   */
  separator(index: number): string;
  identity(identity: PlanIdentity): string;
  end(rest: Omit<Plan, "identities">, count: number): string;
}

export const prettyPlanJson: PlanJsonWriter = {
  start: (version) => `{\n  "version": ${JSON.stringify(version)},\n  "identities": `,
  separator: (index) => (index === 0 ? "[\n    " : ",\n    "),
  identity: (identity) => indented(identity, 2),
  end: (rest, count) => {
    // The plan's own key order after the identities (base, when there is one, was set last).
    const record = rest as unknown as Record<string, unknown>;
    const keys = Object.keys(record).filter((key) => key !== "version" && record[key] !== undefined);
    const tail = keys.map((key) => `,\n  ${JSON.stringify(key)}: ${indented(record[key], 1)}`);
    return `${count === 0 ? "[]" : "\n  ]"}${tail.join("")}\n}\n`;
  },
};

export const compactPlanJson: PlanJsonWriter = {
  start: (version) => `{"version":${JSON.stringify(version)},"identities":[`,
  separator: (index) => (index === 0 ? "\n" : ",\n"),
  identity: (identity) => JSON.stringify(identity),
  end: (rest) => {
    const base = rest.base !== undefined ? `,"base":${JSON.stringify(rest.base)}` : "";
    const digest = rest.writeDigest === undefined ? "" : `,"writeDigest":${JSON.stringify(rest.writeDigest)}`;
    return `\n],"findings":${JSON.stringify(rest.findings)},"summary":${JSON.stringify(rest.summary)}${base}${digest}}\n`;
  },
};

function* planJson(plan: Plan, writer: PlanJsonWriter): Generator<string> {
  const { identities, ...rest } = plan;
  yield writer.start(rest.version);
  for (let index = 0; index < identities.length; index++) {
    yield writer.separator(index);
    yield writer.identity(identities[index]!);
  }
  yield writer.end(rest, identities.length);
}

/** `JSON.stringify(plan, null, 2)` and a newline, as pieces: one identity at a time, never the whole text. */
export function planJsonPretty(plan: Plan): Generator<string> {
  return planJson(plan, prettyPlanJson);
}

export function renderPlanJson(plan: Plan): string {
  return [...planJsonPretty(plan)].join("");
}

/** The plan file's JSON in pieces, one identity per line. */
export function planJsonChunks(plan: Plan): Generator<string> {
  return planJson(plan, compactPlanJson);
}

export function renderPlan(plan: Plan, format: OutputFormat, style: TextStyle): string {
  switch (format) {
    case "json":
      return renderPlanJson(plan);
    case "markdown":
      return renderPlanMarkdown(plan);
    case "text":
      return renderPlanText(plan, style);
  }
}

export const hasBase = (plan: Plan): plan is Plan & { base: BaseComparison } => plan.base !== undefined;

/** The pull request view when the plan has a base comparison; the whole-estate view otherwise. */
export function renderReview(plan: Plan, format: OutputFormat, style: TextStyle): string {
  if (!hasBase(plan) || format === "json") return renderPlan(plan, format, style);
  return format === "markdown" ? fitMarkdown(reviewMarkdownBlocks(plan)) : renderReviewText(plan, style);
}

/** The blocks the pull request comment and the job summary pack: the PR view when there is a base. */
export function planBlocks(plan: Plan): Block[] {
  return hasBase(plan) ? reviewMarkdownBlocks(plan) : planMarkdownBlocks(plan);
}

export { PLAN_MARKER } from "./plan-markdown.js";
export { ANSI_STYLE, PLAIN_STYLE } from "./style.js";
export type { OutputFormat, TextStyle } from "./style.js";
export type { Block } from "./blocks.js";
export { blocksToMarkdown, charLength, packBlocks, text, utf8Length } from "./blocks.js";
export { ViewIdentities } from "./plan-facts.js";
