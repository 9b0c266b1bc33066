/**
 * Writes entries as `ldapsearch -LLL` does (RFC 2849): no version line or comments, `attr:: base64`
 * for binary values and for any value that is not a safe string, lines folded at 78 columns with
 * a leading space, a blank line after every entry. The LDIF reader reads it back byte for byte.
 */
import { AD_ATTRIBUTES, EXCHANGE_ATTRIBUTES, type RawEntry } from "./to-ad-object.js";

/** Longest physical line ldapsearch writes by default (continuation lines count their leading space). */
const WIDTH = 78;

/** Entries carry lower-cased names; write them as AD spells them, as ldapsearch shows the server's. */
const SPELLING = new Map<string, string>(
  [...AD_ATTRIBUTES, ...EXCHANGE_ATTRIBUTES, "isCriticalSystemObject", "msExchMailboxGuid"].map((name) => [
    name.toLowerCase(),
    name,
  ]),
);

/**
 * RFC 2849 SAFE-STRING, restricted to printable ASCII as OpenLDAP does: anything else (UTF-8,
 * control characters, a leading space, colon or '<', a trailing space) goes out as base64.
 */
function isSafe(value: Buffer): boolean {
  if (value.length === 0) return true;
  const first = value[0]!;
  if (first === 0x20 || first === 0x3a || first === 0x3c) return false;
  if (value[value.length - 1] === 0x20) return false;
  for (const byte of value) if (byte < 0x20 || byte > 0x7e) return false;
  return true;
}

function fold(line: string): string {
  if (line.length <= WIDTH) return `${line}\n`;
  let out = line.slice(0, WIDTH);
  for (let at = WIDTH; at < line.length; at += WIDTH - 1) out += `\n ${line.slice(at, at + WIDTH - 1)}`;
  return `${out}\n`;
}

function attributeLine(name: string, value: Buffer): string {
  return fold(
    isSafe(value) ? `${name}: ${value.toString("latin1")}` : `${name}:: ${value.toString("base64")}`,
  );
}

export function formatLdifEntry(entry: RawEntry): string {
  let text = attributeLine("dn", Buffer.from(entry.dn, "utf8"));
  for (const [key, values] of entry.attributes) {
    const name = SPELLING.get(key) ?? key;
    for (const value of values) text += attributeLine(name, value);
  }
  return `${text}\n`;
}

/** One string per entry, for writeFileAtomic's batched writes. */
export function* ldifChunks(entries: Iterable<RawEntry>): Iterable<string> {
  for (const entry of entries) yield formatLdifEntry(entry);
}
