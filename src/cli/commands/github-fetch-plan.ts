/**
 * `idanchor github fetch-plan --out FILE`: the apply workflow's first step. Fetches the plan the
 * reviewers saw for the commit being applied (see src/github/reviewed-plan.ts), checks that it is a
 * plan, saves it, and tells the workflow the pull request number. No reviewed plan: exit 1, and the
 * message says how to proceed.
 */
import { appendFile, readFile } from "node:fs/promises";
import path from "node:path";

import { readPlanFile } from "../../apply/plan-file.js";
import { readActionsContext, requireApiAccess } from "../../github/context.js";
import { createGithubActions, createGithubIssues } from "../../github/github-api.js";
import { NoReviewedPlan, fetchReviewedPlan } from "../../github/reviewed-plan.js";
import { ZipError } from "../../github/artifact-zip.js";
import { InputError } from "../../model/errors.js";
import { writeFileAtomic } from "../files.js";
import type { CliContext } from "../io.js";
import { EXIT } from "../io.js";
import { positiveInteger } from "../options.js";

export interface GithubFetchPlanOptions {
  out: string;
  commit?: string;
  workflow: string;
  artifactPrefix: string;
  planFile: string;
}

export async function runGithubFetchPlan(options: GithubFetchPlanOptions, ctx: CliContext): Promise<number> {
  const actions = readActionsContext(ctx.env);
  const { token, repository } = requireApiAccess(actions);
  const commit = options.commit ?? ctx.env.GITHUB_SHA?.trim();
  if (!commit || !/^[0-9a-f]{40}$/i.test(commit))
    throw new InputError(
      "no commit to find the reviewed plan for: pass --commit SHA (GITHUB_SHA is not set)",
    );
  const api = createGithubActions({ ...repository, token, baseUrl: actions.apiUrl });
  let found;
  try {
    found = await fetchReviewedPlan(api, commit, options);
  } catch (error) {
    if (!(error instanceof NoReviewedPlan) && !(error instanceof ZipError)) throw error;
    ctx.stderr.write(`idanchor: no reviewed plan for ${commit}: ${error.message}\n`);
    return EXIT.error;
  }
  const out = path.resolve(ctx.cwd, options.out);
  await writeFileAtomic(out, found.plan.toString("utf8"));
  // The same reader as apply: a file that is no plan stops here, not after connecting.
  await readPlanFile(out, options.out);
  ctx.stdout.write(
    `idanchor: reviewed plan of pull request #${found.pullRequest} (head ${found.headSha.slice(0, 12)}, ${found.runUrl}) saved to ${options.out}\n`,
  );
  const outputs = ctx.env.GITHUB_OUTPUT?.trim();
  if (outputs) await appendFile(outputs, `pull-request=${found.pullRequest}\nhead-sha=${found.headSha}\n`);
  return EXIT.ok;
}

export interface GithubPrNoteOptions {
  pr: string;
  markdownFile: string;
}

/** Adds one comment (not the sticky plan comment) to a pull request, e.g. apply's unreviewed report. */
export async function runGithubPrNote(options: GithubPrNoteOptions, ctx: CliContext): Promise<number> {
  const actions = readActionsContext(ctx.env);
  const { token, repository } = requireApiAccess(actions);
  const pr = positiveInteger(options.pr, "--pr");
  if (pr === undefined) throw new InputError("--pr NUMBER is required");
  const body = await readFile(path.resolve(ctx.cwd, options.markdownFile), "utf8").catch(
    (error: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read the markdown (${error.code ?? error.message})`, {
        file: options.markdownFile,
      });
    },
  );
  const api = createGithubIssues({ ...repository, token, baseUrl: actions.apiUrl });
  await api.createComment(pr, body);
  ctx.stdout.write(`idanchor: pull request #${pr}: comment added\n`);
  return EXIT.ok;
}
