import { describe, expect, it } from "@jest/globals";

import type { Block } from "../../src/render/blocks.js";
import { blocksToMarkdown, markdownSize, packBlocks, text, utf8Length } from "../../src/render/blocks.js";

const items = (n: number, width = 60): string[] =>
  Array.from({ length: n }, (_, i) => `- item ${String(i).padStart(4, "0")} ${"x".repeat(width)}`);

const folded = (list: string[]): Block => ({
  kind: "list",
  open: "<details><summary>Things</summary>\n",
  reopen: "<details><summary>Things (continued)</summary>\n",
  close: "\n</details>",
  items: list,
  unit: "things",
});

const shown = (parts: string[]): string[] => parts.join("\n").match(/^- item \d{4}/gm) ?? [];

describe("packBlocks", () => {
  it("keeps what fits in one part as it is", () => {
    const blocks = [text("### title"), folded(items(3))];

    const { parts, truncated } = packBlocks(blocks, { limit: 10_000 });

    expect(parts).toEqual([blocksToMarkdown(blocks).trimEnd()]);
    expect(truncated).toBe(false);
  });

  it("cuts a list between its items, reopening and closing the fold in every part", () => {
    const list = items(400);

    const { parts, truncated } = packBlocks([text("### title"), folded(list)], { limit: 5_000 });

    expect(truncated).toBe(false);
    expect(parts.length).toBeGreaterThan(5);
    for (const [index, part] of parts.entries()) {
      expect(part.length).toBeLessThanOrEqual(5_000);
      expect(part.match(/<details>/g)).toHaveLength(1);
      expect(part.endsWith("</details>")).toBe(true);
      if (index > 0) expect(part.startsWith("<details><summary>Things (continued)</summary>")).toBe(true);
    }
    expect(shown(parts)).toEqual(list.map((l) => l.slice(0, 11)));
  });

  it("with a bound on parts, says how many items are left out and keeps the later headings", () => {
    const list = items(1_000);
    const blocks = [folded(list), text("#### After the list"), folded(items(50))];

    const { parts, truncated } = packBlocks(blocks, {
      limit: 8_000,
      maxParts: 3,
      overflowNote: "NOTE: the rest is in the plan file",
    });

    expect(truncated).toBe(true);
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(8_000);
    const last = parts[2]!;
    const listed = shown(parts).length;
    const more = [...last.matchAll(/… ([\d,]+) more things in the plan file/g)].map((m) =>
      Number(m[1]!.replace(/,/g, "")),
    );
    expect(more.reduce((a, b) => a + b, 0)).toBe(1_050 - listed);
    expect(last).toContain("#### After the list");
    expect(last.endsWith("NOTE: the rest is in the plan file")).toBe(true);
  });

  it("measures bytes when asked, and closes what a cut of one long text leaves open", () => {
    const long = text(
      ["<details><summary>é</summary>", "", ...items(200, 40).map((l) => `${l} é`), "</details>"].join("\n"),
    );

    const { parts, truncated } = packBlocks([long], { limit: 3_000, measure: utf8Length, maxParts: 1 });

    expect(truncated).toBe(true);
    expect(utf8Length(parts[0]!)).toBeLessThanOrEqual(3_000);
    expect(parts[0]!.match(/<details>/g)?.length).toBe(parts[0]!.match(/<\/details>/g)?.length);
  });
});

describe("markdownSize", () => {
  it("is the size of blocksToMarkdown's text, empty pieces and non-ASCII included", () => {
    let seed = 7;
    const next = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const word = (): string => ["", "a", "é", "日本", "- x", "\n", "**b**"][Math.floor(next() * 7)]!;
    for (let n = 0; n < 500; n++) {
      const blocks: Block[] = Array.from({ length: Math.floor(next() * 5) }, () =>
        next() < 0.4
          ? text(...Array.from({ length: Math.floor(next() * 3) }, word))
          : {
              kind: "list",
              open: word(),
              reopen: word(),
              close: word(),
              items: Array.from({ length: Math.floor(next() * 4) }, word),
              unit: "things",
            },
      );
      expect(markdownSize(blocks, utf8Length)).toBe(utf8Length(blocksToMarkdown(blocks)));
    }
  });
});
