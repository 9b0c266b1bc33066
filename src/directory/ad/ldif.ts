/**
 * An LDIF (RFC 2849) reader for directory exports as `ldapsearch -LLL` and `ldifde` write them:
 * comments, folded lines, `attr:: base64`, `version: 1`, `changetype: add`, CRLF, UTF-8 or UTF-16.
 * Every problem names the line it is on.
 */
import { dnComponents, DnSyntaxError } from "../../model/dn.js";

export interface LdifRecord {
  dn: string;
  /** Line of the record's `dn:` line. */
  line: number;
  /** Attribute name (lower case, options such as `;binary` dropped) -> values as bytes. */
  attributes: Map<string, Buffer[]>;
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

interface LogicalLine {
  text: string;
  line: number;
  comment: boolean;
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

/** Joins folded lines (a line starting with one space continues the one above). */
function logicalLines(text: string): (LogicalLine | null)[] {
  const out: (LogicalLine | null)[] = [];
  const physical = text.split(/\r?\n/);
  physical.forEach((raw, index) => {
    const line = index + 1;
    const last = out[out.length - 1];
    if (raw.startsWith(" ")) {
      if (!last)
        throw new LdifSyntaxError(
          "a continuation line (starting with a space) must directly follow the line it continues, " +
            "not a blank line or the start of the file",
          line,
        );
      last.text += raw.slice(1);
    } else if (raw === "") out.push(null);
    else out.push({ text: raw, line, comment: raw.startsWith("#") });
  });
  return out;
}

/** Logical lines grouped into records (blank-line separated), comments dropped. */
function groups(lines: (LogicalLine | null)[]): LogicalLine[][] {
  const out: LogicalLine[][] = [];
  let current: LogicalLine[] = [];
  for (const line of lines) {
    if (line === null) {
      if (current.length > 0) out.push(current);
      current = [];
    } else if (!line.comment) current.push(line);
  }
  if (current.length > 0) out.push(current);
  return out;
}

const ATTRIBUTE_LINE = /^([A-Za-z0-9][A-Za-z0-9.-]*)((?:;[A-Za-z0-9=.-]+)*):(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

interface AttributeValue {
  name: string;
  value: Buffer;
}

function parseAttributeLine(line: LogicalLine): AttributeValue {
  const match = ATTRIBUTE_LINE.exec(line.text);
  if (!match) {
    const shown = line.text.length > 40 ? `${line.text.slice(0, 40)}...` : line.text;
    throw new LdifSyntaxError(
      `"${shown}" is not "attribute: value"; a value folded onto the next line must start that line ` +
        "with exactly one space",
      line.line,
    );
  }
  const name = match[1]!;
  const rest = match[3]!;
  if (rest.startsWith(":")) {
    const encoded = rest.slice(1).trim();
    if (encoded.length % 4 !== 0 || !BASE64.test(encoded))
      throw new LdifSyntaxError(`the value of ${name} after "::" is not valid base64`, line.line);
    return { name, value: Buffer.from(encoded, "base64") };
  }
  if (rest.startsWith("<"))
    throw new LdifSyntaxError(
      `${name} takes its value from a file or URL ("${name}:<"), which is not read; ` +
        "export with the values inline (ldapsearch -LLL and ldifde do)",
      line.line,
    );
  return { name, value: Buffer.from(rest.replace(/^ +/, ""), "utf8") };
}

function parseRecord(lines: LogicalLine[]): LdifRecord | undefined {
  const first = lines[0]!;
  const head = parseAttributeLine(first);
  if (head.name.toLowerCase() !== "dn") {
    // A search reference (`ref: ldap://...`, what a search at the forest root prints): not an entry.
    if (lines.every((l) => /^ref:/i.test(l.text))) return undefined;
    // `ldapsearch -L` (one L) ends with a summary record: nothing to read, but it says whether the
    // search finished. Anything but 0 (4 Size limit exceeded, 3 Time limit exceeded ...) is a truncated read.
    if (lines.every((l) => /^(search|result|text|matchedDN|control):/i.test(l.text))) {
      const result = lines.find((l) => /^result:/i.test(l.text));
      const code = result?.text.slice("result:".length).trim() ?? "0";
      if (!/^0(\s|$)/.test(code))
        throw new LdifSyntaxError(
          `the search that wrote this export ended with "result: ${code}", so the export is incomplete ` +
            "(4 Size limit exceeded: AD stops an unpaged search at 1,000 entries); export again with paging " +
            '(ldapsearch -E pr=1000/noprompt) and check that it ends with "result: 0 Success"',
          result!.line,
        );
      return undefined;
    }
    throw new LdifSyntaxError(
      `an entry must start with a "dn:" line, not "${head.name}:"; separate entries with one blank line`,
      first.line,
    );
  }
  const dn = head.value.toString("utf8");
  try {
    dnComponents(dn);
  } catch (error) {
    if (error instanceof DnSyntaxError) throw new LdifSyntaxError(`bad dn: ${error.message}`, first.line);
    throw error;
  }
  const attributes = new Map<string, Buffer[]>();
  for (const line of lines.slice(1)) {
    if (line.text === "-")
      throw new LdifSyntaxError("this is a change file (modify records), not a directory export", line.line);
    const { name, value } = parseAttributeLine(line);
    const key = name.toLowerCase();
    if (key === "changetype") {
      const kind = value.toString("utf8").trim().toLowerCase();
      if (kind === "add") continue; // ldifde writes "changetype: add" on every exported entry
      throw new LdifSyntaxError(
        `"changetype: ${kind}" is a change, not an exported entry; export the directory with ` +
          "ldapsearch -LLL or ldifde",
        line.line,
      );
    }
    if (key === "dn")
      throw new LdifSyntaxError(
        "a second dn: line inside one entry; separate entries with a blank line",
        line.line,
      );
    const list = attributes.get(key);
    if (list) list.push(value);
    else attributes.set(key, [value]);
  }
  return { dn, line: first.line, attributes };
}

/** Parses LDIF text into entries; throws LdifSyntaxError (with a line) on the first problem. */
export function parseLdif(text: string): LdifRecord[] {
  const records = groups(logicalLines(text));
  const first = records[0];
  if (first?.[0] && /^version:/i.test(first[0].text)) {
    const version = first[0].text.slice("version:".length).trim();
    if (version !== "1")
      throw new LdifSyntaxError(
        `LDIF version "${version}" is not supported; only version 1 is`,
        first[0].line,
      );
    first.shift();
    if (first.length === 0) records.shift();
  }
  const out: LdifRecord[] = [];
  const seen = new Map<string, number>();
  for (const lines of records) {
    const record = parseRecord(lines);
    if (!record) continue;
    const key = dnComponents(record.dn).join("\u0000");
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new LdifSyntaxError(`"${record.dn}" appears twice (first at line ${earlier})`, record.line);
    seen.set(key, record.line);
    out.push(record);
  }
  return out;
}
