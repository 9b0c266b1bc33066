/** Writing output files so that a failure half-way never leaves a truncated file behind. */
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { InputError } from "../errors.js";

export async function writeFileAtomic(file: string, content: string, shown: string = file): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, content);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(`cannot write (${code}); check that the folder exists and is writable`, {
      file: shown,
    });
  }
}
