/**
 * `idanchor github comment | annotate | drift-issue`: the steps of the GitHub workflows. Each reads
 * the Actions environment from ctx.env, does its one job and returns an exit code.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { CliContext } from "../cli/io.js";
import { loadDesiredState } from "../desired/index.js";
import { InputError } from "../errors.js";
import type { Plan } from "../plan/types.js";
import { PLAN_VERSION } from "../plan/types.js";
import { renderPlanMarkdown } from "../render/plan-markdown.js";
import { annotationLines, planAnnotations, validationAnnotations } from "./annotations.js";
import type { Annotation } from "./annotations.js";
import { ensurePlanComments, planCommentParts, stripPlanMarker } from "./comment.js";
import type { ActionsContext } from "./context.js";
import { readActionsContext, readEventPullRequest, requireApiAccess } from "./context.js";
import { ensureDriftIssueClosed, ensureDriftIssueOpen } from "./drift-issue.js";
import { GithubApiError, createGithubIssues } from "./github-api.js";
import type { GithubIssues } from "./github-api.js";
import { composeReport } from "./report.js";
import type { ValidationResult } from "./report.js";
import { appendStepSummary } from "./summary.js";

const EXIT_OK = 0;
const EXIT_ERROR = 1;
const EXIT_CHANGES = 2;

export interface GithubCommentOptions {
  /** Plan JSON written by `idanchor plan --out`. */
  planFile?: string;
  /** Markdown to post instead (e.g. `idanchor plan --format markdown` output). */
  markdownFile?: string;
  /** Validate this folder and show the result (alone when there is no plan). */
  identities?: string;
  /** Say that only validation ran because the pull request comes from a fork. */
  forkNotice?: boolean;
  /** Pull request number; by default the one in the event payload. */
  pr?: number | string;
}

export interface GithubAnnotateOptions {
  planFile?: string;
  identities?: string;
  /** Append the report to the job summary (default true). */
  summary?: boolean;
}

export interface GithubDriftIssueOptions {
  /** The drift plan as markdown (`idanchor drift --format markdown`). */
  markdownFile?: string;
  planFile?: string;
  /** Exit code of `idanchor drift`: 2 drift, 0 none; anything else is a failure, never drift. */
  driftExitCode: number | string;
}

async function readText(file: string, cwd: string, what: string): Promise<string> {
  return readFile(path.resolve(cwd, file), "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read the ${what}: ${error.code ?? error.message}`, { file });
  });
}

/** Reads a plan written by `idanchor plan --out`; refuses anything else. */
export async function readPlanFile(file: string, cwd: string): Promise<Plan> {
  const text = await readText(file, cwd, "plan");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError("is not JSON; pass the file `idanchor plan --out` wrote", { file });
  }
  const plan = data as Partial<Plan> | null;
  if (plan === null || typeof plan !== "object" || plan.version !== PLAN_VERSION) {
    throw new InputError(`is not an idanchor plan of version ${PLAN_VERSION}`, { file });
  }
  if (!Array.isArray(plan.identities) || !Array.isArray(plan.findings) || typeof plan.summary !== "object") {
    throw new InputError("is not a complete idanchor plan (identities, findings, summary)", { file });
  }
  return plan as Plan;
}

async function planMarkdownFrom(
  options: { planFile?: string; markdownFile?: string },
  cwd: string,
): Promise<string | undefined> {
  if (options.planFile !== undefined && options.markdownFile !== undefined) {
    throw new InputError("give either --plan-file or --markdown-file, not both");
  }
  if (options.planFile !== undefined) return renderPlanMarkdown(await readPlanFile(options.planFile, cwd));
  if (options.markdownFile !== undefined) return readText(options.markdownFile, cwd, "markdown file");
  return undefined;
}

async function validationOf(
  identities: string | undefined,
  cwd: string,
): Promise<ValidationResult | undefined> {
  if (identities === undefined) return undefined;
  const result = await loadDesiredState(identities, cwd);
  return {
    findings: result.findings,
    files: result.files,
    identities: result.state?.identities.length ?? 0,
  };
}

function positiveInteger(value: number | string, what: string): number {
  const n = typeof value === "number" ? value : /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n <= 0) throw new InputError(`${what} must be a positive whole number`);
  return n;
}

function apiFor(actions: ActionsContext, ctx: CliContext): GithubIssues {
  const { token, repository } = requireApiAccess(actions);
  return createGithubIssues({
    ...repository,
    token,
    baseUrl: actions.apiUrl,
    warn: (message) => ctx.stderr.write(`idanchor: GitHub client warning: ${message}\n`),
  });
}

/** GitHub API failures become one line on stderr and exit 1; other errors go to the entry point. */
async function reportingApiErrors(ctx: CliContext, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof GithubApiError)) throw error;
    ctx.stderr.write(`idanchor: ${error.message}\n`);
    return EXIT_ERROR;
  }
}

/** Posts or updates the sticky plan comment on the pull request. */
export async function runGithubComment(options: GithubCommentOptions, ctx: CliContext): Promise<number> {
  const actions = readActionsContext(ctx.env);
  const api = apiFor(actions, ctx);
  const pr =
    options.pr !== undefined ? positiveInteger(options.pr, "--pr") : await readEventPullRequest(actions);
  if (pr === null) {
    throw new InputError(
      "no pull request: run on a pull_request or pull_request_target event, or pass --pr NUMBER",
    );
  }
  const report = composeReport({
    planMarkdown: await planMarkdownFrom(options, ctx.cwd),
    validation: await validationOf(options.identities, ctx.cwd),
    forkNotice: options.forkNotice === true,
    runUrl: actions.runUrl,
  });
  const parts = planCommentParts(report);
  return reportingApiErrors(ctx, async () => {
    const result = await ensurePlanComments(api, pr, parts, actions.commentAuthor);
    ctx.stdout.write(
      `idanchor: pull request #${pr}: plan comment in ${parts.length} part(s): ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.deleted} deleted\n`,
    );
    return EXIT_OK;
  });
}

/** Annotation paths must be relative to the checkout root for GitHub to place them on the file. */
function relativeToWorkspace(annotations: Annotation[], cwd: string, workspace: string | null): Annotation[] {
  if (workspace === null) return annotations;
  return annotations.map((a) => {
    if (a.file === undefined) return a;
    const relative = path.relative(workspace, path.resolve(cwd, a.file));
    return relative.startsWith("..") || path.isAbsolute(relative)
      ? a
      : { ...a, file: relative.split(path.sep).join("/") };
  });
}

/**
 * Prints findings as workflow annotations and appends the report to the job summary. Exit 1 when a
 * finding blocks (an error), so the step fails the check.
 */
export async function runGithubAnnotate(options: GithubAnnotateOptions, ctx: CliContext): Promise<number> {
  const actions = readActionsContext(ctx.env);
  const validation = await validationOf(options.identities, ctx.cwd);
  const plan = options.planFile !== undefined ? await readPlanFile(options.planFile, ctx.cwd) : undefined;
  const annotations = relativeToWorkspace(
    [
      ...(validation ? validationAnnotations(validation.findings) : []),
      ...(plan ? planAnnotations(plan) : []),
    ],
    ctx.cwd,
    actions.workspace,
  );
  for (const line of annotationLines(annotations)) ctx.stdout.write(`${line}\n`);

  if (options.summary !== false) {
    if (actions.summaryFile === null) {
      ctx.stderr.write("idanchor: GITHUB_STEP_SUMMARY is not set; no job summary written\n");
    } else {
      const report = composeReport({
        planMarkdown: plan ? renderPlanMarkdown(plan) : undefined,
        validation,
        runUrl: actions.runUrl,
      });
      await summarize(actions, report, ctx);
    }
  }
  return annotations.some((a) => a.level === "error") ? EXIT_ERROR : EXIT_OK;
}

/** Appends to the job summary when running in Actions; a no-op elsewhere. */
async function summarize(actions: ActionsContext, markdown: string, ctx: CliContext): Promise<void> {
  if (actions.summaryFile === null) return;
  const written = await appendStepSummary(actions.summaryFile, markdown);
  if (written.truncated) ctx.stderr.write("idanchor: the job summary was truncated to fit 1 MiB\n");
}

/**
 * Reports the outcome of `idanchor drift`: drift opens or updates the drift issue, no drift closes it.
 * A failed check (any other exit code) leaves the issue alone and fails: a failed read is not drift.
 */
export async function runGithubDriftIssue(
  options: GithubDriftIssueOptions,
  ctx: CliContext,
): Promise<number> {
  const actions = readActionsContext(ctx.env);
  const code = Number(options.driftExitCode);
  if (code !== EXIT_OK && code !== EXIT_CHANGES) {
    const exit = String(options.driftExitCode);
    ctx.stderr.write(
      `idanchor: the drift check failed (exit ${exit}); a failed read is reported as a failure, not as drift, so the drift issue is left as it is\n`,
    );
    const log = actions.runUrl ? ` See the log of the [workflow run](${actions.runUrl}).` : "";
    await summarize(
      actions,
      `### idanchor drift\n\n**The drift check failed** (exit ${exit}); the drift issue was left as it is.${log}\n`,
      ctx,
    );
    return EXIT_ERROR;
  }
  const api = apiFor(actions, ctx);
  const markdown = code === EXIT_CHANGES ? await planMarkdownFrom(options, ctx.cwd) : undefined;
  if (code === EXIT_CHANGES && markdown === undefined) {
    throw new InputError("drift found but no report given; pass --markdown-file or --plan-file");
  }
  return reportingApiErrors(ctx, async () => {
    const result =
      markdown !== undefined
        ? await ensureDriftIssueOpen(api, markdown, actions.commentAuthor)
        : await ensureDriftIssueClosed(api, actions.runUrl, actions.commentAuthor);
    const which = result.issueNumber !== null ? ` #${result.issueNumber}` : "";
    ctx.stdout.write(`idanchor: drift issue${which}: ${result.action}\n`);
    await summarize(
      actions,
      markdown !== undefined
        ? `${stripPlanMarker(markdown).trimEnd()}\n\nDrift issue${which}: ${result.action}.\n`
        : `### idanchor drift\n\nNo drift: live state matches \`main\`.${which ? ` Drift issue${which} closed.` : ""}\n`,
      ctx,
    );
    return EXIT_OK;
  });
}
