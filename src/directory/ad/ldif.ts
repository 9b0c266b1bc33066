/**
 * An LDIF (RFC 2849) reader for directory exports as `ldapsearch -LLL` and `ldifde` write them:
 * comments, folded lines, `attr:: base64`, `version: 1`, `changetype: add`, CRLF, UTF-8 or UTF-16.
 * Every problem names the line it is on.
 *
 * One pass over the text, entry by entry: a 100,000-object export is 40 MB and a million lines, so
 * the reader keeps no array of lines or records and slices each value out of the text once.
 */
import { append } from "../../model/arrays.js";
import { dnComponents, DnSyntaxError } from "../../model/dn.js";
import { COLON, CR, HASH, LESS_THAN, SEMICOLON, SPACE } from "../../model/char-codes.js";

/** A value as read: the text of a plain value (`attr: text`), the bytes of a base64 one (`attr:: ...`). */
export type LdifValue = string | Buffer;

export interface LdifRecord {
  dn: string;
  /** Line of the record's `dn:` line. */
  line: number;
  /** Attribute name (lower case, options such as `;binary` dropped) -> values as bytes. */
  attributes: Map<string, Buffer[]>;
}

/** An entry as the scanner hands it on. */
export interface LdifEntry {
  dn: string;
  /** Line of the entry's `dn:` line. */
  line: number;
  /** `dnComponents(dn)`, worked out once: whoever needs the DN's parts (base DN, tree order) reuses them. */
  components: string[];
  /** Attribute name (lower case, options dropped) -> values in file order. */
  attributes: Map<string, LdifValue[]>;
}

export class LdifSyntaxError extends Error {
  override readonly name = "LdifSyntaxError";
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Text of the file: BOMs honoured (ldifde -u writes UTF-16), anything else must be UTF-8. */
export function decodeLdif(content: Buffer): string {
  if (content[0] === 0xff && content[1] === 0xfe)
    return new TextDecoder("utf-16le").decode(content.subarray(2));
  if (content[0] === 0xfe && content[1] === 0xff)
    return new TextDecoder("utf-16be").decode(content.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    const lenient = new TextDecoder("utf-8").decode(content);
    const line = lenient.slice(0, lenient.indexOf("\ufffd")).split("\n").length;
    throw new LdifSyntaxError(
      "the file is not UTF-8 text; export it as UTF-8 (ldapsearch does) or Unicode (ldifde -u)",
      line,
    );
  }
}

/** A-Z a-z 0-9 (the first character of an attribute name). */
function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** A-Z a-z 0-9 . - (the rest of an attribute name). */
function isNameChar(c: number): boolean {
  return isAlnum(c) || c === 0x2e || c === 0x2d;
}

/** A-Z a-z 0-9 = . - (an option such as `;binary` or `;lang-de`). */
function isOptionChar(c: number): boolean {
  return isNameChar(c) || c === 0x3d;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const CONTINUATION_MESSAGE =
  "a continuation line (starting with a space) must directly follow the line it continues, " +
  "not a blank line or the start of the file";

/**
 * The first continuation line that follows a blank line or starts the file, if any. Folded lines
 * are joined before any entry is read, so this problem is reported before any other, wherever it is.
 */
function misplacedContinuation(text: string): number | undefined {
  let line = 0;
  let previousBlank = true; // the start of the file counts as a blank line
  for (let pos = 0; ;) {
    const nl = text.indexOf("\n", pos);
    const end = nl === -1 ? text.length : nl > pos && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
    line++;
    if (text.charCodeAt(pos) === SPACE && end > pos && previousBlank) return line;
    previousBlank = end === pos;
    if (nl === -1) return undefined;
    pos = nl + 1;
  }
}

/** A record that does not start with `dn:`: its first attribute's name and its lines. */
interface OtherRecord {
  name: string;
  lines: { text: string; line: number }[];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where one logical line's attribute description ends. */
interface Description {
  /** The attribute name as written (options dropped). */
  name: string;
  /** Index of the ':' after it. */
  colon: number;
}

/**
 * Scans LDIF text. Logical lines are a physical line plus the continuation lines (leading space)
 * after it; blank lines separate records; comment lines (`#`, folded or not) are dropped.
 */
class Scanner {
  /** Lower-cased attribute names by the spelling in the file: each entry's Map shares the keys. */
  private readonly keys = new Map<string, string>();
  /** First line of each DN seen, by the DN's normalised components (AD compares DNs that way). */
  private readonly seen = new Map<string, number>();
  /** Whether no record has started yet: only the file's first line may be `version:`. */
  private first = true;
  /** The record being read: an entry, or a record of another kind (its lines kept for the check at its end). */
  private entry: LdifEntry | undefined;
  private other: OtherRecord | undefined;
  /** Whether the text holds a lone surrogate, which the UTF-8 round trip of every value turned into U+FFFD. */
  private readonly illFormed: boolean;

  constructor(
    private readonly text: string,
    private readonly onEntry: (entry: LdifEntry) => void,
    /** Lower-cased names to keep; the others are checked and dropped. All when undefined. */
    private readonly keep: ReadonlySet<string> | undefined,
    /** The bytes of `text` when each of its characters is one of them (ASCII): values are copied from them. */
    private readonly ascii: Buffer | undefined,
  ) {
    // decodeLdif's text never has one; a caller's string may. Checked fast: one-byte text has no surrogate.
    this.illFormed = /[\uD800-\uDFFF]/.test(text) && LONE_SURROGATE.test(text);
  }

  run(): void {
    const text = this.text;
    // The logical line being collected: [start, end) of the text, or `joined` when it was folded.
    let start = -1;
    let end = -1;
    let joined: string | undefined;
    let line = 0;
    let physical = 0;
    for (let pos = 0; ;) {
      const nl = text.indexOf("\n", pos);
      // Lines end in \n or \r\n; a \r elsewhere is part of the line.
      const stop = nl === -1 ? text.length : nl > pos && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      physical++;
      if (stop > pos && text.charCodeAt(pos) === SPACE) {
        if (start === -1) this.fail(CONTINUATION_MESSAGE, physical);
        joined = (joined ?? text.slice(start, end)) + text.slice(pos + 1, stop);
      } else {
        if (start !== -1)
          this.logical(joined ?? text, joined === undefined ? start : 0, joined?.length ?? end, line);
        joined = undefined;
        if (stop === pos) {
          start = -1;
          this.endRecord();
        } else {
          start = pos;
          end = stop;
          line = physical;
        }
      }
      if (nl === -1) break;
      pos = nl + 1;
    }
    if (start !== -1)
      this.logical(joined ?? text, joined === undefined ? start : 0, joined?.length ?? end, line);
    this.endRecord();
  }

  /** Throws a syntax error; a misplaced continuation line anywhere in the file is reported first. */
  private fail(message: string, line: number): never {
    const continuation = misplacedContinuation(this.text);
    if (continuation !== undefined) throw new LdifSyntaxError(CONTINUATION_MESSAGE, continuation);
    throw new LdifSyntaxError(message, line);
  }

  /** One logical line: `s` from `start` to `end` (the text itself, or the joined folded line). */
  private logical(s: string, start: number, end: number, line: number): void {
    if (s.charCodeAt(start) === HASH) return;
    if (this.entry) {
      this.attribute(s, start, end, line);
      return;
    }
    if (this.other) {
      this.other.lines.push({ text: s.slice(start, end), line });
      return;
    }
    // The first line of a record.
    const first = this.first;
    this.first = false;
    if (first && /^version:/i.test(s.slice(start, Math.min(end, start + 8)))) {
      const version = s.slice(start + "version:".length, end).trim();
      if (version !== "1") this.fail(`LDIF version "${version}" is not supported; only version 1 is`, line);
      return; // the rest of this record, if any, is the first entry
    }
    const head = this.description(s, start, end, line);
    const value = this.value(s, head, end, line);
    if (head.name.toLowerCase() !== "dn") {
      this.other = { name: head.name, lines: [{ text: s.slice(start, end), line }] };
      return;
    }
    const dn = typeof value === "string" ? value : value.toString("utf8");
    let components: string[];
    try {
      components = dnComponents(dn);
    } catch (error) {
      if (error instanceof DnSyntaxError) this.fail(`bad dn: ${error.message}`, line);
      throw error;
    }
    this.entry = { dn, line, components, attributes: new Map() };
  }

  /** A line inside an entry. */
  private attribute(s: string, start: number, end: number, line: number): void {
    if (end - start === 1 && s.charCodeAt(start) === 0x2d)
      this.fail("this is a change file (modify records), not a directory export", line);
    const description = this.description(s, start, end, line);
    const value = this.value(s, description, end, line);
    const name = description.name;
    let key = this.keys.get(name);
    if (key === undefined) {
      key = name.toLowerCase();
      this.keys.set(name, key);
    }
    if (key === "changetype") {
      const kind = (typeof value === "string" ? value : value.toString("utf8")).trim().toLowerCase();
      if (kind === "add") return; // ldifde writes "changetype: add" on every exported entry
      this.fail(
        `"changetype: ${kind}" is a change, not an exported entry; export the directory with ` +
          "ldapsearch -LLL or ldifde",
        line,
      );
    }
    if (key === "dn")
      this.fail("a second dn: line inside one entry; separate entries with a blank line", line);
    if (this.keep !== undefined && !this.keep.has(key)) return;
    append(this.entry!.attributes, key, value);
  }

  /** `name(;option)*:` at the start of a logical line, or the error that it is not "attribute: value". */
  private description(s: string, start: number, end: number, line: number): Description {
    let i = start;
    if (i < end && isAlnum(s.charCodeAt(i))) {
      i++;
      while (i < end && isNameChar(s.charCodeAt(i))) i++;
      const nameEnd = i;
      while (i < end && s.charCodeAt(i) === SEMICOLON && i + 1 < end && isOptionChar(s.charCodeAt(i + 1))) {
        i += 2;
        while (i < end && isOptionChar(s.charCodeAt(i))) i++;
      }
      if (i < end && s.charCodeAt(i) === COLON) return { name: s.slice(start, nameEnd), colon: i };
    }
    const text = s.slice(start, end);
    const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
    return this.fail(
      `"${shown}" is not "attribute: value"; a value folded onto the next line must start that line ` +
        "with exactly one space",
      line,
    );
  }

  /** The value after the description: text after `: ` (leading spaces dropped), or base64 after `::`. */
  private value(s: string, { name, colon }: Description, end: number, line: number): LdifValue {
    const next = colon + 1 < end ? s.charCodeAt(colon + 1) : -1;
    if (next === COLON) {
      const encoded = s.slice(colon + 2, end).trim();
      if (encoded.length % 4 !== 0 || !BASE64.test(encoded))
        this.fail(`the value of ${name} after "::" is not valid base64`, line);
      return Buffer.from(encoded, "base64");
    }
    if (next === LESS_THAN)
      this.fail(
        `${name} takes its value from a file or URL ("${name}:<"), which is not read; ` +
          "export with the values inline (ldapsearch -LLL and ldifde do)",
        line,
      );
    let from = colon + 1;
    while (from < end && s.charCodeAt(from) === SPACE) from++;
    // A slice of the text would keep all of it alive (V8 slices longer strings): copied from the bytes.
    if (s === this.text && this.ascii !== undefined) return this.ascii.toString("utf8", from, end);
    const text = s.slice(from, end);
    // Values are UTF-8 bytes (RFC 2849): a lone surrogate cannot be one and reads as U+FFFD.
    return this.illFormed ? Buffer.from(text, "utf8").toString("utf8") : text;
  }

  /** A blank line or the end of the file: the record, if one was open, is complete. */
  private endRecord(): void {
    const entry = this.entry;
    const other = this.other;
    this.entry = undefined;
    this.other = undefined;
    if (entry) {
      const key = entry.components.join("\u0000");
      const earlier = this.seen.get(key);
      if (earlier !== undefined)
        this.fail(`"${entry.dn}" appears twice (first at line ${earlier})`, entry.line);
      this.seen.set(key, entry.line);
      this.onEntry(entry);
    } else if (other) checkOtherRecord(other, (message, line) => this.fail(message, line));
  }
}

/**
 * A record that does not start with `dn:`: a search reference or `ldapsearch -L`'s summary record,
 * which are not entries; anything else is a mistake.
 */
function checkOtherRecord(
  { name, lines }: OtherRecord,
  fail: (message: string, line: number) => never,
): void {
  const first = lines[0]!;
  // A search reference (`ref: ldap://...`, what a search at the forest root prints): not an entry.
  if (lines.every((l) => /^ref:/i.test(l.text))) return;
  // `ldapsearch -L` (one L) ends with a summary record: nothing to read, but it says whether the
  // search finished. Anything but 0 (4 Size limit exceeded, 3 Time limit exceeded ...) is a truncated read.
  if (lines.every((l) => /^(search|result|text|matchedDN|control):/i.test(l.text))) {
    const result = lines.find((l) => /^result:/i.test(l.text));
    const code = result?.text.slice("result:".length).trim() ?? "0";
    if (!/^0(\s|$)/.test(code))
      fail(
        `the search that wrote this export ended with "result: ${code}", so the export is incomplete ` +
          "(4 Size limit exceeded: AD stops an unpaged search at 1,000 entries); export again with paging " +
          '(ldapsearch -E pr=1000/noprompt) and check that it ends with "result: 0 Success"',
        result!.line,
      );
    return;
  }
  fail(
    `an entry must start with a "dn:" line, not "${name}:"; separate entries with one blank line`,
    first.line,
  );
}

/**
 * Reads LDIF text entry by entry, handing each to `onEntry` when its record is complete; throws
 * LdifSyntaxError (with a line) on the first problem. `keep`: the lower-cased attribute names to
 * keep (every line is still checked); all when left out. `ascii`: the text's bytes (model/text-encoding.ts asciiBytes);
 * with them the values are strings of their own, copied from the bytes, and the text can go once
 * it is read (a slice of it would keep all of it alive).
 */
export function scanLdif(
  text: string,
  onEntry: (entry: LdifEntry) => void,
  keep?: ReadonlySet<string>,
  ascii?: Buffer,
): void {
  new Scanner(text, onEntry, keep, ascii).run();
}

/** Parses LDIF text into entries, values as bytes; throws LdifSyntaxError (with a line) on the first problem. */
export function parseLdif(text: string): LdifRecord[] {
  const out: LdifRecord[] = [];
  scanLdif(text, ({ dn, line, attributes }) => {
    const bytes = new Map<string, Buffer[]>();
    for (const [key, values] of attributes)
      bytes.set(
        key,
        values.map((v) => (typeof v === "string" ? Buffer.from(v, "utf8") : v)),
      );
    out.push({ dn, line, attributes: bytes });
  });
  return out;
}
