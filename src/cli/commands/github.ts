/** `idanchor github ...`: the steps of the GitHub workflows (src/github does the work). */
import type { Command } from "commander";

import { runGithubAnnotate, runGithubComment, runGithubDriftIssue } from "../../github/command.js";
import type { CliContext } from "../io.js";

export function registerGithub(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const github = program
    .command("github")
    .description("GitHub Actions steps: PR comment, annotations, drift issue");

  github
    .command("comment")
    .description("create or update the sticky plan comment on the pull request")
    .option("--plan-file <file>", "plan JSON written by 'idanchor plan --out'")
    .option("--markdown-file <file>", "markdown to post instead of a plan")
    .option("--identities <dir>", "also validate this folder and show the result")
    .option("--fork-notice", "say that only validation ran (pull request from a fork)")
    .option("--pr <number>", "pull request number (default: from the event payload)")
    .action(async (opts: Parameters<typeof runGithubComment>[0]) =>
      setExit(await runGithubComment(opts, ctx)),
    );

  github
    .command("annotate")
    .description("turn findings into ::error annotations and append the report to the job summary")
    .option("--plan-file <file>", "plan JSON written by 'idanchor plan --out'")
    .option("--identities <dir>", "also validate this folder")
    .option("--no-summary", "do not write the job summary")
    .action(async (opts: Parameters<typeof runGithubAnnotate>[0]) =>
      setExit(await runGithubAnnotate(opts, ctx)),
    );

  github
    .command("drift-issue")
    .description("open, update or close the one drift issue from the exit code of 'idanchor drift'")
    .requiredOption("--drift-exit-code <code>", "exit code of 'idanchor drift' (2 drift, 0 none)")
    .option("--markdown-file <file>", "the drift report as markdown")
    .option("--plan-file <file>", "plan JSON")
    .action(async (opts: Parameters<typeof runGithubDriftIssue>[0]) =>
      setExit(await runGithubDriftIssue(opts, ctx)),
    );
}
