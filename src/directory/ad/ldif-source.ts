/** The AD snapshot source: an LDIF export read into the same AdState the live adapter yields. */
import { readFile } from "node:fs/promises";

import { InputError } from "../../model/errors.js";
import type { AdObject, AdState } from "../../model/directory.js";
import { componentsWithinAnyOf } from "../../model/dn.js";
import { asciiBytes } from "../../model/text-encoding.js";
import { decodeLdif, LdifSyntaxError, scanLdif } from "./ldif.js";
import { EntryProblem, MAPPED_ATTRIBUTES, sortByKey, toAdObject, treeOrderKey } from "./to-ad-object.js";

/**
 * Whether any entry carries an msExch* attribute: a line that starts with one. Such a line can only
 * be an entry's attribute (comments start with #, continuations with a space; in any other record
 * it is a syntax error, reported anyway), and attribute names are ASCII, so /i compares them.
 */
const EXCHANGE_LINE = /(?:^|\n)msexch/i;

/**
 * A copy whose strings are its own. Values are sliced out of the export's text, and in V8 a slice
 * keeps the whole text alive: where the objects keep little of it (less than a quarter, as in an
 * ldifde export of every attribute), they are copied so that the text can go.
 */
function detached<T>(value: T): T {
  if (typeof value === "string") return Buffer.from(value, "utf8").toString("utf8") as T;
  if (Array.isArray(value)) return value.map(detached) as T;
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, detached(v)])) as T;
  return value;
}

/**
 * RegExp's legacy static properties (RegExp.lastMatch, RegExp.input) keep the subject of the last
 * successful match alive. After the scan that is a value sliced from the export's text (a base64
 * value's check, say), so the whole text stays until some other pattern matches: at 100,000
 * objects 40 MB (80 MB read from UTF-16), held through the Entra read. A match on "" lets it go.
 */
function releaseLastMatch(): void {
  /^/.test("");
}

/**
 * Reads an `ldapsearch -LLL` / `ldifde` export; a malformed file is an InputError at file:line.
 * An export has no schema, so the Exchange schema counts as present when any entry carries an
 * msExch* attribute (an Exchange organisation stamps msExchRecipientTypeDetails on every recipient).
 *
 * Entries are mapped as they are read, so no entry outlives its own mapping. The order of the
 * problems is that of reading the whole file first: a syntax error anywhere wins over a problem of
 * an entry, and an empty export is reported before either.
 */
export async function readLdifSnapshot(file: string, options: { baseDN?: string } = {}): Promise<AdState> {
  let content: Buffer | null;
  try {
    content = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new InputError(`cannot read the AD snapshot (${code})`, { file }, { cause: error });
  }
  const keyed: { object: AdObject; key: string }[] = [];
  let entries = 0;
  // Characters of the text the objects keep (about: the plain values of their entries).
  let kept = 0;
  // The first problem of an entry (or of the base DN), thrown once the whole file has read cleanly.
  let problem: Error | undefined;
  // Whether an entry's parsed DN lies under baseDN (the base is parsed once, at the first entry).
  let inBase: ((components: readonly string[]) => boolean) | undefined;
  try {
    const text = decodeLdif(content);
    const ascii = asciiBytes(text, content);
    // The bytes go unless they are the ASCII bytes read from (a UTF-16 export's are twice its text).
    content = null;
    const exchangeSchema = EXCHANGE_LINE.test(text);
    scanLdif(
      text,
      (entry) => {
        entries++;
        if (problem !== undefined) return;
        try {
          // The live reader searches under baseDN; an export of the whole forest holds more: leave it out alike.
          if (options.baseDN !== undefined) {
            inBase ??= componentsWithinAnyOf([options.baseDN]);
            if (!inBase(entry.components)) return;
          }
          const object = toAdObject(entry, exchangeSchema, true);
          if (!object) return;
          keyed.push({ object, key: treeOrderKey(entry.components) });
          kept += entry.dn.length;
          for (const values of entry.attributes.values())
            for (const v of values) if (typeof v === "string") kept += v.length;
        } catch (error) {
          if (!(error instanceof Error)) throw error;
          problem =
            error instanceof EntryProblem ? new InputError(error.message, { file, line: entry.line }) : error;
        }
      },
      MAPPED_ATTRIBUTES,
      ascii,
    );
    // An empty export is a failed export, not an empty directory (AD always has the domain's own entry).
    if (entries === 0)
      throw new InputError(
        "the AD snapshot holds no entries; an export of a directory always has some. Export it again " +
          "(ldapsearch -LLL ... or ldifde -f FILE) and check the command's errors",
        { file },
      );
    releaseLastMatch();
    if (problem !== undefined) throw problem;
    const objects = sortByKey(keyed);
    // An ASCII export's values are copies already. Of another, the objects keep slices of the text:
    // an export of what idanchor reads keeps about half of it, one of every attribute far less.
    const sliced = ascii === undefined && kept * 4 < text.length;
    return { objects: sliced ? objects.map(detached) : objects, exchangeSchema };
  } catch (error) {
    if (error instanceof LdifSyntaxError) throw new InputError(error.message, { file, line: error.line });
    throw error;
  }
}
