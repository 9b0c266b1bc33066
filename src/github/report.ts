/**
 * The markdown a pull request comment and a job summary show: the plan, or when there is none, why
 * not (fork, invalid desired state, failed read) plus the validation result. Pure.
 */
import type { ValidationFinding } from "../desired/types.js";
import type { Block } from "../render/index.js";
import { blocksToMarkdown, text } from "../render/index.js";
import { renderValidationMarkdown } from "../render/validation.js";
import { stripPlanMarker, withoutPlanMarker } from "./comment.js";

export interface ValidationResult {
  findings: readonly ValidationFinding[];
  files: number;
  identities: number;
}

export interface ReportInput {
  /** The rendered plan (blocks, or markdown given as a file); absent when no plan was computed. */
  plan?: readonly Block[] | string;
  validation?: ValidationResult;
  /** The pull request comes from a fork: the workflow has no credentials and only validated. */
  forkNotice?: boolean;
  /** Link to the workflow run, for "see the log". */
  runUrl?: string | null;
}

export const FORK_NOTICE = [
  "> [!NOTE]",
  "> **Validation only.** This pull request comes from a fork. Workflows started from forks get no",
  "> secrets, so no plan was computed against Active Directory and Entra ID. A maintainer gets the plan",
  "> by pushing this branch to the repository (see `docs/github-setup.md`, *Pull requests from forks*).",
];

function noPlanReason(input: ReportInput, hasErrors: boolean): string[] {
  if (input.forkNotice === true) return FORK_NOTICE;
  if (hasErrors) {
    return [
      "> [!CAUTION]",
      "> **No plan.** The desired state has errors (below); the plan runs once they are fixed.",
    ];
  }
  const log = input.runUrl ? `[workflow run](${input.runUrl})` : "workflow run";
  return [
    "> [!WARNING]",
    `> **No plan.** The plan could not be computed (a directory could not be read, or the plan failed); see the log of the ${log}.`,
  ];
}

/** The report as blocks, for the comment and summary packers (without the plan marker). */
export function composeReportBlocks(input: ReportInput): Block[] {
  const validation = input.validation;
  const hasErrors = validation?.findings.some((f) => f.severity === "error") ?? false;
  const validationBlock =
    validation === undefined
      ? []
      : [text(renderValidationMarkdown(validation.findings, validation).trimEnd())];

  if (input.plan !== undefined && input.forkNotice !== true) {
    const plan =
      typeof input.plan === "string"
        ? [text(stripPlanMarker(input.plan).trimEnd())]
        : withoutPlanMarker(input.plan);
    // A valid desired state is implied by the plan; only warnings are worth repeating below it.
    const extra = validation !== undefined && validation.findings.length > 0 ? validationBlock : [];
    return [...plan, ...extra];
  }
  return [text("### idanchor plan", "", ...noPlanReason(input, hasErrors)), ...validationBlock];
}

export function composeReport(input: ReportInput): string {
  return blocksToMarkdown(composeReportBlocks(input));
}
