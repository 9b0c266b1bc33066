/** The entry point: the only place that parses argv and turns errors into exit codes. */
import { Command, CommanderError, Option } from "commander";

import { GithubApiError } from "../github/github-api.js";
import { DirectoryError, InputError } from "../model/errors.js";
import { sanitizeServerText } from "../model/sanitize.js";
import { runApply } from "./commands/apply.js";
import { registerAudit } from "./commands/audit.js";
import { runDrift } from "./commands/drift.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerExport } from "./commands/export.js";
import { registerGithub } from "./commands/github.js";
import { registerHygiene } from "./commands/hygiene.js";
import { registerImport } from "./commands/import.js";
import { registerInit } from "./commands/init.js";
import { runPlan } from "./commands/plan.js";
import { runValidate } from "./commands/validate.js";
import { registerVerify } from "./commands/verify.js";
import type { CliContext, OutputFormat } from "./io.js";
import { EXIT } from "./io.js";
import { cliLogger } from "./logger.js";
import { packageVersion } from "./package-info.js";

function formatOption(): Option {
  return new Option("--format <format>", "output format")
    .choices(["text", "markdown", "json"])
    .default("text");
}

function identitiesOption(): Option {
  return new Option("--identities <dir>", "folder of desired-state YAML").default("identities");
}

/** The command tree; exported so that tests can check what the workflows call against it. */
export function buildProgram(outer: CliContext, setExit: (code: number) => void): Command {
  let verbose = false;
  const ctx: CliContext = { ...outer, logger: outer.logger ?? cliLogger(outer.stderr, () => verbose) };
  const program = new Command("idanchor")
    .description("GitOps reconciler for Entra Connect identity anchors")
    .version(packageVersion(), "-V, --version", "print the version of idanchor")
    .option("--verbose", "show the adapters' log lines (pages read, retries, waits) on stderr")
    .hook("preAction", (_program, action) => {
      verbose = action.optsWithGlobals<{ verbose?: boolean }>().verbose === true;
    })
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .showHelpAfterError("(run 'idanchor --help' for usage)");

  program
    .command("validate")
    .description("check the desired state (YAML) offline; exit 0 clean, 1 on errors")
    .addOption(identitiesOption())
    .addOption(formatOption())
    .action(async (opts: { identities: string; format: OutputFormat }) =>
      setExit(await runValidate(opts, ctx)),
    );

  program
    .command("plan")
    .description("predict the next sync for every identity; exit 0 nothing to do, 2 changes, 1 errors")
    .addOption(identitiesOption())
    .option("--ad-snapshot <file>", "read AD from an LDIF export instead of LDAP")
    .option("--entra-snapshot <file>", "read Entra ID from a JSON snapshot instead of Graph")
    .addOption(formatOption())
    .option("--out <file>", "save the plan (JSON) for 'idanchor apply'")
    .option(
      "--base <ref>",
      "also plan the desired state at this git ref and show what the change does (the pull request view)",
    )
    .action(async (opts: Parameters<typeof runPlan>[0]) => setExit(await runPlan(opts, ctx)));

  program
    .command("apply")
    .description(
      "write the reviewed plan where AD, Entra and the YAML still agree with it; exit 0 done, 1 refusals, conflicts or errors",
    )
    .argument("[planfile]", "the reviewed plan JSON written by 'idanchor plan --out'")
    .addOption(identitiesOption())
    .addOption(formatOption())
    .option("--receipt <file>", "write the receipt (JSON) here")
    .option("--allow-mass-change <n>", "allow up to N object changes, above policy.maxChangesPerApply")
    .option("--concurrency <n>", "AD modifies in flight at once", "8")
    .option(
      "--plan-and-apply",
      "plan and apply in one go (or apply a plan the workflow made without review); the receipt records it as not reviewed",
    )
    .option("--pull-request <n>", "the pull request the plan was reviewed in, for the receipt")
    .option("--report <file>", "write what is still pending and was never reviewed (Markdown) here")
    .action(async (planFile: string | undefined, opts: Parameters<typeof runApply>[1]) =>
      setExit(await runApply(planFile, opts, ctx)),
    );

  program
    .command("drift")
    .description(
      "report live values changed outside git since the last apply; exit 0 none, 2 drift, 1 errors",
    )
    .addOption(identitiesOption())
    .option("--ad-snapshot <file>", "read AD from an LDIF export instead of LDAP")
    .option("--entra-snapshot <file>", "read Entra ID from a JSON snapshot instead of Graph")
    .addOption(formatOption())
    .action(async (opts: Parameters<typeof runDrift>[0]) => setExit(await runDrift(opts, ctx)));

  registerAudit(program, ctx, setExit);
  registerExport(program, ctx, setExit);
  registerGithub(program, ctx, setExit);
  registerImport(program, ctx, setExit);
  registerVerify(program, ctx, setExit);
  registerInit(program, ctx, setExit);
  registerDoctor(program, ctx, setExit);
  registerHygiene(program, ctx, setExit);
  return program;
}

/**
 * The one map from an error to what the user sees and the exit code. Known errors print their own
 * message; anything else is a bug, said briefly, never with a raw object (those can hold tokens).
 */
export function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof InputError) return { message: error.describe(), exitCode: EXIT.error };
  if (error instanceof DirectoryError)
    return {
      message: `${error.system === "ad" ? "Active Directory" : "Entra ID"}: ${error.message}`,
      exitCode: EXIT.error,
    };
  if (error instanceof GithubApiError) return { message: error.message, exitCode: EXIT.error };
  const message = error instanceof Error ? error.message : String(error);
  return { message: `internal error: ${message}`, exitCode: EXIT.error };
}

/** Secrets the environment holds: whatever an error quotes, none of them is printed. */
const SECRET_VARIABLES = [
  "GITHUB_TOKEN",
  "GH_TOKEN",
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  "IDANCHOR_AD_PASSWORD",
];

export async function main(argv: readonly string[], ctx: CliContext): Promise<number> {
  let exitCode: number = EXIT.ok;
  const secrets = SECRET_VARIABLES.map((name) => ctx.env[name]).filter(
    (v): v is string => v !== undefined && v.length >= 4,
  );
  // The last line of defence for error lines: no secret, no terminal escape.
  const errorLine = (text: string): void => void ctx.stderr.write(`${sanitizeServerText(text, secrets)}\n`);
  const program = buildProgram(ctx, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    const failure = describeFailure(error);
    errorLine(`idanchor: ${failure.message}`);
    return failure.exitCode;
  }
}
