/** Reading the identities directory from disk: the only I/O of the desired-state stage. */
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";

import { decodeUtf8, encodingAdvice } from "../model/text-encoding.js";
import type { ValidationFinding } from "./types.js";
import type { SourceFile } from "./yaml-files.js";

/** Desired state is hand-written YAML; anything this large is a mistake or an attack. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

function fileFinding(file: string, code: string, message: string): ValidationFinding {
  return { file, line: 0, column: 0, severity: "error", code, message };
}

/** Whether `target` is `root` or inside it (both real paths). */
function inside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

interface Listing {
  /** Regular files to read: the path shown, and the real path read. */
  files: { full: string; real: string }[];
  /** Entries refused (symbolic links that leave the folder, to a folder, or to nothing; devices). */
  refused: { full: string; message: string; code?: string }[];
}

/**
 * The *.yaml files under `dir`. A symbolic link is followed only to a regular file inside the
 * identities folder: one leaving it could make idanchor read (and quote in errors) any file of the
 * runner, and a pull request can commit such a link.
 */
async function listYamlFiles(dir: string, realRoot: string, listing: Listing): Promise<Listing> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    const yaml = /\.ya?ml$/i.test(entry.name);
    if (entry.isDirectory()) {
      await listYamlFiles(full, realRoot, listing);
      continue;
    }
    if (entry.isSymbolicLink()) {
      const real = await realpath(full).catch(() => null);
      const info = real === null ? null : await stat(real).catch(() => null);
      if (real === null || info === null) {
        if (yaml)
          listing.refused.push({
            full,
            message: "is a symbolic link to nothing (dangling); not read. Commit the file itself",
          });
      } else if (!inside(realRoot, real)) {
        if (yaml || info.isDirectory())
          listing.refused.push({
            full,
            message:
              "is a symbolic link that leaves the identities folder; refused (not read). Commit the file itself instead of a link",
          });
      } else if (info.isDirectory()) {
        listing.refused.push({
          full,
          message:
            "is a symbolic link to a folder; not followed. Move the YAML files into the identities folder itself",
        });
      } else if (yaml) {
        if (info.isFile()) listing.files.push({ full, real });
        else
          listing.refused.push({
            full,
            code: "InvalidInput",
            message: "is a symbolic link to something that is not a regular file; not read",
          });
      }
      continue;
    }
    if (!yaml) continue;
    if (entry.isFile()) listing.files.push({ full, real: full });
    // A FIFO would block the read forever; a device could be anything.
    else
      listing.refused.push({
        full,
        code: "InvalidInput",
        message: "is not a regular file (a pipe, socket or device); not read",
      });
  }
  return listing;
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
  const realRoot = info ? await realpath(root).catch(() => root) : root;
  // The folder itself may be a link (a user's choice), but not one committed to lead out of the checkout.
  const rootLink = await lstat(root).catch(() => null);
  if (info && rootLink?.isSymbolicLink()) {
    const realCwd = await realpath(cwd).catch(() => cwd);
    if (!inside(realCwd, realRoot))
      return {
        files: [],
        findings: [
          fileFinding(
            shown,
            "SymlinkRefused",
            "is a symbolic link that leaves the working folder; refused (not read). Pass the real folder with --identities DIR",
          ),
        ],
      };
  }
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
  const listing = await listYamlFiles(root, realRoot, { files: [], refused: [] });
  for (const { full, message, code } of listing.refused)
    findings.push(fileFinding(displayPath(full, cwd), code ?? "SymlinkRefused", message));
  const paths = listing.files;
  if (paths.length === 0 && listing.refused.length === 0)
    findings.push(
      fileFinding(
        shown,
        "InvalidInput",
        "holds no *.yaml or *.yml files; add a Settings file and an IdentityMap (see README)",
      ),
    );
  for (const { full, real } of paths) {
    const file = displayPath(full, cwd);
    const size = (await stat(real)).size;
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
    const decoded = decodeUtf8(await readFile(real));
    if ("encoding" in decoded) {
      findings.push(
        fileFinding(
          file,
          "InvalidInput",
          encodingAdvice(decoded.encoding, "remove it or save it as UTF-8 YAML"),
        ),
      );
      continue;
    }
    files.push({ path: file, text: decoded.text });
  }
  return { files, findings };
}
