/** `validate` checks offline that the Settings' caFile is there: apply and plan would fail on it later. */
import { access } from "node:fs/promises";
import path from "node:path";

import type { DesiredState, ValidationFinding } from "./types.js";

export async function checkCaFile(state: DesiredState, cwd: string): Promise<ValidationFinding[]> {
  const caFile = state.settings.activeDirectory.caFile;
  if (caFile === null) return [];
  const at = state.settingsSource;
  // A Windows path copied in: on the Linux runners '\' is an ordinary character, not a separator.
  const hint = caFile.includes("\\")
    ? "; use '/' as the separator ('certs/corp-root.pem'), even on Windows"
    : "";
  const full = path.resolve(cwd, path.dirname(at.file), caFile);
  try {
    await access(full);
    return [];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    return [
      {
        ...at,
        severity: "error",
        code: "CaFileNotFound",
        message: `activeDirectory.caFile: '${caFile}' cannot be read (${code}; paths are relative to this Settings file)${hint}`,
      },
    ];
  }
}
