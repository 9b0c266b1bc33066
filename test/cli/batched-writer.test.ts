/**
 * BatchedWriter gathers pieces into byte batches of a fixed size: every piece arrives whole and in
 * order, however its characters are encoded and wherever it falls against the batch's end.
 */
import { describe, expect, it } from "@jest/globals";

import { BatchedWriter } from "../../src/cli/io.js";

function collector(accept: (count: number) => boolean = () => true): {
  writer: (size: number, reuse?: boolean) => BatchedWriter;
  batches: Buffer[];
  handed: Uint8Array[];
} {
  const batches: Buffer[] = [];
  const handed: Uint8Array[] = [];
  return {
    batches,
    handed,
    writer: (size, reuse = false) =>
      new BatchedWriter(
        (bytes) => {
          handed.push(bytes);
          // A copy, taken when written: what the target got then.
          batches.push(Buffer.from(bytes));
          return Promise.resolve(accept(batches.length));
        },
        size,
        reuse,
      ),
  };
}

/** Pieces of one, two, three and four UTF-8 bytes per character, of many lengths. */
function pieces(count: number): string[] {
  const alphabet = ["a", "é", "€", "𝄞", "ß", "漢", "\n", '"'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let piece = "";
    for (let j = 0; j < (i * 7) % 23; j++) piece += alphabet[(i + j * 3) % alphabet.length];
    out.push(piece);
  }
  return out;
}

describe("BatchedWriter", () => {
  it("writes every piece whole, in order, in batches no larger than its size", async () => {
    for (const size of [16, 37, 64, 1000]) {
      const { writer, batches } = collector();
      const out = writer(size);
      const all = pieces(400);
      for (const piece of all) await out.add(piece);
      await out.flush();

      expect(Buffer.concat(batches).toString("utf8")).toBe(all.join(""));
      // A piece larger than a batch goes out on its own; no other batch is over the size.
      const largest = Math.max(...all.map((p) => Buffer.byteLength(p)));
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(Math.max(size, largest));
      // Every batch decodes on its own: no character is split between two writes.
      for (const batch of batches) expect(batch.toString("utf8")).not.toContain("\ufffd");
    }
  });

  it("sends a piece larger than a batch by itself, after what came before it", async () => {
    const { writer, batches } = collector();
    const out = writer(8);
    await out.add("abc");
    await out.add("€".repeat(10));
    await out.add("z");
    await out.flush();

    expect(batches.map((b) => b.toString("utf8"))).toEqual(["abc", "€".repeat(10), "z"]);
  });

  it("never changes bytes it handed to a stream; reuses them for a target that is done with them", async () => {
    for (const reuse of [false, true]) {
      const { writer, batches, handed } = collector();
      const out = writer(8, reuse);
      for (const piece of ["abcdefgh", "ijklmnop", "qrst"]) await out.add(piece);
      await out.flush();

      expect(batches.map((b) => b.toString("utf8"))).toEqual(["abcdefgh", "ijklmnop", "qrst"]);
      const shared = handed.some((bytes, i) => i > 0 && bytes.buffer === handed[0]!.buffer);
      expect(shared).toBe(reuse);
      // A stream may still be sending what it was handed: those bytes are as they were.
      if (!reuse)
        expect(handed.map((b) => Buffer.from(b).toString("utf8"))).toEqual(["abcdefgh", "ijklmnop", "qrst"]);
    }
  });

  it("stops taking pieces once the target refuses more", async () => {
    const { writer, batches } = collector((count) => count < 2);
    const out = writer(4);
    for (const piece of ["abcd", "efgh", "ijkl", "mnop"]) await out.add(piece);
    await out.flush();

    expect(out.open).toBe(false);
    expect(batches.map((b) => b.toString("utf8"))).toEqual(["abcd", "efgh"]);
  });
});
