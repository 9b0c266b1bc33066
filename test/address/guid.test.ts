import { describe, expect, it } from "@jest/globals";

import { bytesToGuid, guidToImmutableId, immutableIdToGuid } from "../../src/address/guid.js";

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

  it("rejects a value that is not the Base64 of 16 bytes", () => {
    expect(immutableIdToGuid("not-an-anchor")).toBeUndefined();
    expect(immutableIdToGuid(Buffer.alloc(15).toString("base64"))).toBeUndefined();
  });
});
