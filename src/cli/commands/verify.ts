/**
 * `idanchor verify`: after the sync, did it do what the reviewed plan predicted? Reads the receipts'
 * predictions (git notes) and Entra (live or snapshot), classifies every applied identity, prints the
 * report and records the verdicts next to the receipts. Exit 0 all as predicted, 2 pending or
 * diverged, 1 a failed read or bad input.
 */
import { Option } from "commander";
import type { Command } from "commander";

import { parseDateBound } from "../../audit/index.js";
import { commitsSince, readVerifyNotes, recordVerdicts } from "../../audit/verify-notes.js";
import { openGraph } from "../../directory/entra/index.js";
import type { EntraState } from "../../model/directory.js";
import { InputError } from "../../model/errors.js";
import { buildVerifyReport, emptyVerifyReport, predictionsToVerify } from "../../plan/verify.js";
import type { VerifySince } from "../../plan/verify-types.js";
import { renderVerify } from "../../render/verify.js";
import type { VerifyFormat } from "../../render/verify.js";
import type { CliContext } from "../io.js";
import { EXIT, styleFor } from "../io.js";
import { progressFor } from "../progress.js";
import { loadValidDesiredState, openEntraSource } from "../sources.js";

export interface VerifyCommandOptions {
  identities: string;
  format: VerifyFormat;
  since?: string;
  entraSnapshot?: string;
  /** commander's --no-record: false means print only, write no note. */
  record: boolean;
}

async function sinceOf(value: string | undefined, cwd: string): Promise<VerifySince> {
  if (value === undefined) return { kind: "unverified" };
  const commits = await commitsSince(cwd, value);
  if (commits) return { kind: "commits", commits };
  const ms = parseDateBound(value, "since");
  if (ms !== null) return { kind: "date", ms };
  throw new InputError(
    `--since '${value}' is neither a commit (branch, tag, hash) nor a date; use e.g. --since HEAD~5 or --since 2026-01-31`,
  );
}

/** Entra from the snapshot, or live with the tenant's last sync time (which a snapshot does not hold). */
async function readEntra(
  options: VerifyCommandOptions,
  desired: NonNullable<Awaited<ReturnType<typeof loadValidDesiredState>>>,
  ctx: CliContext,
): Promise<{ entra: EntraState; tenantLastSync: string | null }> {
  const progress = progressFor(ctx.stderr);
  if (options.entraSnapshot) {
    const source = await openEntraSource(desired, options, ctx);
    const entra = await progress.step(
      `Reading Entra ID (${source.description})`,
      () => source.readAll(),
      (s) => `${s.users.length} users, ${s.groups.length} groups, ${s.contacts.length} contacts`,
    );
    return { entra, tenantLastSync: null };
  }
  const graph = await openGraph({ settings: desired.settings.entra, env: ctx.env });
  const [entra, tenantLastSync] = await Promise.all([
    progress.step(
      `Reading Entra ID (${graph.description})`,
      () => graph.readAll(),
      (s) => `${s.users.length} users, ${s.groups.length} groups, ${s.contacts.length} contacts`,
    ),
    graph.readTenantLastSync(),
  ]);
  return { entra, tenantLastSync };
}

export async function runVerify(options: VerifyCommandOptions, ctx: CliContext): Promise<number> {
  const since = await sinceOf(options.since, ctx.cwd);
  const notes = await readVerifyNotes(ctx.cwd);
  const items = predictionsToVerify(notes.receipts, notes.verifications, since);
  const style = styleFor(ctx.stdout, ctx.env);
  if (items.length === 0) {
    ctx.stdout.write(renderVerify(emptyVerifyReport(), options.format, style));
    return EXIT.ok;
  }
  const desired = await loadValidDesiredState(options.identities, ctx);
  if (!desired) return EXIT.error;
  const { entra, tenantLastSync } = await readEntra(options, desired, ctx);

  const report = buildVerifyReport(items, entra, tenantLastSync);
  ctx.stdout.write(renderVerify(report, options.format, style));
  if (options.record) {
    const recorded = await recordVerdicts(ctx.cwd, report, new Date().toISOString()).then(
      () => true,
      (error: Error) => {
        ctx.stderr.write(
          `idanchor: the verdicts could not be recorded as git notes (${error.message.trim()}); set git's user.name and user.email and run verify again\n`,
        );
        return false;
      },
    );
    if (!recorded) return EXIT.error;
  }
  return report.summary.predicted === report.summary.identities ? EXIT.ok : EXIT.changes;
}

export function registerVerify(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command("verify")
    .description(
      "after the sync: check each applied identity against the plan's prediction; exit 0 all as predicted, 2 pending or diverged, 1 errors",
    )
    .addOption(new Option("--identities <dir>", "folder of desired-state YAML").default("identities"))
    .option("--entra-snapshot <file>", "read Entra ID from a JSON snapshot instead of Graph")
    .option(
      "--since <ref-or-date>",
      "verify every receipt applied after this commit, or on or after this date (default: the receipts not yet verified as predicted)",
    )
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "markdown", "json", "csv"])
        .default("text"),
    )
    .option("--no-record", "print the verdicts only; do not record them as git notes")
    .action(async (opts: VerifyCommandOptions) => setExit(await runVerify(opts, ctx)));
}
