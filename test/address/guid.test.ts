import { describe, expect, it } from "@jest/globals";

import { bytesToGuid, guidToBytes, guidToImmutableId, immutableIdToGuid } from "../../src/address/guid.js";

/** The stored-bytes layout written out the long way: Data1-3 byte-swapped, then hex groups 8-4-4-4-12. */
function referenceGuid(stored: Buffer): string {
  const b = Buffer.from(stored);
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  const hex = b.toString("hex");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}

describe("GUID <-> immutableId", () => {
  it("encodes the stored bytes in Guid.ToByteArray order (DESIGN.md test vector)", () => {
    const immutableId = guidToImmutableId("f7cc07d7-7c15-447d-876d-c01b0e5a9e38");

    expect(immutableId).toBe("1wfM9xV8fUSHbcAbDlqeOA==");
  });

  it("decodes an immutableId back to the same GUID", () => {
    expect(immutableIdToGuid("1wfM9xV8fUSHbcAbDlqeOA==")).toBe("f7cc07d7-7c15-447d-876d-c01b0e5a9e38");
  });

  it("reads stored objectGUID bytes as the GUID string AD tools show", () => {
    const stored = Buffer.from("1wfM9xV8fUSHbcAbDlqeOA==", "base64");

    expect(bytesToGuid(stored)).toBe("f7cc07d7-7c15-447d-876d-c01b0e5a9e38");
  });

  it("agrees with the byte-swapped layout on random GUIDs, both ways and in either case", () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;
    for (let n = 0; n < 3000; n++) {
      const stored = Buffer.from(Array.from({ length: 16 }, random));
      const guid = bytesToGuid(stored);

      expect(guid).toBe(referenceGuid(stored));
      expect(guidToBytes(guid).equals(stored)).toBe(true);
      expect(guidToBytes(guid.toUpperCase()).equals(stored)).toBe(true);
      expect(guidToImmutableId(guid)).toBe(stored.toString("base64"));
    }
    expect(() => guidToBytes("f7cc07d7-7c15-447d-876d-c01b0e5a9e3")).toThrow(TypeError);
    expect(() => bytesToGuid(Buffer.alloc(15))).toThrow(TypeError);
  });

  it("rejects a value that is not the Base64 of 16 bytes", () => {
    expect(immutableIdToGuid("not-an-anchor")).toBeUndefined();
    expect(immutableIdToGuid(Buffer.alloc(15).toString("base64"))).toBeUndefined();
  });
});
