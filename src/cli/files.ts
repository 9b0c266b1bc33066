/**
 * The one way idanchor writes an output file: through a temporary file beside it, so a failure
 * half-way never leaves a truncated file behind. With `replace: false` the file is linked into
 * place, which fails if one appeared meanwhile: an existing file is never replaced.
 */
import { randomBytes } from "node:crypto";
import { link, open, rename, rm } from "node:fs/promises";
import path from "node:path";

import { InputError } from "../model/errors.js";
import { batches } from "./io.js";

export interface WriteOptions {
  /** Replace an existing file (default); false refuses with a hint about --force. */
  replace?: boolean;
}

async function writePieces(file: string, content: string | Iterable<string>): Promise<void> {
  const handle = await open(file, "wx");
  try {
    if (typeof content === "string") await handle.write(content);
    else for (const batch of batches(content)) await handle.write(batch);
  } finally {
    await handle.close();
  }
}

export async function writeFileAtomic(
  file: string,
  content: string | Iterable<string>,
  shown: string = file,
  options: WriteOptions = {},
): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writePieces(temp, content);
    if (options.replace === false) await link(temp, file);
    else await rename(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(
      code === "EEXIST"
        ? "already exists; choose another --out or pass --force to replace it"
        : `cannot write (${code}); check that the folder exists and is writable`,
      { file: shown },
    );
  } finally {
    await rm(temp, { force: true });
  }
}
