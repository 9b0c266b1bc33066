/**
 * Nesting depth of JSON and YAML text, measured by a flat scan before any parser runs: parsers and
 * validators recurse, and a file nested a few thousand levels deep (a fork can commit one) would
 * otherwise end in "Maximum call stack size exceeded" instead of a message that names the line.
 */
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, NL, OPEN_BRACE, OPEN_BRACKET, QUOTE } from "./char-codes.js";

/** Far more than any idanchor file needs (desired state ~6 levels, Graph JSON ~5), far less than a stack holds. */
export const MAX_NESTING = 64;

export interface TooDeep {
  line: number;
  column: number;
}

/** The one wording for every file type: "nesting too deep at FILE:LINE" and what to do. */
export function tooDeepMessage(file: string, at: TooDeep, limit = MAX_NESTING): string {
  return `nesting too deep at ${file}:${at.line} (more than ${limit} levels of lists and maps; idanchor's files need fewer than 10): the file was not read. Remove the extra nesting`;
}

/** Where JSON text first nests deeper than `limit` arrays/objects, or null. */
export function jsonTooDeep(text: string, limit = MAX_NESTING): TooDeep | null {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NL) {
      line += 1;
      lineStart = i + 1;
    }
    if (inString) {
      if (c === BACKSLASH)
        i += 1; // backslash: skip the escaped character
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth += 1;
      if (depth > limit) return { line, column: i - lineStart + 1 };
    } else if ((c === CLOSE_BRACKET || c === CLOSE_BRACE) && depth > 0) depth -= 1;
  }
  return null;
}

/**
 * Where YAML text first nests deeper than `limit`, or null: block levels (distinct indentations
 * and leading "- " entries) plus flow levels ([ and { outside quotes, comments and block scalars).
 * It may overcount a little (a block scalar's text counts as one level), never undercount much.
 */
export function yamlTooDeep(text: string, limit = MAX_NESTING): TooDeep | null {
  const lines = text.split(/\r?\n/);
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | null = null;
  let scalarIndent: number | null = null; // inside a block scalar (| or >) started at this indent
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trimStart();
    if (scalarIndent !== null) {
      if (body === "" || indent > scalarIndent) continue;
      scalarIndent = null;
    }
    if (flow === 0 && quote === null) {
      if (body === "" || body.startsWith("#")) continue;
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
    }
    let block = indents.length;
    let start = 0;
    if (flow === 0 && quote === null) {
      // "- - - x": each leading entry marker is one more level.
      const dashes = /^(?:-(?:\s+|$))+/.exec(body)?.[0] ?? "";
      block += (dashes.match(/-/g) ?? []).length;
      start = dashes.length;
    }
    if (block + flow > limit) return { line: n + 1, column: indent + 1 };
    let previous = " ";
    // Inside a plain scalar of block context ("a[1]" in "key: a[1]"), brackets are text.
    let plain = false;
    for (let i = start; i < body.length; i++) {
      const c = body[i]!;
      if (quote !== null) {
        if (quote === '"' && c === "\\") i += 1;
        else if (c === quote) {
          if (quote === "'" && body[i + 1] === "'") i += 1;
          else quote = null;
        }
        previous = c;
        continue;
      }
      if (c === "#" && /\s/.test(previous)) break;
      if (flow === 0 && c === ":" && /\s|$/.test(body[i + 1] ?? "")) plain = false;
      else if (flow === 0 && c === "-" && /\s/.test(previous) && /\s/.test(body[i + 1] ?? "")) plain = false;
      else if (plain && flow === 0) {
        previous = c;
        continue;
      }
      const opens = c === "[" || c === "{" || c === '"' || c === "'";
      if (c === '"' || c === "'") quote = c;
      else if (c === "[" || c === "{") {
        flow += 1;
        if (block + flow > limit) return { line: n + 1, column: indent + i + 1 };
      } else if ((c === "]" || c === "}") && flow > 0) flow -= 1;
      else if (
        (c === "|" || c === ">") &&
        flow === 0 &&
        /\s/.test(previous) &&
        /^[|>][-+0-9]*\s*(#.*)?$/.test(body.slice(i))
      )
        scalarIndent = indent;
      else if (flow === 0 && !opens && !/[\s:?-]/.test(c)) plain = true;
      previous = c;
    }
  }
  return null;
}

/**
 * Whether a parsed JSON value nests deeper than `limit` arrays/objects, walked without recursion:
 * JSON.parse itself does not recurse, so a large file is parsed first and only its value walked
 * (a flat scan of the text is the slower of the two); jsonTooDeep then finds the line.
 */
export function valueTooDeep(value: unknown, limit = MAX_NESTING): boolean {
  if (value === null || typeof value !== "object") return false;
  const stack: { value: object; depth: number }[] = [{ value, depth: 1 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (top.depth > limit) return true;
    const children: unknown[] = Array.isArray(top.value)
      ? (top.value as unknown[])
      : Object.values(top.value);
    for (const child of children)
      if (child !== null && typeof child === "object") stack.push({ value: child, depth: top.depth + 1 });
  }
  return false;
}
