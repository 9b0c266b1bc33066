/** One renderer per format, each a pure (plan) => string. A new format is one file and one line here. */
import type { Plan } from "../plan/types.js";
import { renderPlanMarkdown } from "./plan-markdown.js";
import { renderPlanText } from "./plan-text.js";
import type { OutputFormat, TextStyle } from "./style.js";

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
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
  const digest = rest.writeDigest === undefined ? "" : `,"writeDigest":${JSON.stringify(rest.writeDigest)}`;
  yield `\n],"findings":${JSON.stringify(rest.findings)},"summary":${JSON.stringify(rest.summary)}${digest}}\n`;
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

export { PLAN_MARKER } from "./plan-markdown.js";
export { ANSI_STYLE, PLAIN_STYLE } from "./style.js";
export type { OutputFormat, TextStyle } from "./style.js";
