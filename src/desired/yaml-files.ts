/**
 * Parsing YAML text into documents that remember where every node stands, so that every
 * later stage can point at file:line:col. Pure: takes text, returns documents and findings.
 */
import { LineCounter, parseAllDocuments, isMap, isPair, isScalar, isSeq } from "yaml";
import type { Document, Node, ParsedNode } from "yaml";

import { tooDeepMessage, yamlTooDeep } from "../model/nesting.js";
import { fastParseYaml, offsetOf } from "./fast-yaml.js";
import type { FastDocument, PositionNode } from "./fast-yaml.js";
import type { Position, ValidationFinding } from "./types.js";

export interface SourceFile {
  /** The path shown to the user. */
  path: string;
  text: string;
}

export interface ParsedDocument {
  file: string;
  /** The document as plain data (aliases expanded, bounded). */
  value: unknown;
  /** Where the node at a JSON-pointer-like path starts, or the deepest ancestor that exists. */
  at(path: readonly (string | number)[]): Position;
  /** The same place as `at`, as an offset into the text: kept where a finding may point later. */
  offsetAt(path: readonly (string | number)[]): number;
  /** The line and column of an offset from `offsetAt` (only the file's line starts are kept for it). */
  positionOf: (offset: number) => Position;
  /** Where the key `key` of the mapping at `path` starts (for "unknown key" findings). */
  keyAt(path: readonly (string | number)[], key: string): Position;
}

/** Bounds alias expansion: a "billion laughs" document fails fast instead of eating memory. */
const MAX_ALIAS_COUNT = 100;

/** 1-based line and column of an offset, as yaml's LineCounter gives them. */
function positionIn(file: string, lineStarts: readonly number[], offset: number): Position {
  let low = 0;
  let high = lineStarts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lineStarts[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  if (lineStarts[low] === offset) return { file, line: low + 1, column: 1 };
  if (low === 0) return { file, line: 0, column: offset };
  return { file, line: low, column: offset - lineStarts[low - 1]! + 1 };
}

/**
 * Offset -> position in one file. Made here, not beside a document's other closures: V8 gives the
 * closures of one function one shared context, so one made there would keep the whole document.
 */
function positionsIn(file: string, lineStarts: readonly number[]): (offset: number) => Position {
  return (offset) => positionIn(file, lineStarts, offset);
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** The node at `path` in a fast-read document, or the deepest ancestor that exists (as nodeAt below). */
function fastNode(root: PositionNode, path: readonly (string | number)[]): PositionNode {
  let node = root;
  for (const segment of path) {
    if (typeof node === "number") return node;
    if ("names" in node) {
      const index = node.names.indexOf(String(segment));
      if (index === -1) return node;
      node = node.values[index]!;
    } else if (typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) return node;
      node = item;
    } else return node;
  }
  return node;
}

function fastDocument(file: string, lineStarts: readonly number[], doc: FastDocument): ParsedDocument {
  const position = positionsIn(file, lineStarts);
  const offsetAt = (path: readonly (string | number)[]): number =>
    doc.root === null ? doc.start : offsetOf(fastNode(doc.root, path));
  return {
    file,
    value: doc.value,
    at: (path) => position(offsetAt(path)),
    offsetAt,
    positionOf: position,
    keyAt: (path, key) => {
      if (doc.root === null) return position(doc.start);
      const parent = fastNode(doc.root, path);
      if (typeof parent === "number" || !("names" in parent)) return position(offsetOf(parent));
      const index = parent.names.indexOf(key);
      return position(index === -1 ? parent.offset : parent.keys[index]!);
    },
  };
}

function yamlDocument(
  file: string,
  lines: LineCounter,
  doc: Document.Parsed,
  value: unknown,
): ParsedDocument {
  const offset = (node: ParsedNode | null): number => node?.range?.[0] ?? doc.range[0];
  const positionOf = positionsIn(file, lines.lineStarts);
  return {
    file,
    value,
    at: (path) => positionIn(file, lines.lineStarts, offset(nodeAt(doc, path))),
    offsetAt: (path) => offset(nodeAt(doc, path)),
    positionOf,
    keyAt: (path, key) => positionIn(file, lines.lineStarts, offset(keyNodeAt(doc, path, key))),
  };
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
  // Most files are plain block and one-line flow YAML: read those without building a Document.
  // (The fast reader leaves anything nested deeper than MAX_NESTING to the checks below.)
  const fast = fastParseYaml(source.text);
  if (fast !== null) {
    const starts = lineStartsOf(source.text);
    for (const doc of fast) documents.push(fastDocument(source.path, starts, doc));
    return { documents, findings };
  }
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
      const where = positionIn(source.path, lines.lineStarts, error.pos[0]);
      findings.push({ ...where, severity: "error", code: "YamlSyntax", message: firstLine(error.message) });
      continue;
    }
    const start = positionIn(source.path, lines.lineStarts, doc.range[0]);
    try {
      const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      documents.push(yamlDocument(source.path, lines, doc, value));
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
function nodeAt(doc: Document.Parsed, path: readonly (string | number)[]): ParsedNode | null {
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
function keyNodeAt(doc: Document.Parsed, path: readonly (string | number)[], key: string): ParsedNode | null {
  const parent = nodeAt(doc, path);
  if (!isMap(parent)) return parent;
  const pair = parent.items.find(
    (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key,
  );
  return pair?.key ?? parent;
}
