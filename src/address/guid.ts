/**
 * GUIDs as Active Directory stores them and Entra Connect uses them as source anchors.
 * AD stores a GUID in .NET Guid.ToByteArray() order: the first three groups little-endian,
 * the last two as written. The immutableId is the Base64 of those stored bytes.
 */

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** The 16 stored bytes of a GUID string. */
export function guidToBytes(guid: string): Buffer {
  if (!isGuid(guid)) throw new TypeError(`not a GUID: ${guid}`);
  const hex = guid.replace(/-/g, "");
  const bytes = Buffer.from(hex, "hex");
  // Data1 (4 bytes), Data2 (2) and Data3 (2) are stored little-endian.
  bytes.subarray(0, 4).reverse();
  bytes.subarray(4, 6).reverse();
  bytes.subarray(6, 8).reverse();
  return bytes;
}

/** The GUID string (lower case) of 16 stored bytes, e.g. an objectGUID value read over LDAP. */
export function bytesToGuid(stored: Uint8Array): string {
  if (stored.length !== 16) throw new TypeError(`a GUID has 16 bytes, not ${stored.length}`);
  const b = Buffer.from(stored);
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  // Written into one buffer and decoded once: a flat string. Joined from slices, each GUID was a tree
  // of seven string pieces in memory (a third of an AD object's heap at 100,000 objects).
  const out = Buffer.alloc(36, "-");
  out.write(b.toString("hex", 0, 4), 0, "latin1");
  out.write(b.toString("hex", 4, 6), 9, "latin1");
  out.write(b.toString("hex", 6, 8), 14, "latin1");
  out.write(b.toString("hex", 8, 10), 19, "latin1");
  out.write(b.toString("hex", 10, 16), 24, "latin1");
  return out.toString("latin1");
}

export function guidToImmutableId(guid: string): string {
  return guidToBytes(guid).toString("base64");
}

/** The GUID behind an immutableId, or undefined when it is not the Base64 of 16 bytes. */
export function immutableIdToGuid(immutableId: string): string | undefined {
  const bytes = Buffer.from(immutableId, "base64");
  if (bytes.length !== 16 || bytes.toString("base64") !== immutableId) return undefined;
  return bytesToGuid(bytes);
}
