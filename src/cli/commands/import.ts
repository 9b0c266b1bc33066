/** `idanchor import`: load Settings -> read AD -> read Entra -> propose (pure) -> write YAML. */
import path from "node:path";

import type { Command } from "commander";

import { proposeIdentityMap, renderImportYaml, verifiedDomainsFor } from "../../import/index.js";
import { writeFileAtomic } from "../files.js";
import type { CliContext } from "../io.js";
import { EXIT } from "../io.js";
import { repoRelative, schemaReference } from "../schema-ref.js";
import type { SourceOptions } from "../sources.js";
import { loadValidDesiredState, readLiveState } from "../sources.js";

export interface ImportCommandOptions extends SourceOptions {
  identities: string;
  out: string;
  force?: boolean;
  includeLow?: boolean;
}

export async function runImport(options: ImportCommandOptions, ctx: CliContext): Promise<number> {
  const target = path.resolve(ctx.cwd, options.out);
  const desired = await loadValidDesiredState(options.identities, ctx);
  if (!desired) return EXIT.error;
  const live = await readLiveState(desired, options, ctx);
  // Entries of the file being replaced are about to be rewritten: they do not count as taken.
  const existing = desired.identities.filter((i) => path.resolve(ctx.cwd, i.source.file) !== target);
  const result = proposeIdentityMap(live.ad, live.entra, {
    verifiedDomains: verifiedDomainsFor(desired.settings, live.entra),
    existing,
    rules: desired.settings.activeDirectory,
  });
  const yaml = renderImportYaml(result, {
    schemaPath: schemaReference(target, "identity-map.schema.json", ctx.cwd),
    sources: {
      ad: options.adSnapshot
        ? `snapshot ${repoRelative(options.adSnapshot, ctx.cwd)}`
        : desired.settings.activeDirectory.url,
      entra: options.entraSnapshot
        ? `snapshot ${repoRelative(options.entraSnapshot, ctx.cwd)}`
        : `tenant ${desired.settings.entra.tenantId}`,
    },
    includeLow: options.includeLow === true,
  });
  await writeFileAtomic(target, yaml, options.out, { replace: options.force === true });
  const { summary } = result;
  const low = result.proposals.filter(
    (p) => p.kind === "proposed" && p.candidate.confidence === "low",
  ).length;
  const held = options.includeLow === true ? 0 : low;
  ctx.stdout.write(
    `idanchor import: wrote ${options.out}: ${summary.joined} already joined, ${summary.proposed - held} proposed, ` +
      `${held} low-confidence commented out, ${summary.undecided} need a decision\n`,
  );
  return EXIT.ok;
}

export function registerImport(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command("import")
    .description("adopt an existing estate: write IdentityMap YAML for every in-scope AD object with mail")
    .option(
      "--identities <dir>",
      "folder with the Settings (and any desired state already written)",
      "identities",
    )
    .option("--ad-snapshot <file>", "read AD from an LDIF export instead of LDAP")
    .option("--entra-snapshot <file>", "read Entra ID from a JSON snapshot instead of Graph")
    .requiredOption("--out <file>", "the IdentityMap YAML to write")
    .option("--force", "replace --out if it exists")
    .option("--include-low", "write low-confidence proposals as entries (default: commented out)")
    .action(async (opts: ImportCommandOptions) => setExit(await runImport(opts, ctx)));
}
