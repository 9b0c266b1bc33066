/**
 * The fast reader against the yaml package, the parser of record: wherever the fast reader accepts
 * a text, both must give the same documents, the same values and the same start offset for every
 * node and key. Samples: every YAML file of the repository, generated estates in both styles
 * idanchor writes (one-line flow entries, and `import`'s block style), the is_email corpus's
 * addresses in every quoting, and random texts built from YAML's pieces.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@jest/globals";
import { XMLParser } from "fast-xml-parser";
import { isMap, isPair, isScalar, isSeq, parseAllDocuments } from "yaml";
import type { Node } from "yaml";

import { fastParseYaml, offsetOf } from "../../src/desired/fast-yaml.js";
import type { PositionNode } from "../../src/desired/fast-yaml.js";
import { generateEstate, layoutFor } from "../../bench/estate.js";
import { mulberry32 } from "../support/graph-server-faults.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** yaml's view: value, and [path, offset] for every node and every key, in document order. */
function yamlView(text: string): { value: unknown; start: number; offsets: string[] }[] | null {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return null;
  return docs.map((doc) => {
    const offsets: string[] = [];
    const walk = (node: Node | null, at: string): void => {
      if (node === null) return;
      offsets.push(`${at} @${node.range?.[0]}`);
      if (isMap(node))
        for (const pair of node.items) {
          if (!isPair(pair) || !isScalar(pair.key)) throw new Error("unexpected key");
          const key = String(pair.key.value);
          offsets.push(`${at}/${key} key@${pair.key.range?.[0]}`);
          walk(pair.value as Node | null, `${at}/${key}`);
        }
      else if (isSeq(node)) node.items.forEach((item, i) => walk(item as Node, `${at}/${i}`));
    };
    walk(doc.contents, "");
    return { value: doc.toJS({ maxAliasCount: 100 }) as unknown, start: doc.range[0], offsets };
  });
}

function fastView(text: string): { value: unknown; start: number; offsets: string[] }[] | null {
  const docs = fastParseYaml(text);
  if (docs === null) return null;
  return docs.map((doc) => {
    const offsets: string[] = [];
    const walk = (node: PositionNode | null, at: string): void => {
      if (node === null) return;
      offsets.push(`${at} @${offsetOf(node)}`);
      if (typeof node === "number") return;
      if ("names" in node)
        node.names.forEach((key, i) => {
          offsets.push(`${at}/${key} key@${node.keys[i]}`);
          walk(node.values[i]!, `${at}/${key}`);
        });
      else node.items.forEach((item, i) => walk(item, `${at}/${i}`));
    };
    walk(doc.root, "");
    return { value: doc.value, start: doc.start, offsets };
  });
}

/** Both readers agree; returns whether the fast reader took the text at all. */
function agree(text: string): boolean {
  const fast = fastView(text);
  if (fast === null) return false;
  const reference = yamlView(text);
  // The fast reader must never accept what the yaml package refuses.
  expect({ text, reference: reference === null ? "refused by yaml" : "read" }).toEqual({
    text,
    reference: "read",
  });
  expect({ text, docs: fast }).toEqual({ text, docs: reference });
  return true;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === ".git" || name.startsWith("dist")) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/i.test(name)) out.push(full);
  }
  return out;
}

function corpusAddresses(): string[] {
  const xml = readFileSync(path.join(root, "test/fixtures/isemail/tests.xml"), "utf8");
  const parsed = new XMLParser({ parseTagValue: false, trimValues: false }).parse(xml) as {
    tests: { test: { address: string | number }[] };
  };
  return parsed.tests.test.map((t) => String(t.address ?? ""));
}

describe("the fast YAML reader agrees with the yaml package", () => {
  it("on every YAML file of the repository, and reads the desired-state ones itself", () => {
    const files = yamlFiles(root);
    expect(files.length).toBeGreaterThan(10);
    const taken = files.filter((file) => agree(readFileSync(file, "utf8")));
    // The sample identities and the example Settings are plain YAML: the fast reader takes them.
    for (const file of files.filter((f) => /[\\/](identities|examples)[\\/]/.test(f)))
      expect({ file, taken: taken.includes(file) }).toEqual({ file, taken: true });
  });

  it("on generated estates: one-line flow entries and block-style entries", () => {
    const estate = generateEstate(1000, layoutFor("DC=bench,DC=test"));
    const flow = `kind: IdentityMap\nidentities:\n${estate.identityLines.join("\n")}\n`;
    expect(agree(flow)).toBe(true);
    // The same entries written in block style, with comments, blank lines and quoted scalars.
    const entries = fastParseYaml(flow)![0]!.value as { identities: Record<string, unknown>[] };
    const block = ["# a comment", "kind: IdentityMap", "identities:"];
    entries.identities.forEach((entry, i) => {
      const lines = Object.entries(entry).map(([key, value]) => {
        if (Array.isArray(value) && value.length === 0) return `${key}: []`;
        if (Array.isArray(value))
          return `${key}:\n${value.map((v) => `      - ${i % 2 ? JSON.stringify(v) : `'${String(v)}'`}`).join("\n")}`;
        if (typeof value === "object" && value !== null) {
          const [[k, v]] = Object.entries(value) as [[string, unknown]];
          return `${key}:\n      ${k}: ${JSON.stringify(v)}`;
        }
        return `${key}: ${String(value)}${i % 3 === 0 ? "   # note" : ""}`;
      });
      block.push(`  - ${lines.join("\n    ")}`, i % 5 === 0 ? "" : "  # between");
    });
    expect(agree(`${block.join("\n")}\n`)).toBe(true);
    expect(agree(`---\n${block.join("\r\n")}\r\n---\nkind: IdentityMap\nidentities: []\n...\n`)).toBe(true);
  });

  it("on every address of the is_email corpus, plain, single- and double-quoted", () => {
    let taken = 0;
    for (const address of corpusAddresses()) {
      const single = `'${address.replace(/'/g, "''")}'`;
      for (const value of [address, single, JSON.stringify(address)]) {
        for (const text of [
          `smtp: ${value}\n`,
          `aliases: [${value}, x@contoso.com]\n`,
          `- {smtp: ${value}, cloud: u1@contoso.com}\n`,
          `aliases:\n  - ${value}\n`,
        ])
          if (agree(text)) taken += 1;
      }
    }
    // Most of the corpus is ordinary text; the rest is left to the yaml package.
    expect(taken).toBeGreaterThan(1000);
  });

  it("on random texts built from YAML's pieces (anything the fast reader takes)", () => {
    const random = mulberry32(21);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const scalars = [
      "u1",
      "a b",
      "x@y.com",
      "'q''s'",
      '"d\\"q\\u00e9"',
      "true",
      "False",
      "null",
      "~",
      "12",
      "012",
      "-3",
      "1.5",
      "1e3",
      "0x1F",
      ".inf",
      "a:b",
      "a #c",
      "-x",
      ":x",
      "?x",
      "00000001-0000-4000-8000-00000000138b",
      "CN=a,OU=b",
      '"CN=a,OU=b"',
      "[a, b]",
      "{k: v}",
      "[]",
      "{}",
      "&a x",
      "*a",
      "!t x",
      "|",
      "a: b",
      "[a,b,]",
      "{a: [1, {b: c}]}",
      '"unterminated',
      "é ü",
    ];
    const keys = ["kind", "ad", "cloud", "a b", "'q'", '"k"', "dn", "x", "1", "true", "<<"];
    let taken = 0;
    for (let n = 0; n < 4000; n++) {
      const lines: string[] = [];
      const emit = (depth: number, indent: string): void => {
        const count = 1 + Math.floor(random() * 3);
        const seq = random() < 0.4;
        for (let i = 0; i < count; i++) {
          const lead = seq ? `${indent}- ` : indent;
          const key = seq && random() < 0.5 ? "" : `${pick(keys)}:`;
          if (depth < 3 && random() < 0.35) {
            lines.push(`${lead}${key}`.trimEnd() || `${indent}-`);
            emit(depth + 1, `${indent}  `);
          } else lines.push(`${lead}${key}${key ? " " : ""}${pick(scalars)}${random() < 0.1 ? " # c" : ""}`);
          if (random() < 0.1) lines.push(random() < 0.5 ? "" : `${indent}# comment`);
        }
      };
      emit(0, random() < 0.1 ? " " : "");
      const text = `${random() < 0.2 ? "---\n" : ""}${lines.join("\n")}\n`;
      if (agree(text)) taken += 1;
    }
    expect(taken).toBeGreaterThan(400);
  });
});
