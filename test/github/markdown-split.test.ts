import { describe, expect, it } from "@jest/globals";

import { isBalancedMarkdown, splitMarkdown, utf8Length } from "../../src/github/markdown-split.js";
import { balanced } from "./fixtures.js";

function details(title: string, items: number, width = 60): string {
  const lines = Array.from({ length: items }, (_, i) => `- item ${title}-${i} ${"x".repeat(width)}`);
  return [`<details><summary>${title}</summary>`, "", ...lines, "", "</details>"].join("\n");
}

describe("splitMarkdown", () => {
  it("returns short markdown as one part, unchanged", () => {
    const md = `### t\n\n${details("a", 3)}\n`;

    const parts = splitMarkdown(md, 10_000);

    expect(parts).toEqual([md]);
  });

  it("cuts between <details> blocks, never inside one that fits a part", () => {
    const md = ["### plan", "", details("A", 20), "", details("B", 20), "", details("C", 20), ""].join("\n");
    const limit = 2 * details("A", 20).length + 30;

    const parts = splitMarkdown(md, limit);

    expect(parts.length).toBe(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(limit);
      expect(balanced(part)).toBe(true);
    }
    expect(parts[0]).toContain("<details><summary>A</summary>");
    expect(parts[1]).toMatch(/^<details><summary>C<\/summary>/);
  });

  it("reopens a <details> block too long for one part with a (continued) summary", () => {
    const md = details("Will join (300)", 300);

    const parts = splitMarkdown(md, 5_000);

    expect(parts.length).toBeGreaterThan(3);
    expect(parts[0]).toMatch(/^<details><summary>Will join \(300\)<\/summary>\n\n- item/);
    for (const part of parts.slice(1)) {
      expect(part).toMatch(/^<details><summary>Will join \(300\) \(continued\)<\/summary>\n\n- item/);
    }
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(5_000);
      expect(balanced(part)).toBe(true);
      expect(part.endsWith("</details>")).toBe(true);
    }
    const items = parts.join("\n").match(/^- item .*$/gm) ?? [];
    expect(items).toEqual(md.match(/^- item .*$/gm));
  });

  it("closes and reopens a long code fence with its info string", () => {
    const body = Array.from({ length: 400 }, (_, i) => `line ${i} ${"y".repeat(40)}`);
    const md = ["intro", "", "```yaml", ...body, "```", "", "outro"].join("\n");

    const parts = splitMarkdown(md, 4_000);

    expect(parts.length).toBeGreaterThan(4);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4_000);
      expect(balanced(part)).toBe(true);
    }
    expect(parts.slice(1, -1).every((p) => p.startsWith("```yaml\n"))).toBe(true);
    const lines = parts
      .join("\n")
      .split("\n")
      .filter((l) => l.startsWith("line "));
    expect(lines).toEqual(body);
  });

  it("splits a code fence nested in a <details> block, keeping both balanced and every line", () => {
    const code = Array.from({ length: 150 }, (_, i) => `dn: CN=u${i},OU=Staff ${"z".repeat(30)}`);
    const md = [
      "### t",
      "",
      "lead " + "p".repeat(1_500),
      "",
      "<details><summary>LDIF</summary>",
      "",
      "```ldif",
      ...code,
      "```",
      "",
      "</details>",
      "",
    ].join("\n");

    const parts = splitMarkdown(md, 2_000);

    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2_000);
      expect(balanced(part)).toBe(true);
    }
    expect(
      parts
        .join("\n")
        .split("\n")
        .filter((l) => l.startsWith("dn: ")),
    ).toEqual(code);
  });

  it("keeps a list item together with its nested lines", () => {
    const items = Array.from(
      { length: 200 },
      (_, i) => `- **u${i}** -> cloud\n  - \`change ${i}\`\n  - error ${i}`,
    );
    const md = items.join("\n");

    const parts = splitMarkdown(md, 3_000);

    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part).toMatch(/^- \*\*u\d+\*\*/);
      expect(part).toMatch(/ {2}- error \d+$/);
    }
  });

  it("repeats a table's header in every part of a long table", () => {
    const rows = Array.from({ length: 300 }, (_, i) => `| u${i} | error | \`Code\` | message ${i} |`);
    const md = ["| who | severity | code | message |", "|---|---|---|---|", ...rows].join("\n");

    const parts = splitMarkdown(md, 2_500);

    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts)
      expect(part.startsWith("| who | severity | code | message |\n|---|---|---|---|\n")).toBe(true);
  });

  it("does not leave a heading at the end of a part", () => {
    const md = ["para one " + "a".repeat(900), "", "#### Errors", "", "b".repeat(900)].join("\n");

    const parts = splitMarkdown(md, 1_000);

    expect(parts).toEqual(["para one " + "a".repeat(900), "#### Errors\n\n" + "b".repeat(900)]);
  });

  it("measures in bytes when asked, so multi-byte text stays within a byte limit", () => {
    const md = details("Ünïcödé", 100, 30).replace(/x/g, "€");

    const parts = splitMarkdown(md, 3_000, utf8Length);

    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(3_000);
  });
});

describe("isBalancedMarkdown", () => {
  it("rejects an unclosed details block or fence and accepts closed ones", () => {
    expect(isBalancedMarkdown("<details><summary>x</summary>\n\n- a\n")).toBe(false);
    expect(isBalancedMarkdown("```\ncode\n")).toBe(false);
    expect(isBalancedMarkdown("```\n</details>\n```\n")).toBe(true);
    expect(isBalancedMarkdown(details("x", 2))).toBe(true);
  });
});
