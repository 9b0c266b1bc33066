/**
 * `idanchor export ad --out FILE`: reads the users, contacts and groups under the base DN with the
 * same paged search and attributes as `plan`, and writes them as `ldapsearch -LLL` would, so an
 * administrator can hand over a snapshot (for `--ad-snapshot`) without knowing ldapsearch's flags.
 * A failed read writes nothing.
 */
import path from "node:path";

import type { Command } from "commander";
import { Option } from "commander";

import { ldifChunks, openLdap } from "../../directory/ad/index.js";
import { writeFileAtomic } from "../files.js";
import type { CliContext } from "../io.js";
import { EXIT } from "../io.js";
import { progressFor } from "../progress.js";
import { loadValidDesiredState, settingsDir } from "../sources.js";

export interface ExportAdOptions {
  identities: string;
  out: string;
}

export async function runExportAd(options: ExportAdOptions, ctx: CliContext): Promise<number> {
  const desired = await loadValidDesiredState(options.identities, ctx);
  if (!desired) return EXIT.error;
  const ldap = await openLdap({
    settings: desired.settings.activeDirectory,
    settingsDir: settingsDir(desired, ctx),
    env: ctx.env,
    logger: ctx.logger,
  });
  try {
    const { entries } = await progressFor(ctx.stderr).step(
      `Reading Active Directory (${ldap.description})`,
      () => ldap.readEntries(),
      (r) => `${r.entries.length} entries`,
    );
    await writeFileAtomic(path.resolve(ctx.cwd, options.out), ldifChunks(entries), options.out);
    ctx.stderr.write(
      `idanchor: wrote ${options.out}: ${entries.length} users, contacts and groups under ${desired.settings.activeDirectory.baseDN}\n`,
    );
    return EXIT.ok;
  } finally {
    await ldap.close();
  }
}

export function registerExportAd(
  exportCommand: Command,
  ctx: CliContext,
  setExit: (code: number) => void,
): void {
  exportCommand
    .command("ad")
    .description(
      "read AD over LDAP (paged) and write an LDIF snapshot as ldapsearch -LLL does (--ad-snapshot format)",
    )
    .addOption(
      new Option("--identities <dir>", "folder of desired-state YAML (for the Settings)").default(
        "identities",
      ),
    )
    .requiredOption("--out <file>", "the LDIF file to write")
    .action(async (opts: ExportAdOptions) => setExit(await runExportAd(opts, ctx)));
}
