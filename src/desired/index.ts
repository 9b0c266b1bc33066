import { parseDesiredState } from "./parse.js";
import type { DesiredStateResult, ParseCache } from "./parse.js";
import { readIdentityFiles } from "./read-files.js";

export type { DesiredStateResult, ParseCache } from "./parse.js";
export type * from "./types.js";
export type * from "./settings.js";
export { parseDesiredState } from "./parse.js";
export { formatPosition } from "./rules.js";

/** Reads and validates every *.yaml / *.yml under dir. Never throws for bad input: it reports findings. */
export async function loadDesiredState(
  dir: string,
  cwd: string,
  cache?: ParseCache,
): Promise<DesiredStateResult> {
  const { files, findings } = await readIdentityFiles(dir, cwd);
  const result = parseDesiredState(files, cache);
  const all = [...findings, ...result.findings];
  return { state: findings.length > 0 ? null : result.state, findings: all, files: result.files };
}
