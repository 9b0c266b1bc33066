/**
 * Names the encoding of a file that is not UTF-8, so that an error can say "UTF-16" or "Latin-1"
 * instead of "binary content": Windows tools write both (Notepad's "Unicode", PowerShell 5's
 * Out-File, Excel's CSV), and the fix is to save the file as UTF-8.
 */
export type ForeignEncoding = "UTF-16" | "Latin-1 (ISO-8859-1 / Windows-1252)" | "binary";

export function stripUtf8Bom(text: string): string {
  return text.replace(/^\uFEFF/, "");
}

/** Decodes UTF-8 (a BOM is dropped); otherwise says which encoding the bytes look like. */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { encoding: ForeignEncoding } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return { encoding: "UTF-16" };
  let zeros = 0;
  for (let i = 0; i < Math.min(bytes.length, 4096); i++) if (bytes[i] === 0) zeros++;
  // UTF-16 without a BOM: every other byte of ASCII text is zero.
  if (zeros > 0) return { encoding: zeros * 3 >= Math.min(bytes.length, 4096) ? "UTF-16" : "binary" };
  try {
    return { text: stripUtf8Bom(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) };
  } catch {
    // Bytes 0x80-0xFF that are not UTF-8 sequences, without control characters: 8-bit text.
    let controls = 0;
    for (const b of bytes.subarray(0, 4096)) if (b < 0x09 || (b > 0x0d && b < 0x20)) controls++;
    return { encoding: controls === 0 ? "Latin-1 (ISO-8859-1 / Windows-1252)" : "binary" };
  }
}

export function encodingAdvice(encoding: ForeignEncoding, what: string): string {
  return encoding === "binary"
    ? `is not a text file (binary content); ${what}`
    : `is ${encoding} text, not UTF-8; save it as UTF-8 (in PowerShell: Get-Content FILE | Set-Content -Encoding utf8 NEW)`;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The bytes of `text` when it is ASCII, one byte per character, so that a reader can copy values out
 * of them: a V8 slice of 13 characters or more keeps its whole parent text alive for as long as the
 * value lives. `content`, the file's bytes, when they are exactly that (UTF-8), else a copy (a
 * UTF-16 file whose text is ASCII). Undefined when the text is not ASCII.
 */
export function asciiBytes(text: string, content?: Buffer): Buffer | undefined {
  if (NON_ASCII.test(text)) return undefined;
  return content !== undefined && content.length === text.length ? content : Buffer.from(text, "latin1");
}
