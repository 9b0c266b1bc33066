/** Writing output files so that a failure half-way never leaves a truncated file behind. */
import { open, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { InputError } from "../errors.js";

export async function writeFileAtomic(
  file: string,
  content: string | Iterable<string>,
  shown: string = file,
): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    if (typeof content === "string") await writeFile(temp, content);
    else {
      const handle = await open(temp, "w");
      try {
        // Gather pieces into writes of about 1 MB: one system call per piece would be slow.
        let pending = "";
        for (const chunk of content) {
          pending += chunk;
          if (pending.length >= 1 << 20) {
            await handle.write(pending);
            pending = "";
          }
        }
        await handle.write(pending);
      } finally {
        await handle.close();
      }
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(`cannot write (${code}); check that the folder exists and is writable`, {
      file: shown,
    });
  }
}
