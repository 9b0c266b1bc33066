/** The AD snapshot source: an LDIF export read into the same AdState the live adapter yields. */
import { readFile } from "node:fs/promises";

import { InputError } from "../../model/errors.js";
import type { AdObject, AdState } from "../../model/directory.js";
import { decodeLdif, LdifSyntaxError, parseLdif, type LdifRecord } from "./ldif.js";
import { isWithin } from "../../model/dn.js";
import { EntryProblem, hasExchangeAttributes, toAdObject, toAdState } from "./to-ad-object.js";

function records(file: string, content: Buffer): LdifRecord[] {
  try {
    return parseLdif(decodeLdif(content));
  } catch (error) {
    if (error instanceof LdifSyntaxError) throw new InputError(error.message, { file, line: error.line });
    throw error;
  }
}

/**
 * Reads an `ldapsearch -LLL` / `ldifde` export; a malformed file is an InputError at file:line.
 * An export has no schema, so the Exchange schema counts as present when any entry carries an
 * msExch* attribute (an Exchange organisation stamps msExchRecipientTypeDetails on every recipient).
 */
export async function readLdifSnapshot(file: string, options: { baseDN?: string } = {}): Promise<AdState> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new InputError(`cannot read the AD snapshot (${code})`, { file }, { cause: error });
  }
  const objects: AdObject[] = [];
  const all = records(file, content);
  // An empty export is a failed export, not an empty directory (AD always has the domain's own entry).
  if (all.length === 0)
    throw new InputError(
      "the AD snapshot holds no entries; an export of a directory always has some. Export it again " +
        "(ldapsearch -LLL ... or ldifde -f FILE) and check the command's errors",
      { file },
    );
  const exchangeSchema = all.some(hasExchangeAttributes);
  for (const record of all) {
    // The live reader searches under baseDN; an export of the whole forest holds more: leave it out alike.
    if (options.baseDN !== undefined && !isWithin(record.dn, options.baseDN)) continue;
    try {
      const object = toAdObject(record, exchangeSchema);
      if (object) objects.push(object);
    } catch (error) {
      if (error instanceof EntryProblem) throw new InputError(error.message, { file, line: record.line });
      throw error;
    }
  }
  return toAdState(objects, exchangeSchema);
}
