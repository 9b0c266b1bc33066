/** `idanchor import`: load Settings -> read AD -> read Entra -> propose (pure) -> write YAML. */
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Command } from "commander";

import { SCHEMA_DIR } from "../../desired/json-schema.js";
import { proposeIdentityMap, renderImportYaml, verifiedDomainsFor } from "../../import/index.js";
import { writeFileAtomic } from "../files.js";
import type { CliContext } from "../io.js";
import { EXIT } from "../io.js";
import type { SourceOptions } from "../sources.js";
import { loadValidDesiredState, readLiveState } from "../sources.js";

export interface ImportCommandOptions extends SourceOptions {
  identities: string;
  out: string;
  force?: boolean;
}

/** The schema line editors follow: a path from the output file to the schema idanchor ships. */
function schemaPathFor(out: string): string {
  const schema = fileURLToPath(new URL("identity-map.schema.json", SCHEMA_DIR));
  return path.relative(path.dirname(out), schema).split(path.sep).join("/");
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
    schemaPath: schemaPathFor(target),
    sources: {
      ad: options.adSnapshot ? `snapshot ${options.adSnapshot}` : desired.settings.activeDirectory.url,
      entra: options.entraSnapshot
        ? `snapshot ${options.entraSnapshot}`
        : `tenant ${desired.settings.entra.tenantId}`,
    },
  });
  await writeFileAtomic(target, yaml, options.out, { replace: options.force === true });
  const { summary } = result;
  ctx.stdout.write(
    `idanchor import: wrote ${options.out}: ${summary.joined} already joined, ${summary.proposed} proposed, ${summary.undecided} need a decision\n`,
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
    .action(async (opts: ImportCommandOptions) => setExit(await runImport(opts, ctx)));
}
