/**
 * Chooses each directory's source from the command line: a snapshot file when given, else the
 * live adapter configured by the Settings, with credentials from the environment.
 */
import path from "node:path";

import type { DesiredState } from "../desired/index.js";
import { openLdap, readLdifSnapshot } from "../directory/ad/index.js";
import { openGraph, readEntraSnapshot } from "../directory/entra/index.js";
import type { AdState, EntraState } from "../directory/types.js";
import { InputError } from "../errors.js";
import type { CliContext } from "./io.js";

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
        throw new InputError(error.message, { ...error.position, file }, { cause: error });
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
  if (options.adSnapshot) return snapshot(options.adSnapshot, ctx, (f) => readLdifSnapshot(f, settings));
  return openLdap({ settings, settingsDir: settingsDir(desired, ctx), env: ctx.env });
}

export async function openEntraSource(
  desired: DesiredState,
  options: SourceOptions,
  ctx: CliContext,
): Promise<OpenSource<EntraState>> {
  if (options.entraSnapshot) return snapshot(options.entraSnapshot, ctx, readEntraSnapshot);
  const graph = await openGraph({ settings: desired.settings.entra, env: ctx.env });
  return { description: graph.description, readAll: () => graph.readAll(), close: () => Promise.resolve() };
}
