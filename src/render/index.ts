/** One renderer per format, each pure. A new format is one file and one line here. */
import type { BaseComparison, Plan } from "../plan/types.js";
import type { Block } from "./blocks.js";
import { fitMarkdown, planMarkdownBlocks, renderPlanMarkdown } from "./plan-markdown.js";
import { renderReviewText, reviewMarkdownBlocks } from "./plan-review.js";
import { renderPlanText } from "./plan-text.js";
import type { OutputFormat, TextStyle } from "./style.js";

/** `JSON.stringify(plan, null, 2)` and a newline, as pieces: one identity at a time, never the whole text. */
export function* planJsonPretty(plan: Plan): Generator<string> {
  const record = plan as unknown as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined);
  const indented = (value: unknown, prefix: string): string =>
    JSON.stringify(value, null, 2).replace(/\n/g, `\n${prefix}`);
  yield "{";
  for (const [index, key] of keys.entries()) {
    yield `${index === 0 ? "" : ","}\n  ${JSON.stringify(key)}: `;
    if (key === "identities" && plan.identities.length > 0) {
      yield "[";
      for (const [at, identity] of plan.identities.entries())
        yield `${at === 0 ? "" : ","}\n    ${indented(identity, "    ")}`;
      yield "\n  ]";
    } else yield indented(record[key], "  ");
  }
  yield keys.length === 0 ? "}\n" : "\n}\n";
}

export function renderPlanJson(plan: Plan): string {
  return [...planJsonPretty(plan)].join("");
}

/**
 * The same plan as JSON in pieces, one identity per line, for saving a plan of any size without
 * holding the whole text in memory (100,000 identities make about 100 MB of JSON).
 */
export function* planJsonChunks(plan: Plan): Generator<string> {
  const { identities, ...rest } = plan;
  yield `{"version":${JSON.stringify(rest.version)},"identities":[`;
  for (const [index, identity] of identities.entries())
    yield `${index === 0 ? "" : ","}\n${JSON.stringify(identity)}`;
  const base = rest.base !== undefined ? `,"base":${JSON.stringify(rest.base)}` : "";
  const digest = rest.writeDigest === undefined ? "" : `,"writeDigest":${JSON.stringify(rest.writeDigest)}`;
  yield `\n],"findings":${JSON.stringify(rest.findings)},"summary":${JSON.stringify(rest.summary)}${base}${digest}}\n`;
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
