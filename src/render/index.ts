/** One renderer per format, each a pure (plan) => string. A new format is one file and one line here. */
import type { Plan } from "../plan/types.js";
import { renderPlanMarkdown } from "./plan-markdown.js";
import { renderPlanText } from "./plan-text.js";
import type { TextStyle } from "./style.js";

export type PlanFormat = "text" | "markdown" | "json";

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

export function renderPlan(plan: Plan, format: PlanFormat, style: TextStyle): string {
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
export type { TextStyle } from "./style.js";
