/**
 * `idanchor hygiene`: load Settings -> read AD (and Entra, where asked) -> checkHygiene (pure) ->
 * render. The job IdFix did before a first sync, for every object in the sync scope.
 */
import path from "node:path";

import { Option } from "commander";
import type { Command } from "commander";

import type { EntraState } from "../../model/directory.js";
import { checkHygiene } from "../../hygiene/index.js";
import type { HygieneReport } from "../../hygiene/index.js";
import { renderHygiene, renderHygienePieces } from "../../render/hygiene.js";
import type { HygieneFormat } from "../../render/hygiene.js";
import { writeFileAtomic } from "../files.js";
import type { CliContext } from "../io.js";
import { EXIT, styleFor } from "../io.js";
import { PLAIN_STYLE } from "../../render/style.js";
import { progressFor } from "../progress.js";
import { loadValidDesiredState, openAdSource, openEntraSource } from "../sources.js";

export interface HygieneCommandOptions {
  identities: string;
  adSnapshot?: string;
  entraSnapshot?: string;
  /** Read the tenant live over Graph too (the Settings' entra section). */
  entra?: boolean;
  format: HygieneFormat;
  out?: string;
}

export function hygieneExitCode(report: HygieneReport): number {
  return report.summary.problems > 0 ? EXIT.changes : EXIT.ok;
}

export async function runHygiene(options: HygieneCommandOptions, ctx: CliContext): Promise<number> {
  const desired = await loadValidDesiredState(options.identities, ctx);
  if (!desired) return EXIT.error;
  const progress = progressFor(ctx.stderr);
  const adSource = await openAdSource(desired, options, ctx);
  let ad;
  try {
    ad = await progress.step(
      `Reading Active Directory (${adSource.description})`,
      () => adSource.readAll(),
      (s) => `${s.objects.length} objects`,
    );
  } finally {
    await adSource.close();
  }
  let entra: EntraState | null = null;
  if (options.entraSnapshot || options.entra) {
    const entraSource = await openEntraSource(desired, options, ctx);
    entra = await progress.step(
      `Reading Entra ID (${entraSource.description})`,
      () => entraSource.readAll(),
      (s) => `${s.users.length} users, ${s.groups.length} groups, ${s.contacts.length} contacts`,
    );
  }
  const report = await progress.step(
    "Checking the sync scope",
    () => Promise.resolve(checkHygiene(ad, entra, desired.settings.activeDirectory)),
    (r) => `${r.summary.checked} objects, ${r.summary.problems} problems`,
  );
  // A file gets no colour codes, whatever the terminal.
  const style = options.out ? PLAIN_STYLE : styleFor(ctx.stdout, ctx.env);
  if (options.out) {
    await writeFileAtomic(
      path.resolve(ctx.cwd, options.out),
      renderHygienePieces(report, options.format, style),
      options.out,
    );
    const s = report.summary;
    ctx.stdout.write(
      `idanchor hygiene: wrote ${options.out}: ${s.checked} objects checked, ${s.problems} problems (${s.errors} errors, ${s.warnings} warnings)\n`,
    );
  } else ctx.stdout.write(renderHygiene(report, options.format, style));
  return hygieneExitCode(report);
}

export function registerHygiene(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command("hygiene")
    .description(
      "check every object in the sync scope for values the next sync refuses (IdFix's job); exit 0 clean, 2 problems, 1 failed read",
    )
    .option("--identities <dir>", "folder with the Settings", "identities")
    .option("--ad-snapshot <file>", "read AD from an LDIF export instead of LDAP")
    .option("--entra-snapshot <file>", "also compare with Entra ID, read from a JSON snapshot")
    .option("--entra", "also compare with Entra ID, read live over Graph")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "markdown", "json", "csv"])
        .default("text"),
    )
    .option("--out <file>", "write the report to this file instead of standard output")
    .action(async (opts: HygieneCommandOptions) => setExit(await runHygiene(opts, ctx)));
}
