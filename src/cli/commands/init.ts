/**
 * `idanchor init`: sets up an identities repository in the current folder: Settings (from flags,
 * or asked on a terminal), a starting IdentityMap (or, with --from-snapshots, what `import`
 * proposes), the workflows using the Action pinned to this version, CODEOWNERS and a README.
 * Everything is checked before anything is written, and no file is replaced without --force.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";

import type { Command } from "commander";

import { parseDesiredState } from "../../desired/index.js";
import { InputError } from "../../model/errors.js";
import { renderValidationText } from "../../render/validation.js";
import { writeFileAtomic } from "../files.js";
import { codeOwners, emptyMapYaml, readme, settingsYaml, workflows } from "../init-files.js";
import type { InitAnswers } from "../init-files.js";
import type { CliContext } from "../io.js";
import { EXIT, styleFor } from "../io.js";
import { actionRepository, packageVersion } from "../package-info.js";
import { schemaReference } from "../schema-ref.js";
import { runImport } from "./import.js";

export interface InitOptions {
  adUrl?: string;
  baseDn?: string;
  syncScope: string[];
  sourceAnchor: string;
  caFile?: string;
  tenantId?: string;
  clientId?: string;
  cloud: string;
  verifiedDomain: string[];
  owner: string[];
  runsOn: string;
  action?: string;
  identities: string;
  fromSnapshots?: string[];
  includeLow?: boolean;
  force?: boolean;
}

const REQUIRED = [
  ["adUrl", "--ad-url", "LDAPS URL of a domain controller (e.g. ldaps://dc01.corp.contoso.com)"],
  ["baseDn", "--base-dn", "base DN of the domain (e.g. DC=corp,DC=contoso,DC=com)"],
  ["syncScope", "--sync-scope", "an OU Entra Connect synchronises (e.g. OU=Staff,DC=corp,DC=contoso,DC=com)"],
  ["tenantId", "--tenant-id", "Entra tenant id (a GUID)"],
  ["clientId", "--client-id", "application (client) id of the app registration idanchor uses"],
] as const;

type Asker = (question: string) => Promise<string>;

/** Line-by-line questions on stderr; answers from ctx.stdin. */
function terminalAsker(ctx: CliContext): { ask: Asker; close: () => void } {
  const lines = createInterface({ input: ctx.stdin!, terminal: false });
  const iterator = lines[Symbol.asyncIterator]();
  return {
    ask: async (question) => {
      ctx.stderr.write(`${question}: `);
      const next = await iterator.next();
      return next.done === true ? "" : String(next.value).trim();
    },
    close: () => lines.close(),
  };
}

async function answersFrom(options: InitOptions, ctx: CliContext): Promise<InitAnswers> {
  const values = {
    adUrl: options.adUrl,
    baseDn: options.baseDn,
    syncScope: options.syncScope.length > 0 ? options.syncScope : undefined,
    tenantId: options.tenantId,
    clientId: options.clientId,
  };
  const missing = REQUIRED.filter(([key]) => values[key] === undefined);
  if (missing.length > 0 && ctx.stdin?.isTTY === true) {
    const { ask, close } = terminalAsker(ctx);
    try {
      for (const [key, , what] of missing) {
        const answer = await ask(what);
        if (answer !== "") values[key] = (key === "syncScope" ? [answer] : answer) as never;
      }
    } finally {
      close();
    }
  }
  const still = REQUIRED.filter(([key]) => values[key] === undefined);
  if (still.length > 0)
    throw new InputError(
      `init needs ${still.map(([, flag, what]) => `${flag} (${what})`).join(", ")}; ` +
        "pass them as flags, or run init on a terminal to be asked",
    );
  return {
    adUrl: values.adUrl!,
    baseDn: values.baseDn!,
    syncScope: values.syncScope!,
    sourceAnchor: options.sourceAnchor,
    ...(options.caFile ? { caFile: options.caFile } : {}),
    tenantId: values.tenantId!,
    clientId: values.clientId!,
    cloud: options.cloud,
    verifiedDomains: options.verifiedDomain,
    action: options.action ?? `${actionRepository()}@v${packageVersion()}`,
    runsOn: options.runsOn
      .split(",")
      .map((label) => label.trim())
      .filter(Boolean),
    owners: options.owner,
  };
}

export async function runInit(options: InitOptions, ctx: CliContext): Promise<number> {
  const snapshots = options.fromSnapshots;
  if (snapshots && snapshots.length !== 2)
    throw new InputError(
      "--from-snapshots takes two files: the AD export (LDIF) and the Entra snapshot (JSON)",
    );
  const answers = await answersFrom(options, ctx);
  const dir = options.identities.replace(/\/+$/, "");
  const at = (relative: string): string => path.resolve(ctx.cwd, relative);
  const files = new Map<string, string>();
  const settingsFile = `${dir}/settings.yaml`;
  files.set(
    settingsFile,
    settingsYaml(answers, schemaReference(at(settingsFile), "settings.schema.json", ctx.cwd)),
  );
  const mapFile = `${dir}/${snapshots ? "imported.yaml" : "identities.yaml"}`;
  const mapSchema = schemaReference(at(mapFile), "identity-map.schema.json", ctx.cwd);
  if (!snapshots) files.set(mapFile, emptyMapYaml(mapSchema));
  for (const [name, text] of workflows(answers)) files.set(`.github/workflows/${name}`, text);
  files.set(".github/CODEOWNERS", codeOwners(answers));
  files.set("README.md", readme(answers, dir));

  // The Settings must validate as written: check them in memory, before any file exists.
  const checked = parseDesiredState(
    [...files].filter(([name]) => name.startsWith(`${dir}/`)).map(([name, text]) => ({ path: name, text })),
  );
  if (checked.findings.some((f) => f.severity === "error")) {
    ctx.stderr.write(
      renderValidationText(
        checked.findings,
        { files: checked.files, identities: 0 },
        styleFor(ctx.stderr, ctx.env),
      ),
    );
    ctx.stderr.write("idanchor init: the values given do not make valid Settings; nothing was written\n");
    return EXIT.error;
  }
  const targets = [...files.keys(), ...(snapshots ? [mapFile] : [])];
  const existing = targets.filter((name) => existsSync(at(name)));
  if (existing.length > 0 && options.force !== true) {
    ctx.stderr.write(
      `idanchor init: ${existing.join(", ")} already ${existing.length === 1 ? "exists" : "exist"}; ` +
        "nothing was written (pass --force to replace them)\n",
    );
    return EXIT.error;
  }

  for (const [name, text] of files) {
    await mkdir(path.dirname(at(name)), { recursive: true });
    await writeFileAtomic(at(name), text, name);
    ctx.stdout.write(`wrote ${name}\n`);
  }
  if (snapshots) {
    const [adSnapshot, entraSnapshot] = snapshots as [string, string];
    const code = await runImport(
      {
        identities: dir,
        adSnapshot,
        entraSnapshot,
        out: mapFile,
        force: true,
        includeLow: options.includeLow,
      },
      ctx,
    );
    if (code !== EXIT.ok) return code;
  }
  ctx.stdout.write(
    [
      "",
      "Next:",
      `  1. review ${settingsFile} and ${mapFile}; run 'idanchor validate'`,
      "  2. set the secrets the workflows name (README.md), and run 'idanchor doctor' on the runner",
      `  3. commit, push, and protect main (the workflows use ${answers.action})`,
      "",
    ].join("\n"),
  );
  return EXIT.ok;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerInit(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command("init")
    .description("set up an identities repository here: Settings, identities/, workflows, CODEOWNERS, README")
    .option("--ad-url <url>", "LDAPS URL of a domain controller")
    .option("--base-dn <dn>", "base DN of the domain")
    .option("--sync-scope <dn>", "an OU Entra Connect synchronises (repeat for several)", collect, [])
    .option("--source-anchor <attribute>", "mS-DS-ConsistencyGuid or objectGUID", "mS-DS-ConsistencyGuid")
    .option("--ca-file <file>", "PEM of the CA that issued the DC's certificate, relative to the Settings")
    .option("--tenant-id <id>", "Entra tenant id")
    .option("--client-id <id>", "application (client) id of the app registration")
    .option("--cloud <cloud>", "public, usgov, usgovdod or china", "public")
    .option(
      "--verified-domain <domain>",
      "a verified domain, for offline checks (repeat for several)",
      collect,
      [],
    )
    .option("--owner <owner>", "a CODEOWNERS owner such as @org/team (repeat for several)", collect, [])
    .option("--runs-on <labels>", "runner labels that reach the DC, comma-separated", "self-hosted,linux")
    .option("--action <ref>", "the Action the workflows use (default: this version's)")
    .option("--identities <dir>", "folder for the desired state", "identities")
    .option("--from-snapshots <files...>", "AD LDIF and Entra JSON snapshot: import proposals from them")
    .option("--include-low", "with --from-snapshots: write low-confidence proposals as entries")
    .option("--force", "replace files that exist")
    .action(async (opts: InitOptions) => setExit(await runInit(opts, ctx)));
}
