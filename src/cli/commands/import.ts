/** `idanchor import`: load Settings -> read AD -> read Entra -> propose (pure) -> write YAML. */
import { randomBytes } from "node:crypto";
import { link, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Command } from "commander";

import { SCHEMA_DIR } from "../../desired/schema.js";
import { InputError } from "../../errors.js";
import { proposeIdentityMap, renderImportYaml, verifiedDomainsFor } from "../../import/index.js";
import type { CliContext } from "../io.js";
import { EXIT } from "../io.js";
import type { SourceOptions } from "../sources.js";
import { loadValidDesiredState, readLiveState } from "./plan.js";

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

/**
 * Writes through a temporary file so a failure never leaves half a file. Without --force the file
 * is linked into place, which fails if one appeared meanwhile: an existing file is never replaced.
 */
async function writeOutput(target: string, shown: string, content: string, force: boolean): Promise<void> {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`,
  );
  try {
    await writeFile(temp, content, { flag: "wx" });
    if (force) await rename(temp, target);
    else await link(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(
      code === "EEXIST"
        ? "already exists; choose another --out or pass --force to replace it"
        : `cannot write (${code}); check that the folder exists and is writable`,
      { file: shown },
    );
  } finally {
    await rm(temp, { force: true });
  }
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
  await writeOutput(target, options.out, yaml, options.force === true);
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
