/**
 * Chooses each directory's source from the command line: a snapshot file when given, else the
 * live adapter configured by the Settings, with credentials from the environment.
 */
import path from "node:path";

import { loadDesiredState } from "../desired/index.js";
import type { DesiredState, ParseCache } from "../desired/index.js";
import { openLdap, readLdifSnapshot } from "../directory/ad/index.js";
import { openGraph, readEntraSnapshot } from "../directory/entra/index.js";
import type { AdState, EntraState } from "../model/directory.js";
import { InputError } from "../model/errors.js";
import { renderValidationText } from "../render/validation.js";
import type { CliContext } from "./io.js";
import { styleFor } from "./io.js";
import { releaseStage } from "./memory.js";
import { progressFor } from "./progress.js";

export interface SourceOptions {
  adSnapshot?: string;
  entraSnapshot?: string;
}

export interface OpenSource<T> {
  readonly description: string;
  readAll(): Promise<T>;
  close(): Promise<void>;
}

function snapshot<T>(file: string, ctx: CliContext, read: (full: string) => Promise<T>): OpenSource<T> {
  const full = path.resolve(ctx.cwd, file);
  return {
    description: `snapshot ${file}`,
    // Errors name the file as the user typed it, not the absolute path it was read from.
    readAll: () =>
      read(full).catch((error: unknown) => {
        if (!(error instanceof InputError) || error.position?.file !== full) throw error;
        const message = error.message.split(full).join(file);
        throw new InputError(message, { ...error.position, file }, { cause: error });
      }),
    close: () => Promise.resolve(),
  };
}

export function settingsDir(desired: DesiredState, ctx: CliContext): string {
  return path.dirname(path.resolve(ctx.cwd, desired.settingsSource.file));
}

export async function openAdSource(
  desired: DesiredState,
  options: SourceOptions,
  ctx: CliContext,
): Promise<OpenSource<AdState>> {
  const settings = desired.settings.activeDirectory;
  const baseDN = desired.settings.activeDirectory.baseDN;
  if (options.adSnapshot) return snapshot(options.adSnapshot, ctx, (f) => readLdifSnapshot(f, { baseDN }));
  return openLdap({
    settings,
    settingsDir: settingsDir(desired, ctx),
    env: ctx.env,
    logger: ctx.logger,
  });
}

export async function openEntraSource(
  desired: DesiredState,
  options: SourceOptions,
  ctx: CliContext,
): Promise<OpenSource<EntraState>> {
  if (options.entraSnapshot) return snapshot(options.entraSnapshot, ctx, readEntraSnapshot);
  const graph = await openGraph({
    settings: desired.settings.entra,
    env: ctx.env,
    logger: ctx.logger,
  });
  return { description: graph.description, readAll: () => graph.readAll(), close: () => Promise.resolve() };
}

/** Loads the desired state or reports why it cannot be used (exit 1). */
export async function loadValidDesiredState(
  identities: string,
  ctx: CliContext,
  cache?: ParseCache,
): Promise<DesiredState | null> {
  const result = await progressFor(ctx.stderr).step(
    `Loading the desired state (${identities})`,
    () => loadDesiredState(identities, ctx.cwd, cache),
    (r) => (r.state ? `${r.state.identities.length} identities in ${r.files} files` : "errors found"),
  );
  if (result.state) {
    releaseStage();
    return result.state;
  }
  ctx.stderr.write(
    renderValidationText(
      result.findings,
      { files: result.files, identities: 0 },
      styleFor(ctx.stderr, ctx.env),
    ),
  );
  ctx.stderr.write(
    "idanchor: the desired state has errors; fix them (see 'idanchor validate') before planning\n",
  );
  return null;
}

/**
 * Reads both directories at once (the Graph round trips hide behind the LDAP pages), or, from two
 * snapshots, one after the other. A failed read fails the whole.
 */
export async function readLiveState(
  desired: DesiredState,
  options: SourceOptions,
  ctx: CliContext,
): Promise<{ ad: AdState; entra: EntraState }> {
  const progress = progressFor(ctx.stderr);
  const adSource = await openAdSource(desired, options, ctx);
  try {
    const entraSource = await openEntraSource(desired, options, ctx);
    const readAd = (): Promise<AdState> =>
      progress.step(
        `Reading Active Directory (${adSource.description})`,
        () => adSource.readAll(),
        (s) => `${s.objects.length} objects`,
      );
    const readEntra = (): Promise<EntraState> =>
      progress.step(
        `Reading Entra ID (${entraSource.description})`,
        () => entraSource.readAll(),
        (s) => `${s.users.length} users, ${s.groups.length} groups, ${s.contacts.length} contacts`,
      );
    // Two snapshots are parsed on this one thread either way: one after the other, the text and the
    // parse of one file are gone before the other's begin (at 100,000 identities, ~100 MB of text).
    if (options.adSnapshot && options.entraSnapshot) {
      const ad = await readAd();
      releaseStage();
      const entra = await readEntra();
      releaseStage();
      return { ad, entra };
    }
    const reads = [readAd(), readEntra()] as const;
    // The first failure is reported; the other read's outcome must not surface as an unhandled rejection.
    for (const read of reads) read.catch(() => undefined);
    const [ad, entra] = await Promise.all(reads);
    releaseStage();
    return { ad, entra };
  } finally {
    await adSource.close();
  }
}
