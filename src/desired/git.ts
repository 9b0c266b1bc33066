/**
 * simple-git, loaded when a command first needs git: `plan` without `--base`, `validate` and the
 * directory reads never do, and every command's start-up no longer pays for the module.
 */
import type { SimpleGit, SimpleGitOptions } from "simple-git";

export async function openGit(options: string | Partial<SimpleGitOptions>): Promise<SimpleGit> {
  const { simpleGit } = await import("simple-git");
  return typeof options === "string" ? simpleGit(options) : simpleGit(options);
}
