/**
 * `idanchor github verify-issues`: turns the JSON report of `idanchor verify` into one issue per
 * diverged identity (opened, updated, closed once as predicted). A failed verify (exit other than
 * 0 or 2) leaves every issue as it is and fails: a failed read is not a divergence.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { readActionsContext, requireApiAccess } from "../../github/context.js";
import { createGithubIssues } from "../../github/github-api.js";
import { appendStepSummary } from "../../github/summary.js";
import { ensureVerifyIssues } from "../../github/verify-issues.js";
import { InputError } from "../../model/errors.js";
import type { VerifyReport } from "../../plan/verify-types.js";
import { VERIFY_VERSION } from "../../plan/verify-types.js";
import type { CliContext } from "../io.js";
import { EXIT } from "../io.js";

export interface GithubVerifyIssuesOptions {
  /** The report of `idanchor verify --format json`. */
  report?: string;
  /** Exit code of `idanchor verify`: 0 all as predicted, 2 pending or diverged; anything else a failure. */
  verifyExitCode: number | string;
}

async function readReport(file: string, cwd: string): Promise<VerifyReport> {
  const text = await readFile(path.resolve(cwd, file), "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read the verify report: ${error.code ?? error.message}`, { file });
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError("is not JSON; pass the output of `idanchor verify --format json`", { file });
  }
  const report = data as Partial<VerifyReport> | null;
  if (report === null || report.version !== VERIFY_VERSION || !Array.isArray(report.results))
    throw new InputError(`is not an idanchor verify report of version ${VERIFY_VERSION}`, { file });
  return report as VerifyReport;
}

export async function runGithubVerifyIssues(
  options: GithubVerifyIssuesOptions,
  ctx: CliContext,
): Promise<number> {
  const actions = readActionsContext(ctx.env);
  const code = Number(options.verifyExitCode);
  if (code !== 0 && code !== 2) {
    ctx.stderr.write(
      `idanchor: the verify check failed (exit ${String(options.verifyExitCode)}); a failed read is not a divergence, so the verify issues are left as they are\n`,
    );
    return EXIT.error;
  }
  if (options.report === undefined)
    throw new InputError("pass --report FILE (idanchor verify --format json)");
  const report = await readReport(options.report, ctx.cwd);
  const { token, repository } = requireApiAccess(actions);
  const api = createGithubIssues({
    ...repository,
    token,
    baseUrl: actions.apiUrl,
    warn: (message) => ctx.stderr.write(`idanchor: GitHub client warning: ${message}\n`),
  });
  // A GitHub API failure goes to the entry point: one line on stderr, exit 1.
  const results = await ensureVerifyIssues(api, report, actions.runUrl, actions.commentAuthor);
  for (const r of results)
    ctx.stdout.write(`idanchor: verify issue #${r.issueNumber} (${r.key}): ${r.action}\n`);
  if (results.length === 0) ctx.stdout.write("idanchor: verify issues: nothing to open or close\n");
  if (actions.summaryFile !== null) {
    const lines = results.map((r) => `- ${r.key}: issue #${r.issueNumber} ${r.action}`);
    const { predicted, pending, diverged } = report.summary;
    await appendStepSummary(
      actions.summaryFile,
      `### idanchor verify\n\n${predicted} as predicted, ${pending} not synced yet, ${diverged} diverged.\n${lines.length > 0 ? `\n${lines.join("\n")}\n` : ""}`,
    );
  }
  return EXIT.ok;
}
