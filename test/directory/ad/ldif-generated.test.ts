/**
 * The LDIF reader against exports generated at random (test/directory/ad/ldif-generator.ts): every
 * way of writing the same entries reads as the entries and AdObjects that were written, and a
 * problem planted anywhere is reported at its line, the way a reader of the whole file reports it.
 */
import path from "node:path";

import { describe, expect, it } from "@jest/globals";

import { readLdifSnapshot } from "../../../src/directory/ad/index.js";
import { LdifSyntaxError, parseLdif } from "../../../src/directory/ad/ldif.js";
import { toAdState } from "../../../src/directory/ad/to-ad-object.js";
import type { AdObject } from "../../../src/model/directory.js";
import { InputError } from "../../../src/model/errors.js";
import { tempDir } from "../../support/files.js";
import { GENERATED_BASE, generateExport } from "./ldif-generator.js";

const SEEDS = Array.from({ length: 30 }, (_, i) => 1000 + i);

const byDn = (a: AdObject, b: AdObject): number => (a.dn < b.dn ? -1 : a.dn > b.dn ? 1 : 0);

async function read(content: Buffer, baseDN?: string): Promise<Awaited<ReturnType<typeof readLdifSnapshot>>> {
  const dir = tempDir({ "ad.ldif": content });
  try {
    return await readLdifSnapshot(path.join(dir.dir, "ad.ldif"), baseDN === undefined ? {} : { baseDN });
  } finally {
    dir.remove();
  }
}

function syntaxLine(text: string): number {
  try {
    parseLdif(text);
  } catch (error) {
    if (error instanceof LdifSyntaxError) return error.line;
    throw error;
  }
  throw new Error("parsed without error");
}

describe("the LDIF reader on generated exports", () => {
  it.each(SEEDS)("seed %i: parses every entry, its dn line and its values as written", (seed) => {
    const generated = generateExport(seed, { entries: 60, exchange: seed % 2 === 0 });

    const records = parseLdif(generated.text);

    expect(records).toEqual(generated.entries);
  });

  it.each(SEEDS)(
    "seed %i: maps the users, contacts and groups under the base DN to AdObjects",
    async (seed) => {
      const generated = generateExport(seed, { entries: 60, exchange: seed % 2 === 0 });

      const [scoped, whole] = await Promise.all([
        read(generated.content, GENERATED_BASE),
        read(generated.content),
      ]);

      const expected = (inBaseOnly: boolean): AdObject[] =>
        generated.objects.filter((o) => o.inBase || !inBaseOnly).map((o) => o.object);
      expect([...scoped.objects].sort(byDn)).toEqual(expected(true).sort(byDn));
      expect([...whole.objects].sort(byDn)).toEqual(expected(false).sort(byDn));
      expect([scoped.exchangeSchema, whole.exchangeSchema]).toEqual([
        generated.exchangeSchema,
        generated.exchangeSchema,
      ]);
      // Listed in the tree order the live reader's toAdState gives.
      expect(scoped.objects).toEqual(toAdState([...scoped.objects].reverse()).objects);
    },
  );

  it.each(SEEDS.slice(0, 10))("seed %i: reports a line planted before an entry at its line", (seed) => {
    const generated = generateExport(seed, { entries: 40, exchange: false });
    const lines = generated.text.split(generated.eol);
    const entry = generated.entries[Math.floor(generated.entries.length / 2)]!;

    lines.splice(entry.line - 1, 0, "this line has no colon");

    expect(syntaxLine(lines.join(generated.eol))).toBe(entry.line);
  });

  it.each(SEEDS.slice(0, 10))(
    "seed %i: reports a continuation after a blank line first, even after an earlier problem",
    (seed) => {
      const generated = generateExport(seed, { entries: 40, exchange: false });
      const lines = generated.text.split(generated.eol);
      const early = generated.entries[5]!;
      const late = generated.entries[30]!;
      // Before the late entry's dn there is a blank line (perhaps a comment, or a ref record, between).
      let blank = late.line - 2;
      while (lines[blank] !== "") blank--;

      lines.splice(blank + 1, 0, " stray continuation");
      lines.splice(early.line - 1, 0, "this line has no colon");

      expect(syntaxLine(lines.join(generated.eol))).toBe(blank + 3);
    },
  );

  it("reports a syntax error after an entry with a problem, not the entry's problem", async () => {
    const generated = generateExport(7, { entries: 40, exchange: false });
    const lines = generated.text.split(generated.eol);
    const late = generated.entries[35]!;
    lines.splice(late.line - 1, 0, "this line has no colon");
    lines.splice(
      generated.entries[1]!.line - 1,
      0,
      `dn: CN=No Guid,OU=Staff,${GENERATED_BASE}`,
      "objectClass: user",
      "",
    );

    const error = await read(Buffer.from(lines.join(generated.eol)), GENERATED_BASE).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).position?.line).toBe(late.line + 3);
  });
});
