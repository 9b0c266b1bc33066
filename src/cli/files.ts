/**
 * The one way idanchor writes an output file: through a temporary file beside it, so a failure
 * half-way never leaves a truncated file behind. With `replace: false` the file is linked into
 * place, which fails if one appeared meanwhile: an existing file is never replaced.
 */
import { randomBytes } from "node:crypto";
import { link, open, rename, rm } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";

import { InputError } from "../model/errors.js";
import { BatchedWriter } from "./io.js";

export interface WriteOptions {
  /** Replace an existing file (default); false refuses with a hint about --force. */
  replace?: boolean;
}

function writeError(error: unknown, shown: string): InputError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new InputError(
    code === "EEXIST"
      ? "already exists; choose another --out or pass --force to replace it"
      : `cannot write (${code}); check that the folder exists and is writable`,
    { file: shown },
  );
}

/** An output file written piece by piece: nothing is at `file` until `commit`. */
export interface AtomicFile {
  write(data: string | Uint8Array): Promise<void>;
  /** Puts the file in place. */
  commit(): Promise<void>;
  /** Removes what was written (after a failure); the file at `file`, if any, is untouched. */
  discard(): Promise<void>;
}

export async function openAtomicFile(
  file: string,
  shown: string = file,
  options: WriteOptions = {},
): Promise<AtomicFile> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  let handle: FileHandle | null = null;
  try {
    handle = await open(temp, "wx");
  } catch (error) {
    throw writeError(error, shown);
  }
  const opened = handle;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await opened.close();
  };
  return {
    write: async (data) => {
      try {
        // writeFile on an open handle writes at its position, all of it (one write may stop short).
        await opened.writeFile(data);
      } catch (error) {
        throw writeError(error, shown);
      }
    },
    commit: async () => {
      try {
        await close();
        if (options.replace === false) await link(temp, file);
        else await rename(temp, file);
      } catch (error) {
        throw writeError(error, shown);
      } finally {
        await rm(temp, { force: true });
      }
    },
    discard: async () => {
      await close().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}

/** The file written in batches of about 1 MB, through one batch (each write is awaited). */
export function fileWriter(out: AtomicFile): BatchedWriter {
  return new BatchedWriter(
    async (bytes) => {
      await out.write(bytes);
      return true;
    },
    undefined,
    true,
  );
}

export async function writeFileAtomic(
  file: string,
  content: string | Iterable<string>,
  shown: string = file,
  options: WriteOptions = {},
): Promise<void> {
  const out = await openAtomicFile(file, shown, options);
  try {
    if (typeof content === "string") await out.write(content);
    else {
      const batched = fileWriter(out);
      for (const piece of content) await batched.add(piece);
      await batched.flush();
    }
    await out.commit();
  } catch (error) {
    await out.discard();
    throw error;
  }
}
