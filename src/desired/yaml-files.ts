/**
 * Parsing YAML text into documents that remember where every node stands, so that every
 * later stage can point at file:line:col. Pure: takes text, returns documents and findings.
 */
import { LineCounter, parseAllDocuments, isMap, isPair, isScalar, isSeq } from "yaml";
import type { Document, Node, ParsedNode } from "yaml";

import { tooDeepMessage, yamlTooDeep } from "../model/nesting.js";
import type { Position, ValidationFinding } from "./types.js";

export interface SourceFile {
  /** The path shown to the user. */
  path: string;
  text: string;
}

export interface ParsedDocument {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The document as plain data (aliases expanded, bounded). */
  value: unknown;
}

/** Bounds alias expansion: a "billion laughs" document fails fast instead of eating memory. */
const MAX_ALIAS_COUNT = 100;

export function positionAt(file: string, lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { file, line, column: col };
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}

export function parseYamlFile(source: SourceFile): {
  documents: ParsedDocument[];
  findings: ValidationFinding[];
} {
  const lines = new LineCounter();
  const findings: ValidationFinding[] = [];
  const documents: ParsedDocument[] = [];
  // Before the parser: it recurses, and thousands of levels would exhaust the stack.
  const deep = yamlTooDeep(source.text);
  if (deep) {
    const message = tooDeepMessage(source.path, deep);
    findings.push({ file: source.path, ...deep, severity: "error", code: "NestingTooDeep", message });
    return { documents, findings };
  }
  const docs = parseAllDocuments(source.text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    // Later syntax errors in a document are mostly echoes of the first one: report that one.
    const [error] = doc.errors;
    if (error) {
      const where = positionAt(source.path, lines, error.pos[0]);
      findings.push({ ...where, severity: "error", code: "YamlSyntax", message: firstLine(error.message) });
      continue;
    }
    const start = positionAt(source.path, lines, doc.range[0]);
    try {
      const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      documents.push({ file: source.path, doc, lines, value });
    } catch (error) {
      const message =
        error instanceof ReferenceError && /alias/i.test(error.message)
          ? `YAML aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT}); write the values out instead of using anchors and aliases`
          : `cannot read this YAML document: ${firstLine(error instanceof Error ? error.message : String(error))}`;
      findings.push({ ...start, severity: "error", code: "YamlSyntax", message });
    }
  }
  return { documents, findings };
}

/** The node at a JSON-pointer-like path, or the deepest ancestor that exists. */
export function nodeAt(doc: Document.Parsed, path: readonly (string | number)[]): ParsedNode | null {
  let node: Node | null = doc.contents;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return node as ParsedNode;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (!item) return node as ParsedNode;
      node = item;
    } else {
      return node as ParsedNode | null;
    }
  }
  return node as ParsedNode | null;
}

/** The key node of `key` inside the map at `path` (for "unknown key" findings). */
export function keyNodeAt(
  doc: Document.Parsed,
  path: readonly (string | number)[],
  key: string,
): ParsedNode | null {
  const parent = nodeAt(doc, path);
  if (!isMap(parent)) return parent;
  const pair = parent.items.find(
    (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key,
  );
  return pair?.key ?? parent;
}

export function positionOf(parsed: ParsedDocument, node: ParsedNode | null): Position {
  const offset = node?.range?.[0] ?? parsed.doc.range[0];
  return positionAt(parsed.file, parsed.lines, offset);
}
