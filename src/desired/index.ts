import { parseDesiredState } from "./parse.js";
import type { DesiredStateResult, ParseCache } from "./parse.js";
import { checkCaFile } from "./ca-file.js";
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
  const ca = result.state ? await checkCaFile(result.state, cwd) : [];
  const all = [...findings, ...result.findings, ...ca];
  const failed = findings.length > 0 || ca.length > 0;
  return { state: failed ? null : result.state, findings: all, files: result.files };
}
