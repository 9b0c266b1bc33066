/**
 * GUIDs as Active Directory stores them and Entra Connect uses them as source anchors.
 * AD stores a GUID in .NET Guid.ToByteArray() order: the first three groups little-endian,
 * the last two as written. The immutableId is the Base64 of those stored bytes.
 */

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/**
 * Where each stored byte's two hex digits stand in the GUID's text (`00112233-4455-...`): Data1,
 * Data2 and Data3 little-endian, the rest as written.
 */
const TEXT_AT = [6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34];
const HEX_DIGITS = "0123456789abcdef";

/** 0-15 for a hex digit's character code (either case); only called on text isGuid accepted. */
function nibble(code: number): number {
  return code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57;
}

function writeStoredBytes(guid: string, bytes: Uint8Array): void {
  if (!isGuid(guid)) throw new TypeError(`not a GUID: ${guid}`);
  for (let i = 0; i < 16; i++) {
    const at = TEXT_AT[i]!;
    bytes[i] = (nibble(guid.charCodeAt(at)) << 4) | nibble(guid.charCodeAt(at + 1));
  }
}

/** The 16 stored bytes of a GUID string. */
export function guidToBytes(guid: string): Buffer {
  const bytes = Buffer.alloc(16);
  writeStoredBytes(guid, bytes);
  return bytes;
}

/** The GUID's text as character codes, filled per call (the functions below use it synchronously). */
const GUID_CODES: number[] = Array.from("00000000-0000-0000-0000-000000000000", (c) => c.charCodeAt(0));

/** The GUID string (lower case) of 16 stored bytes, e.g. an objectGUID value read over LDAP. */
export function bytesToGuid(stored: Uint8Array): string {
  if (stored.length !== 16) throw new TypeError(`a GUID has 16 bytes, not ${stored.length}`);
  for (let i = 0; i < 16; i++) {
    const at = TEXT_AT[i]!;
    const byte = stored[i]!;
    GUID_CODES[at] = HEX_DIGITS.charCodeAt(byte >> 4);
    GUID_CODES[at + 1] = HEX_DIGITS.charCodeAt(byte & 15);
  }
  // One flat string of its own from the codes (joined from pieces, each GUID was a tree of string
  // pieces in memory; written through a Buffer, a dozen native calls per GUID).
  return String.fromCharCode(...GUID_CODES);
}

/** A scratch for the anchors below: filled and read within one call. */
const ANCHOR_BYTES = Buffer.alloc(16);

export function guidToImmutableId(guid: string): string {
  writeStoredBytes(guid, ANCHOR_BYTES);
  return ANCHOR_BYTES.toString("base64");
}

/** The GUID behind an immutableId, or undefined when it is not the Base64 of 16 bytes. */
export function immutableIdToGuid(immutableId: string): string | undefined {
  const bytes = Buffer.from(immutableId, "base64");
  if (bytes.length !== 16 || bytes.toString("base64") !== immutableId) return undefined;
  return bytesToGuid(bytes);
}
