/**
 * Chooses each directory's source from the command line: a snapshot file when given, else the
 * live adapter configured by the Settings, with credentials from the environment.
 */
import path from "node:path";

import { startDesiredLoad } from "../desired/index.js";
import type { DesiredSettings, DesiredState, ParseCache } from "../desired/index.js";
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

export function settingsDir(desired: DesiredSettings, ctx: CliContext): string {
  return path.dirname(path.resolve(ctx.cwd, desired.settingsSource.file));
}

export async function openAdSource(
  desired: DesiredSettings,
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
  desired: DesiredSettings,
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

/**
 * Loads the desired state or reports why it cannot be used (exit 1). `onSettings` hears of the
 * Settings as soon as they are parsed, before the rest of the files are.
 */
export async function loadValidDesiredState(
  identities: string,
  ctx: CliContext,
  cache?: ParseCache,
  onSettings?: (settings: DesiredSettings) => void,
): Promise<DesiredState | null> {
  const result = await progressFor(ctx.stderr).step(
    `Loading the desired state (${identities})`,
    async () => {
      const load = await startDesiredLoad(identities, ctx.cwd, cache);
      if (load.settings && onSettings) onSettings(load.settings);
      return load.finish();
    },
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

export interface LiveState {
  ad: AdState;
  entra: EntraState;
}

/** Directory reads under way: their outcome, or `cancel` to close them unread. */
export interface LiveRead {
  readonly settings: DesiredSettings["settings"];
  readonly result: Promise<LiveState>;
  cancel(): Promise<void>;
}

/**
 * Reads both directories at once, each as soon as it is open (the Graph sign-in, with its SDK's
 * loading, takes longer than the LDAP bind: the DC's pages do not wait for it), or, from two
 * snapshots, one after the other. A failed read fails the whole; the first failure is reported.
 */
export function startLiveRead(desired: DesiredSettings, options: SourceOptions, ctx: CliContext): LiveRead {
  let cancelled = false;
  const progress = progressFor(ctx.stderr);
  const openedAd = openAdSource(desired, options, ctx);
  // Closed at the end, or at once on cancel: a read under way then fails, and is not awaited.
  const closeAd = (): Promise<void> =>
    openedAd.then(
      (source) => source.close(),
      () => undefined,
    );
  const readAd = async (): Promise<AdState> => {
    const source = await openedAd;
    if (cancelled) throw new Error("cancelled");
    return progress.step(
      `Reading Active Directory (${source.description})`,
      () => source.readAll(),
      (s) => `${s.objects.length} objects`,
    );
  };
  const readEntra = async (source: OpenSource<EntraState>): Promise<EntraState> => {
    if (cancelled) throw new Error("cancelled");
    return progress.step(
      `Reading Entra ID (${source.description})`,
      () => source.readAll(),
      (s) => `${s.users.length} users, ${s.groups.length} groups, ${s.contacts.length} contacts`,
    );
  };
  const result = (async (): Promise<LiveState> => {
    try {
      // Two snapshots are parsed on this one thread either way: one after the other, the text and the
      // parse of one file are gone before the other's begin (at 100,000 identities, ~100 MB of text).
      if (options.adSnapshot && options.entraSnapshot) {
        const ad = await readAd();
        releaseStage();
        const entra = await readEntra(await openEntraSource(desired, options, ctx));
        releaseStage();
        return { ad, entra };
      }
      const reads = [readAd(), openEntraSource(desired, options, ctx).then(readEntra)] as const;
      // The first failure is reported; the other read's outcome must not surface as an unhandled rejection.
      for (const read of reads) read.catch(() => undefined);
      const [ad, entra] = await Promise.all(reads);
      releaseStage();
      return { ad, entra };
    } finally {
      await closeAd();
    }
  })();
  // Seen only once the desired state is known to be valid: until then, a failure waits here.
  result.catch(() => undefined);
  return {
    settings: desired.settings,
    result,
    async cancel() {
      cancelled = true;
      await closeAd();
    },
  };
}

export function readLiveState(
  desired: DesiredSettings,
  options: SourceOptions,
  ctx: CliContext,
): Promise<LiveState> {
  return startLiveRead(desired, options, ctx).result;
}

/**
 * The valid desired state and the directories it is planned against, or null when the desired
 * state has errors (reported). Live, the reads start as soon as the Settings are parsed and the
 * rest of the YAML is parsed while the DC and Graph answer; should the desired state have errors,
 * they are closed unread. From snapshots, the load comes first: both are parsed on this thread.
 */
export async function loadAndRead(
  identities: string,
  options: SourceOptions,
  ctx: CliContext,
  cache?: ParseCache,
  /** Hears of the valid desired state before the reads are awaited (`plan --base` starts its git read then). */
  onDesired?: (desired: DesiredState) => void,
): Promise<{ desired: DesiredState; live: LiveState } | null> {
  const live = !options.adSnapshot && !options.entraSnapshot;
  let early: LiveRead | null = null;
  const desired = await loadValidDesiredState(
    identities,
    ctx,
    cache,
    live ? (settings) => (early = startLiveRead(settings, options, ctx)) : undefined,
  );
  if (desired) onDesired?.(desired);
  const started = early as LiveRead | null;
  if (!desired) {
    await started?.cancel();
    return null;
  }
  if (started && started.settings === desired.settings) return { desired, live: await started.result };
  await started?.cancel();
  return { desired, live: await readLiveState(desired, options, ctx) };
}
