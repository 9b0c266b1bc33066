/**
 * `idanchor github comment | annotate | drift-issue | fetch-plan`: the steps of the GitHub workflows. Each reads
 * the Actions environment from ctx.env, does its one job and returns an exit code; src/github does
 * the work (comment, annotations, report, summary, drift issue).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { Command } from "commander";

import { readPlanFile } from "../../apply/plan-file.js";
import { loadDesiredState } from "../../desired/index.js";
import { annotationLines, planAnnotations, validationAnnotations } from "../../github/annotations.js";
import type { Annotation } from "../../github/annotations.js";
import { MAX_COMMENTS, ensurePlanComments, planCommentParts, stripPlanMarker } from "../../github/comment.js";
import type { ActionsContext } from "../../github/context.js";
import { readActionsContext, readEventPullRequest, requireApiAccess } from "../../github/context.js";
import { ensureDriftIssueClosed, ensureDriftIssueOpen } from "../../github/drift-issue.js";
import { createGithubIssues } from "../../github/github-api.js";
import type { GithubIssues } from "../../github/github-api.js";
import { composeReportBlocks } from "../../github/report.js";
import type { ValidationResult } from "../../github/report.js";
import { appendStepSummary } from "../../github/summary.js";
import { InputError } from "../../model/errors.js";
import type { Plan } from "../../plan/types.js";
import type { Block } from "../../render/index.js";
import { blocksToMarkdown, planBlocks } from "../../render/index.js";
import type { CliContext } from "../io.js";
import { runGithubFetchPlan, runGithubPrNote } from "./github-fetch-plan.js";
import type { GithubFetchPlanOptions, GithubPrNoteOptions } from "./github-fetch-plan.js";
import { EXIT } from "../io.js";
import { positiveInteger } from "../options.js";
import { runGithubVerifyIssues } from "./github-verify.js";
import type { GithubVerifyIssuesOptions } from "./github-verify.js";

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

/** The plan `--plan-file` names, read by apply's reader: the same checks and messages everywhere. */
function planFrom(file: string, cwd: string): Promise<Plan> {
  return readPlanFile(path.resolve(cwd, file), file);
}

/** The plan's blocks (the pull request view when it has a base comparison), or the markdown file's text. */
async function planMarkdownFrom(
  options: { planFile?: string; markdownFile?: string },
  cwd: string,
): Promise<Block[] | string | undefined> {
  if (options.planFile !== undefined && options.markdownFile !== undefined) {
    throw new InputError("give either --plan-file or --markdown-file, not both");
  }
  if (options.planFile !== undefined) return planBlocks(await planFrom(options.planFile, cwd));
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

function apiFor(actions: ActionsContext, ctx: CliContext): GithubIssues {
  const { token, repository } = requireApiAccess(actions);
  return createGithubIssues({
    ...repository,
    token,
    baseUrl: actions.apiUrl,
    warn: (message) => ctx.stderr.write(`idanchor: GitHub client warning: ${message}\n`),
  });
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
  const report = composeReportBlocks({
    plan: await planMarkdownFrom(options, ctx.cwd),
    validation: await validationOf(options.identities, ctx.cwd),
    forkNotice: options.forkNotice === true,
    runUrl: actions.runUrl,
  });
  const parts = planCommentParts(report);
  const result = await ensurePlanComments(api, pr, parts, actions.commentAuthor);
  ctx.stdout.write(
    `idanchor: pull request #${pr}: plan comment in ${parts.length} part(s): ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.deleted} deleted\n`,
  );
  if (parts.length === MAX_COMMENTS && parts[parts.length - 1]!.includes("**Cut here.**"))
    ctx.stderr.write(
      `idanchor: the plan does not fit in ${MAX_COMMENTS} comments and was cut; the job summary and the plan artifact hold more\n`,
    );
  return EXIT.ok;
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
  const plan = options.planFile !== undefined ? await planFrom(options.planFile, ctx.cwd) : undefined;
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
      const report = composeReportBlocks({
        plan: plan ? planBlocks(plan) : undefined,
        validation,
        runUrl: actions.runUrl,
      });
      await summarize(actions, report, ctx);
    }
  }
  // A blocking finding fails the check even where the pull request view does not annotate it.
  const blocking = annotations.some((a) => a.level === "error") || (plan?.summary.errors ?? 0) > 0;
  return blocking ? EXIT.error : EXIT.ok;
}

/** Appends to the job summary when running in Actions; a no-op elsewhere. */
async function summarize(
  actions: ActionsContext,
  markdown: readonly Block[] | string,
  ctx: CliContext,
): Promise<void> {
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
  if (code !== EXIT.ok && code !== EXIT.changes) {
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
    return EXIT.error;
  }
  const api = apiFor(actions, ctx);
  const report = code === EXIT.changes ? await planMarkdownFrom(options, ctx.cwd) : undefined;
  const markdown = typeof report === "object" ? blocksToMarkdown(report) : report;
  if (code === EXIT.changes && markdown === undefined) {
    throw new InputError("drift found but no report given; pass --markdown-file or --plan-file");
  }
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
  return EXIT.ok;
}

export function registerGithub(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const github = program
    .command("github")
    .description("GitHub Actions steps: PR comment, annotations, drift issue, verify issues");

  github
    .command("comment")
    .description("create or update the sticky plan comment on the pull request")
    .option("--plan-file <file>", "plan JSON written by 'idanchor plan --out'")
    .option("--markdown-file <file>", "markdown to post instead of a plan")
    .option("--identities <dir>", "also validate this folder and show the result")
    .option("--fork-notice", "say that only validation ran (pull request from a fork)")
    .option("--pr <number>", "pull request number (default: from the event payload)")
    .action(async (opts: GithubCommentOptions) => setExit(await runGithubComment(opts, ctx)));

  github
    .command("annotate")
    .description("turn findings into ::error annotations and append the report to the job summary")
    .option("--plan-file <file>", "plan JSON written by 'idanchor plan --out'")
    .option("--identities <dir>", "also validate this folder")
    .option("--no-summary", "do not write the job summary")
    .action(async (opts: GithubAnnotateOptions) => setExit(await runGithubAnnotate(opts, ctx)));

  github
    .command("drift-issue")
    .description("open, update or close the one drift issue from the exit code of 'idanchor drift'")
    .requiredOption("--drift-exit-code <code>", "exit code of 'idanchor drift' (2 drift, 0 none)")
    .option("--markdown-file <file>", "the drift report as markdown")
    .option("--plan-file <file>", "plan JSON")
    .action(async (opts: GithubDriftIssueOptions) => setExit(await runGithubDriftIssue(opts, ctx)));

  github
    .command("verify-issues")
    .description(
      "open, update or close one issue per identity whose sync diverged, from 'idanchor verify --format json'",
    )
    .requiredOption(
      "--verify-exit-code <code>",
      "exit code of 'idanchor verify' (0 as predicted, 2 pending or diverged)",
    )
    .option("--report <file>", "the verify report as JSON")
    .action(async (opts: GithubVerifyIssuesOptions) => setExit(await runGithubVerifyIssues(opts, ctx)));

  github
    .command("fetch-plan")
    .description(
      "fetch the reviewed plan of the pull request merged as this commit; exit 1 when there is none",
    )
    .requiredOption("--out <file>", "where to save the plan JSON")
    .option("--commit <sha>", "the merge commit (default: GITHUB_SHA)")
    .option("--workflow <file>", "the plan check's workflow file", "plan.yml")
    .option("--artifact-prefix <name>", "the plan artifact's name before the PR number", "idanchor-plan-pr")
    .option("--plan-file <name>", "the plan's file name inside the artifact", "idanchor-plan.json")
    .action(async (opts: GithubFetchPlanOptions) => setExit(await runGithubFetchPlan(opts, ctx)));

  github
    .command("pr-note")
    .description("add one comment to a pull request (apply's report of unreviewed changes)")
    .requiredOption("--pr <number>", "pull request number")
    .requiredOption("--markdown-file <file>", "the comment's markdown")
    .action(async (opts: GithubPrNoteOptions) => setExit(await runGithubPrNote(opts, ctx)));
}
