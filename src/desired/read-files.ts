/** Reading the identities directory from disk: the only I/O of the desired-state stage. */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";

import type { ValidationFinding } from "./types.js";
import type { SourceFile } from "./yaml-files.js";

/** Desired state is hand-written YAML; anything this large is a mistake or an attack. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

function fileFinding(file: string, code: string, message: string): ValidationFinding {
  return { file, line: 0, column: 0, severity: "error", code, message };
}

async function listYamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listYamlFiles(full)));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(full);
  }
  return out;
}

/** Relative to cwd when inside it, so messages match what the user typed. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  if (relative === "") return ".";
  return !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

export async function readIdentityFiles(
  dir: string,
  cwd: string,
): Promise<{ files: SourceFile[]; findings: ValidationFinding[] }> {
  const root = path.resolve(cwd, dir);
  const shown = displayPath(root, cwd);
  const info = await stat(root).catch(() => null);
  if (!info)
    return {
      files: [],
      findings: [fileFinding(shown, "InvalidInput", `no such directory; create it or pass --identities DIR`)],
    };
  if (!info.isDirectory())
    return {
      files: [],
      findings: [
        fileFinding(
          shown,
          "InvalidInput",
          "is not a directory; pass the folder that holds the *.yaml files with --identities DIR",
        ),
      ],
    };

  const files: SourceFile[] = [];
  const findings: ValidationFinding[] = [];
  const paths = await listYamlFiles(root);
  if (paths.length === 0)
    findings.push(
      fileFinding(
        shown,
        "InvalidInput",
        "holds no *.yaml or *.yml files; add a Settings file and an IdentityMap (see README)",
      ),
    );
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (const full of paths) {
    const file = displayPath(full, cwd);
    const size = (await stat(full)).size;
    if (size > MAX_FILE_BYTES) {
      findings.push(
        fileFinding(
          file,
          "InvalidInput",
          `is ${(size / 1048576).toFixed(1)} MiB; desired-state files may be at most ${MAX_FILE_BYTES / 1048576} MiB. Split it into several files`,
        ),
      );
      continue;
    }
    const bytes = await readFile(full);
    let text: string;
    try {
      if (bytes.includes(0)) throw new Error("NUL byte");
      text = decoder.decode(bytes);
    } catch {
      findings.push(
        fileFinding(
          file,
          "InvalidInput",
          "is not a UTF-8 text file (binary content); remove it or save it as UTF-8 YAML",
        ),
      );
      continue;
    }
    files.push({ path: file, text: text.replace(/^\uFEFF/, "") });
  }
  return { files, findings };
}
