/**
 * `idanchor export entra --out FILE`: reads the live tenant through Graph (settings from the
 * desired state, credentials from the environment) and writes a snapshot that `plan
 * --entra-snapshot` reads back to the same state. A failed read writes nothing.
 */
import path from "node:path";

import type { Command } from "commander";
import { Option } from "commander";

import { formatEntraSnapshot, openGraph } from "../../directory/entra/index.js";
import { writeFileAtomic } from "../files.js";
import type { CliContext } from "../io.js";
import { EXIT } from "../io.js";
import { progressFor } from "../progress.js";
import { loadValidDesiredState } from "../sources.js";
import { registerExportAd } from "./export-ad.js";

export interface ExportEntraOptions {
  identities: string;
  out: string;
}

export async function runExportEntra(options: ExportEntraOptions, ctx: CliContext): Promise<number> {
  const desired = await loadValidDesiredState(options.identities, ctx);
  if (!desired) return EXIT.error;
  const graph = await openGraph({
    settings: desired.settings.entra,
    env: ctx.env,
    logger: ctx.logger,
  });
  const state = await progressFor(ctx.stderr).step(
    `Reading Entra ID (${graph.description})`,
    () => graph.readAll(),
    (s) => `${s.users.length} users, ${s.groups.length} groups, ${s.contacts.length} contacts`,
  );
  await writeFileAtomic(path.resolve(ctx.cwd, options.out), formatEntraSnapshot(state), options.out);
  ctx.stderr.write(
    `idanchor: wrote ${options.out}: ${state.users.length} users, ${state.groups.length} mail-enabled groups, ` +
      `${state.contacts.length} contacts, ${state.domains.length} domains, ${state.roleAssignments.length} role assignments\n`,
  );
  return EXIT.ok;
}

export function registerExport(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const exportCommand = program
    .command("export")
    .description("write a snapshot of a live directory for offline planning or an audit");
  exportCommand
    .command("entra")
    .description("read Entra ID through Microsoft Graph and write a JSON snapshot (--entra-snapshot format)")
    .addOption(
      new Option("--identities <dir>", "folder of desired-state YAML (for the Settings)").default(
        "identities",
      ),
    )
    .requiredOption("--out <file>", "the snapshot file to write")
    .action(async (opts: ExportEntraOptions) => setExit(await runExportEntra(opts, ctx)));
  registerExportAd(exportCommand, ctx, setExit);
}
