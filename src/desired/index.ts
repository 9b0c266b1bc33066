import { combineFiles, parseCached } from "./parse.js";
import type { DesiredStateResult, FileResult, ParseCache } from "./parse.js";
import type { SourceFile } from "./yaml-files.js";
import { checkCaFile } from "./ca-file.js";
import { readIdentityFiles } from "./read-files.js";
import type { DesiredState } from "./types.js";

export type { DesiredStateResult, ParseCache } from "./parse.js";
export type * from "./types.js";
export type * from "./settings.js";
export { parseDesiredState } from "./parse.js";
export { formatPosition } from "./rules.js";

/** The one Settings document the desired state is planned with, and where it is. */
export type DesiredSettings = Pick<DesiredState, "settings" | "settingsSource">;

/** A desired state whose files are read, with its Settings known before the rest is parsed. */
export interface DesiredLoad {
  /**
   * The Settings document, parsed and valid, when it is found before the rest (null when there is
   * none, or it has errors: the finished load says what). Should the finished state be valid, its
   * Settings are this very object: a second Settings document anywhere is an error.
   */
  settings: DesiredSettings | null;
  /** Parses and checks every file, letting other work run between files. */
  finish(): Promise<DesiredStateResult>;
}

/** A file that may hold the Settings: looked at first, so that `plan` can start reading the directories. */
const SETTINGS_KIND = /^kind:[ \t]*["']?Settings\b/m;

/** Lets queued network callbacks run between two files of a long load. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Reads every *.yaml / *.yml under dir and parses the one that holds the Settings; `finish` does
 * the rest. `plan` starts the directory reads in between, so that the parse hides behind them.
 */
export async function startDesiredLoad(dir: string, cwd: string, cache?: ParseCache): Promise<DesiredLoad> {
  const { files, findings } = await readIdentityFiles(dir, cwd);
  let early: { file: SourceFile; result: FileResult } | null = null;
  if (findings.length === 0) {
    const file = files.find((candidate) => SETTINGS_KIND.test(candidate.text));
    if (file) early = { file, result: parseCached(file, cache) };
  }
  const first = early?.result.settingsDocs[0];
  return {
    settings: first ? { settings: first.settings, settingsSource: first.at } : null,
    async finish() {
      const results: FileResult[] = [];
      for (const file of files) {
        results.push(file === early?.file ? early.result : parseCached(file, cache));
        await turn();
      }
      const result = combineFiles(files, results);
      const ca = result.state ? await checkCaFile(result.state, cwd) : [];
      const all = [...findings, ...result.findings, ...ca];
      const failed = findings.length > 0 || ca.length > 0;
      return { state: failed ? null : result.state, findings: all, files: result.files };
    },
  };
}

/** Reads and validates every *.yaml / *.yml under dir. Never throws for bad input: it reports findings. */
export async function loadDesiredState(
  dir: string,
  cwd: string,
  cache?: ParseCache,
): Promise<DesiredStateResult> {
  return (await startDesiredLoad(dir, cwd, cache)).finish();
}
