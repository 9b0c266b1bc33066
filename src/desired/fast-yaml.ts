/**
 * A fast reader for the plain YAML that idanchor's files are written in: block mappings and
 * sequences, one-line flow collections, plain and quoted scalars, comments and document markers.
 * It returns null for anything else (anchors, tags, block scalars, multi-line scalars or flow
 * collections, duplicate keys, tabs, any syntax error), and the yaml package, the parser of record,
 * reads that file instead. Where it does read a file, it gives the same values as the yaml
 * package's `toJS()` and the same start offset for every node (test/desired/fast-yaml.test.ts
 * compares both on every YAML file of the repository and on generated estates): the yaml package
 * builds a Document with a CST and a node object for every scalar, and at 100,000 identities
 * that is most of the time of loading the desired state. Pure.
 */

import { fitted } from "../model/arrays.js";
import {
  APOSTROPHE,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  CR,
  DASH,
  HASH,
  NL,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  SPACE,
} from "../model/char-codes.js";
import { asciiBytes } from "../model/text-encoding.js";

/** `,[]{}`: the characters that end a plain scalar inside a flow collection. */
const isFlowIndicator = (c: number): boolean =>
  c === COMMA || c === OPEN_BRACKET || c === CLOSE_BRACKET || c === OPEN_BRACE || c === CLOSE_BRACE;

/** Where a node starts (yaml's `range[0]`): a scalar's is the number itself. */
export type PositionNode = number | PositionMap | PositionSeq;

/** A mapping: where it starts, its keys in order, where each key starts and each value's node. */
export interface PositionMap {
  offset: number;
  names: string[];
  keys: number[];
  values: PositionNode[];
}

export interface PositionSeq {
  offset: number;
  items: PositionNode[];
}

/** Where the node starts. */
export const offsetOf = (node: PositionNode): number => (typeof node === "number" ? node : node.offset);

export interface FastDocument {
  value: unknown;
  /** The document's contents; null for an empty document. */
  root: PositionNode | null;
  /** Where the document starts: its `---` marker, else its contents (yaml's `doc.range[0]`). */
  start: number;
}

/** Thrown (never escapes this module) when the text leaves the subset: the caller falls back. */
const BAIL = new Error("fast-yaml: not in the subset");

const MAX_DEPTH = 16;

interface Parsed {
  value: unknown;
  node: PositionNode;
}

const INT = /^[-+]?[0-9]+$/;
// What else the core schema reads as a number (its float, exponent, inf/nan, octal and hex forms): left to yaml.
const NUMBER_LIKE =
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$/;

/** A plain scalar's value under the YAML 1.2 core schema (the yaml package's default). */
function plainValue(text: string): unknown {
  switch (text) {
    case "~":
    case "null":
    case "Null":
    case "NULL":
      return null;
    case "true":
    case "True":
    case "TRUE":
      return true;
    case "false":
    case "False":
    case "FALSE":
      return false;
  }
  const c = text.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === DASH || c === 46) {
    if (INT.test(text)) {
      // yaml reads "0123" as 123 and "-0" as -0: numbers are left to it unless plainly written.
      if (!/^(?:0|-?[1-9][0-9]*)$/.test(text)) throw BAIL;
      const n = Number(text);
      if (!Number.isSafeInteger(n)) throw BAIL;
      return n;
    }
    if (NUMBER_LIKE.test(text)) throw BAIL;
  }
  return text;
}

/** Characters a plain scalar may not start with (YAML c-indicator), except `-?:` before a safe character. */
function plainStartOk(text: string, i: number, end: number, flow: boolean): boolean {
  const c = text[i];
  switch (c) {
    case "-":
    case "?":
    case ":": {
      const next = i + 1 < end ? text.charCodeAt(i + 1) : NL;
      if (next === SPACE || next === NL) return false;
      if (flow && ",[]{}".includes(text[i + 1]!)) return false;
      return true;
    }
    case ",":
    case "[":
    case "]":
    case "{":
    case "}":
    case "#":
    case "&":
    case "*":
    case "!":
    case "|":
    case ">":
    case "'":
    case '"':
    case "%":
    case "@":
    case "`":
      return false;
  }
  return true;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
  "0": "\0",
  " ": " ",
};

class Reader {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private line = 0;
  /**
   * Collections open around the current node. idanchor's files need fewer than 10 levels; anything
   * deeper is left to the yaml path, whose nesting guard (model/nesting.ts, 64 levels) then speaks.
   */
  private depth = 0;
  /**
   * The text as bytes when it is ASCII: values are copied out of them. A slice of the text (V8
   * slices strings of 13 characters or more) would keep the whole file alive as long as the value.
   */
  private readonly ascii: Buffer | undefined;
  /**
   * The flow reader's state, kept on the reader rather than in closures and small result objects
   * (one identity per line made ~5 of each): where it stands, and the node of what it read last.
   */
  private cursor = 0;
  private flowNode: PositionNode = 0;

  constructor(private readonly text: string) {
    if (text.includes("\t") || /\r(?!\n)/.test(text)) throw BAIL; // tabs, and a CR that ends no line
    this.ascii = asciiBytes(text);
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      let end = nl === -1 ? text.length : nl;
      if (end > start && text.charCodeAt(end - 1) === CR) end -= 1;
      this.starts.push(start);
      this.ends.push(end);
      if (nl === -1) break;
      start = nl + 1;
    }
  }

  /** The text from `from` to `to`, as a string of its own where it can be. */
  private value(from: number, to: number): string {
    return this.ascii === undefined ? this.text.slice(from, to) : this.ascii.toString("latin1", from, to);
  }

  /** Column of the first non-space character, or -1 for a blank or comment-only line. */
  private indentOf(line: number): number {
    const start = this.starts[line]!;
    const end = this.ends[line]!;
    let i = start;
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    if (i === end || this.text.charCodeAt(i) === HASH) return -1;
    return i - start;
  }

  private skipBlank(): void {
    while (this.line < this.starts.length && this.indentOf(this.line) === -1) this.line++;
  }

  private isMarker(line: number, marker: "---" | "..."): boolean {
    const start = this.starts[line]!;
    const end = this.ends[line]!;
    if (!this.text.startsWith(marker, start)) return false;
    if (end === start + 3) return true;
    const after = this.text.charCodeAt(start + 3);
    if (after !== SPACE) return false;
    // `--- value` (content on the marker line) is outside the subset; `--- # comment` is not.
    let i = start + 3;
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    if (i < end && this.text.charCodeAt(i) !== HASH) throw BAIL;
    return true;
  }

  documents(): FastDocument[] {
    const docs: FastDocument[] = [];
    let explicit = -1;
    for (;;) {
      this.skipBlank();
      if (this.line >= this.starts.length) {
        if (explicit !== -1) docs.push({ value: null, root: null, start: explicit });
        return docs;
      }
      const first = this.starts[this.line]!;
      if (this.text.charCodeAt(first) === 37) throw BAIL; // a directive (%YAML, %TAG)
      if (this.isMarker(this.line, "---")) {
        if (explicit !== -1) docs.push({ value: null, root: null, start: explicit });
        explicit = first;
        this.line++;
        continue;
      }
      if (this.isMarker(this.line, "...")) throw BAIL;
      const contentLine = this.starts[this.line]!;
      const parsed = this.block(0);
      docs.push({ value: parsed.value, root: parsed.node, start: explicit !== -1 ? explicit : contentLine });
      explicit = -1;
      this.skipBlank();
      if (this.line >= this.starts.length) return docs;
      if (this.isMarker(this.line, "...")) {
        this.line++;
        this.skipBlank();
        if (this.line < this.starts.length && !this.isMarker(this.line, "---")) throw BAIL;
        continue;
      }
      if (!this.isMarker(this.line, "---")) throw BAIL; // content left over at a lower indent
    }
  }

  /** A block node whose first line is the current one, indented at least `min`. */
  private block(min: number): Parsed {
    if (++this.depth > MAX_DEPTH) throw BAIL;
    try {
      return this.blockNode(min);
    } finally {
      this.depth--;
    }
  }

  private blockNode(min: number): Parsed {
    this.skipBlank();
    if (this.line >= this.starts.length) throw BAIL;
    const indent = this.indentOf(this.line);
    if (indent < min) throw BAIL;
    const at = this.starts[this.line]! + indent;
    if (this.isSeqEntry(at, this.ends[this.line]!)) return this.sequence(indent);
    if (this.keyAt(at, this.ends[this.line]!) !== null) return this.mapping(at, indent);
    // A lone scalar or flow collection as the whole node.
    const parsed = this.inline(at, this.ends[this.line]!);
    this.line++;
    this.noContinuation(min - 1);
    return parsed;
  }

  private isSeqEntry(at: number, end: number): boolean {
    return this.text.charCodeAt(at) === DASH && (at + 1 === end || this.text.charCodeAt(at + 1) === SPACE);
  }

  /** A block sequence whose entries stand at column `indent`. */
  private sequence(indent: number): Parsed {
    const value: unknown[] = [];
    const items: PositionNode[] = [];
    const offset = this.starts[this.line]! + indent;
    for (;;) {
      const lineStart = this.starts[this.line]!;
      const end = this.ends[this.line]!;
      const dash = lineStart + indent;
      let i = dash + 1;
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      let parsed: Parsed;
      if (i === end || this.text.charCodeAt(i) === HASH) {
        this.line++;
        parsed = this.block(indent + 1);
      } else if (this.isSeqEntry(i, end)) {
        throw BAIL; // `- - x`: a compact nested sequence
      } else if (this.keyAt(i, end) !== null) {
        parsed = this.mapping(i, i - lineStart);
      } else {
        parsed = this.inline(i, end);
        this.line++;
        this.noContinuation(indent);
      }
      value.push(parsed.value);
      items.push(parsed.node);
      const next = this.nextAt(indent);
      if (next === null || !this.isSeqEntry(next, this.ends[this.line]!)) break;
    }
    return { value: fitted(value), node: { offset, items } satisfies PositionSeq };
  }

  /**
   * After an entry of a collection at column `indent`: where the next line's content starts when it
   * continues the collection (same indent), or null when the collection ends there.
   */
  private nextAt(indent: number): number | null {
    this.skipBlank();
    if (this.line >= this.starts.length) return null;
    const next = this.indentOf(this.line);
    if (next < indent) return null;
    if (next > indent) throw BAIL;
    if (this.isDocumentEnd(this.line)) return null;
    return this.starts[this.line]! + indent;
  }

  private isDocumentEnd(line: number): boolean {
    return this.indentOf(line) === 0 && (this.isMarker(line, "---") || this.isMarker(line, "..."));
  }

  /**
   * A block mapping whose first key starts at offset `at` on the current line (after `- ` in a
   * sequence, or at the line's indent) and whose further keys stand at column `indent`.
   */
  private mapping(at: number, indent: number): Parsed {
    const value: Record<string, unknown> = {};
    const node: PositionMap = { offset: at, names: [], keys: [], values: [] };
    let start = at;
    for (;;) {
      const end = this.ends[this.line]!;
      const key = this.keyAt(start, end);
      if (key === null) throw BAIL;
      if (node.names.includes(key.name) || key.name === "__proto__" || key.name === "<<") throw BAIL;
      let i = key.after;
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      let parsed: Parsed;
      if (i === end || this.text.charCodeAt(i) === HASH) {
        this.line++;
        this.skipBlank();
        if (this.line >= this.starts.length) throw BAIL; // `key:` with no value: null, left to yaml
        const next = this.indentOf(this.line);
        const nextAt = this.starts[this.line]! + next;
        // A sequence may stand at the key's own indent (`key:\n- a`).
        if (next === indent && this.isSeqEntry(nextAt, this.ends[this.line]!)) parsed = this.sequence(indent);
        else if (next > indent) parsed = this.block(indent + 1);
        else throw BAIL;
      } else {
        parsed = this.inline(i, end);
        this.line++;
        this.noContinuation(indent);
      }
      value[key.name] = parsed.value;
      node.names.push(key.name);
      node.keys.push(start);
      node.values.push(parsed.node);
      const next = this.nextAt(indent);
      // A `- ` there is the sequence of an outer `key:`.
      if (next === null || this.isSeqEntry(next, this.ends[this.line]!)) break;
      start = next;
    }
    return { value, node };
  }

  /** After a one-line value: a more indented line would continue a multi-line scalar. */
  private noContinuation(indent: number): void {
    this.skipBlank();
    if (this.line < this.starts.length && this.indentOf(this.line) > indent) throw BAIL;
  }

  /** A block mapping key at `at`: its text and the offset after its `:`, or null if the line holds none. */
  private keyAt(at: number, end: number): { name: string; after: number } | null {
    const text = this.text;
    const c = text[at];
    if (c === '"' || c === "'") {
      const quoted = this.quoted(at, end);
      const colon = quoted.end;
      if (colon < end && text.charCodeAt(colon) === COLON) {
        const after = colon + 1;
        if (after === end || text.charCodeAt(after) === SPACE) {
          if (typeof quoted.value !== "string") throw BAIL;
          return { name: quoted.value, after };
        }
      }
      return null;
    }
    if (c === "{" || c === "[" || (c === "?" && at + 1 < end && text.charCodeAt(at + 1) === SPACE)) {
      // A flow collection as a key, or an explicit key: outside the subset when followed by `:`.
      if (c === "?") throw BAIL;
      return null;
    }
    for (let i = at; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === HASH && i > at && text.charCodeAt(i - 1) === SPACE) return null;
      if (ch === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) {
        let last = i;
        while (last > at && text.charCodeAt(last - 1) === SPACE) last--;
        const name = text.slice(at, last);
        if (name === "" || !plainStartOk(text, at, end, false) || /[{}[\],&*!|>'"%@`#]/.test(name))
          throw BAIL;
        if (typeof plainValue(name) !== "string") throw BAIL;
        return { name, after: i + 1 };
      }
    }
    return null;
  }

  /** A value on one line from `at` to `end`: a flow collection or a scalar, then only a comment. */
  private inline(at: number, end: number): Parsed {
    const text = this.text;
    const c = text[at];
    let parsed: Parsed;
    let i: number;
    if (c === "{" || c === "[") {
      const flow = this.flow(at, end);
      parsed = flow;
      i = flow.end;
    } else if (c === '"' || c === "'") {
      const q = this.quoted(at, end);
      parsed = { value: q.value, node: at };
      i = q.end;
    } else {
      if (!plainStartOk(text, at, end, false)) throw BAIL;
      let stop = end;
      for (let j = at; j < end; j++) {
        const ch = text.charCodeAt(j);
        if (ch === HASH && text.charCodeAt(j - 1) === SPACE) {
          stop = j;
          break;
        }
        if (ch === COLON && (j + 1 === end || text.charCodeAt(j + 1) === SPACE)) throw BAIL;
      }
      let last = stop;
      while (last > at && text.charCodeAt(last - 1) === SPACE) last--;
      return { value: plainValue(this.value(at, last)), node: at };
    }
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    if (i < end && (text.charCodeAt(i) !== HASH || text.charCodeAt(i - 1) !== SPACE)) throw BAIL;
    return parsed;
  }

  /** A quoted scalar on one line: its value and the offset after the closing quote. */
  private quoted(at: number, end: number): { value: string; end: number } {
    const text = this.text;
    if (text[at] === "'") {
      let out = "";
      let from = at + 1;
      for (;;) {
        const q = text.indexOf("'", from);
        if (q === -1 || q >= end) throw BAIL;
        out += this.value(from, q);
        if (q + 1 < end && text[q + 1] === "'") {
          out += "'";
          from = q + 2;
          continue;
        }
        return { value: out, end: q + 1 };
      }
    }
    let out = "";
    let from = at + 1;
    for (let i = from; i < end; i++) {
      const ch = text[i];
      if (ch === '"') return { value: out + this.value(from, i), end: i + 1 };
      if (ch === "\\") {
        out += this.value(from, i);
        const e = text[i + 1];
        if (e === undefined || i + 1 >= end) throw BAIL;
        if (e === "u" || e === "x" || e === "U") {
          const digits = e === "u" ? 4 : e === "x" ? 2 : 8;
          const hex = text.slice(i + 2, i + 2 + digits);
          if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex) || i + 2 + digits > end) throw BAIL;
          const code = parseInt(hex, 16);
          if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw BAIL;
          out += String.fromCodePoint(code);
          i += 1 + digits;
        } else {
          const mapped = ESCAPES[e];
          if (mapped === undefined) throw BAIL;
          out += mapped;
          i += 1;
        }
        from = i + 1;
      }
    }
    throw BAIL; // not closed on this line: a multi-line scalar
  }

  /** A flow collection that opens at `at` and closes on the same line. */
  private flow(at: number, end: number): Parsed & { end: number } {
    const value = this.flowCollection(at, end);
    return { value, node: this.flowNode, end: this.cursor };
  }

  /** Spaces from the cursor; the collection must go on on this line. */
  private flowSkip(end: number): number {
    const text = this.text;
    let i = this.cursor;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    if (i >= end) throw BAIL; // continues on the next line, or a comment inside: left to yaml
    this.cursor = i;
    return text.charCodeAt(i);
  }

  /** The flow item at the cursor: its value, with the cursor after it and flowNode its node. */
  private flowItem(end: number): unknown {
    const text = this.text;
    let i = this.cursor;
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) return this.flowCollection(i, end);
    if (c === QUOTE || c === APOSTROPHE) {
      const q = this.quoted(i, end);
      this.flowNode = i;
      this.cursor = q.end;
      return q.value;
    }
    if (!plainStartOk(text, i, end, true)) throw BAIL;
    const from = i;
    for (; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (isFlowIndicator(ch)) break;
      if (ch === COLON) {
        const next = i + 1 < end ? text.charCodeAt(i + 1) : NL;
        if (next === SPACE || next === NL || isFlowIndicator(next)) break;
      }
      if (ch === HASH && text.charCodeAt(i - 1) === SPACE) throw BAIL;
    }
    let last = i;
    while (last > from && text.charCodeAt(last - 1) === SPACE) last--;
    this.flowNode = from;
    this.cursor = i;
    return plainValue(this.value(from, last));
  }

  /** The `{...}` or `[...]` at `at`: its value, with the cursor after it and flowNode its node. */
  private flowCollection(at: number, end: number): unknown {
    if (++this.depth > MAX_DEPTH) throw BAIL;
    try {
      return this.text.charCodeAt(at) === OPEN_BRACKET
        ? this.flowSequence(at, end)
        : this.flowMapping(at, end);
    } finally {
      this.depth--;
    }
  }

  private flowSequence(at: number, end: number): unknown {
    const value: unknown[] = [];
    const items: PositionNode[] = [];
    this.cursor = at + 1;
    for (;;) {
      if (this.flowSkip(end) === CLOSE_BRACKET) {
        this.cursor++;
        this.flowNode = { offset: at, items } satisfies PositionSeq;
        return fitted(value);
      }
      const item = this.flowItem(end);
      items.push(this.flowNode);
      const next = this.flowSkip(end);
      if (next === COLON) throw BAIL; // a single-pair mapping inside a sequence
      value.push(item);
      if (next === COMMA) this.cursor++;
      else if (next !== CLOSE_BRACKET) throw BAIL;
    }
  }

  private flowMapping(at: number, end: number): unknown {
    const text = this.text;
    const value: Record<string, unknown> = {};
    const node: PositionMap = { offset: at, names: [], keys: [], values: [] };
    this.cursor = at + 1;
    for (;;) {
      const first = this.flowSkip(end);
      if (first === CLOSE_BRACE) {
        this.cursor++;
        this.flowNode = node;
        return value;
      }
      const keyAt = this.cursor;
      if (first === OPEN_BRACE || first === OPEN_BRACKET) throw BAIL;
      const key = this.flowItem(end);
      if (typeof key !== "string" || key === "__proto__" || key === "<<") throw BAIL;
      if (node.names.includes(key)) throw BAIL;
      if (this.flowSkip(end) !== COLON) throw BAIL; // a key without a value
      this.cursor++;
      if (
        this.cursor < end &&
        text.charCodeAt(this.cursor) !== SPACE &&
        first !== QUOTE &&
        first !== APOSTROPHE
      )
        throw BAIL;
      const start = this.flowSkip(end);
      if (start === COMMA || start === CLOSE_BRACE) throw BAIL; // an empty value: null, left to yaml
      value[key] = this.flowItem(end);
      node.names.push(key);
      node.keys.push(keyAt);
      node.values.push(this.flowNode);
      const next = this.flowSkip(end);
      if (next === COMMA) this.cursor++;
      else if (next !== CLOSE_BRACE) throw BAIL;
    }
  }
}

/** The documents of `text` with their node offsets, or null when the yaml package must read it. */
export function fastParseYaml(text: string): FastDocument[] | null {
  try {
    return new Reader(text).documents();
  } catch (error) {
    if (error === BAIL) return null;
    throw error;
  }
}
