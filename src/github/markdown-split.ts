/**
 * Cuts markdown into parts no larger than a limit, only where a cut cannot break rendering: never inside
 * a code fence or a `<details>` block. A block too large for one part is split inside and reopened in
 * the next part (`<details>` with a "(continued)" summary, a fence with its own opening line, a table
 * with its header). Pure: strings in, strings out.
 */

/** Length of a text; must be additive: measure(a + "\n" + b) === measure(a) + 1 + measure(b). */
export type Measure = (text: string) => number;

/** GitHub counts characters; a UTF-16 length is never below the code point count, so it is safe. */
export const charLength: Measure = (text) => text.length;

/** The job summary limit is in bytes. */
export const utf8Length: Measure = (text) => Buffer.byteLength(text, "utf8");

type Unit =
  | { kind: "line"; text: string }
  | { kind: "fence"; open: string; body: string[]; close: string }
  | { kind: "details"; open: string[]; title: string | null; body: Unit[]; close: string }
  | { kind: "table"; header: string[]; rows: string[] }
  /** A list item with its nested and continuation lines: cut between items, not inside one. */
  | { kind: "item"; lines: string[] };

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;
const SUMMARY = /<summary>(.*?)<\/summary>/i;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s/;
/** The smallest budget the splitter works with: a wrapper line plus some content. */
const MIN_BUDGET = 200;

function isFenceClose(line: string, fence: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return match?.[1] !== undefined && match[1][0] === fence[0] && match[1].length >= fence.length;
}

function detailsDelta(line: string): number {
  const opens = line.match(/<details[\s>]/gi)?.length ?? 0;
  const closes = line.match(/<\/details>/gi)?.length ?? 0;
  return opens - closes;
}

/** Groups lines into units that must not be cut between (fences, details, tables) or single lines. */
function parseUnits(lines: readonly string[]): Unit[] {
  const units: Unit[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = FENCE_OPEN.exec(line);
    if (fence?.[1] !== undefined && !(fence[1][0] === "`" && (fence[2] ?? "").includes("`"))) {
      let j = i + 1;
      while (j < lines.length && !isFenceClose(lines[j]!, fence[1])) j++;
      // An unterminated fence runs to the end of the text (CommonMark); close it where the part ends.
      units.push({
        kind: "fence",
        open: line,
        body: lines.slice(i + 1, j),
        close: j < lines.length ? lines[j]! : fence[1],
      });
      i = j + 1;
      continue;
    }
    if (/^\s*<details[\s>]/i.test(line) && detailsDelta(line) > 0) {
      const open = [line];
      let j = i + 1;
      if (!SUMMARY.test(line) && j < lines.length && SUMMARY.test(lines[j]!)) open.push(lines[j++]!);
      const bodyStart = j;
      let depth = detailsDelta(open.join("\n"));
      let inFence: string | null = null;
      for (; j < lines.length; j++) {
        const inner = lines[j]!;
        if (inFence !== null) {
          if (isFenceClose(inner, inFence)) inFence = null;
          continue;
        }
        const innerFence = FENCE_OPEN.exec(inner);
        if (innerFence?.[1] !== undefined) {
          inFence = innerFence[1];
          continue;
        }
        depth += detailsDelta(inner);
        if (depth <= 0) break;
      }
      const closed = j < lines.length;
      const title = SUMMARY.exec(open.join("\n"))?.[1] ?? null;
      units.push({
        kind: "details",
        open,
        title,
        body: parseUnits(lines.slice(bodyStart, j)),
        close: closed ? lines[j]! : "</details>",
      });
      i = j + 1;
      continue;
    }
    if (line.trimStart().startsWith("|") && i + 1 < lines.length && TABLE_DELIMITER.test(lines[i + 1]!)) {
      let j = i + 2;
      while (j < lines.length && lines[j]!.trimStart().startsWith("|")) j++;
      units.push({ kind: "table", header: [line, lines[i + 1]!], rows: lines.slice(i + 2, j) });
      i = j;
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item?.[1] !== undefined) {
      const indent = item[1].length;
      let j = i + 1;
      // Nested lines are indented deeper; a lazy continuation is any other text line that starts no block.
      while (j < lines.length) {
        const next = lines[j]!;
        if (next.trim() === "") break;
        const nested = /^\s*/.exec(next)![0].length > indent;
        const startsBlock = /^\s*([-*+]\s|\d{1,9}[.)]\s|#{1,6}\s|<|\||`{3}|~{3})/.test(next);
        if (!nested && startsBlock) break;
        j++;
      }
      units.push({ kind: "item", lines: lines.slice(i, j) });
      i = j;
      continue;
    }
    units.push({ kind: "line", text: line });
    i++;
  }
  return units;
}

function unitLines(unit: Unit): string[] {
  switch (unit.kind) {
    case "line":
      return [unit.text];
    case "fence":
      return [unit.open, ...unit.body, unit.close];
    case "details":
      return [...unit.open, ...unit.body.flatMap(unitLines), unit.close];
    case "table":
      return [...unit.header, ...unit.rows];
    case "item":
      return unit.lines;
  }
}

function size(lines: readonly string[], measure: Measure): number {
  return lines.length === 0 ? 0 : measure(lines.join("\n"));
}

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === "") start++;
  while (end > start && lines[end - 1]!.trim() === "") end--;
  return lines.slice(start, end);
}

/**
 * Budgets of a split: the first piece may have less room (it fills the rest of a part), the others
 * get a whole part each.
 */
interface Room {
  first: number;
  rest: number;
}

const shrink = (room: Room, by: number): Room => ({ first: room.first - by, rest: room.rest - by });

/** Cuts one over-long line, preferring the last space inside the window. */
function cutLine(text: string, room: Room, measure: Measure): string[] {
  const pieces: string[] = [];
  let rest = text;
  for (let budget = room.first; measure(rest) > budget; budget = room.rest) {
    let end = Math.min(rest.length, budget);
    while (end > 1 && measure(rest.slice(0, end)) > budget) end = Math.floor(end * 0.9);
    const space = rest.lastIndexOf(" ", end);
    const cut = space > end / 2 ? space : end;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  pieces.push(rest);
  return pieces;
}

/** Splits a unit too large for the room left into pieces: the first fits `room.first`, the others `room.rest`. */
function splitUnit(unit: Unit, room: Room, measure: Measure): string[][] {
  switch (unit.kind) {
    case "line":
      return cutLine(unit.text, room, measure).map((piece) => [piece]);
    case "item":
      return packLines(unit.lines, room, measure);
    case "fence": {
      const inner = shrink(room, size([unit.open, unit.close], measure) + 2);
      const body = unit.body.flatMap((line) =>
        cutLine(line, { first: inner.rest, rest: inner.rest }, measure),
      );
      return packLines(body, inner, measure).map((chunk) =>
        chunk.length > 0 ? [unit.open, ...chunk, unit.close] : [],
      );
    }
    case "table": {
      const inner = shrink(room, size(unit.header, measure) + 1);
      const rows = unit.rows.flatMap((row) => cutLine(row, { first: inner.rest, rest: inner.rest }, measure));
      return packLines(rows, inner, measure).map((chunk) =>
        chunk.length > 0 ? [...unit.header, ...chunk] : [],
      );
    }
    case "details": {
      const continued = `<details><summary>${unit.title ? `${unit.title} (continued)` : "(continued)"}</summary>`;
      const overhead = Math.max(size(unit.open, measure), measure(continued)) + measure(unit.close) + 4;
      const chunks = packUnits(unit.body, shrink(room, overhead), measure);
      return chunks.map((chunk, index) =>
        chunk.length > 0 ? [...(index === 0 ? unit.open : [continued]), "", ...chunk, "", unit.close] : [],
      );
    }
  }
}

function packLines(lines: readonly string[], room: Room, measure: Measure): string[][] {
  return packUnits(
    lines.map((text) => ({ kind: "line", text })),
    room,
    measure,
  );
}

const isHeading = (line: string): boolean => /^ {0,3}#{1,6}\s/.test(line);

/**
 * Greedy packing of units into parts. A unit that fits a part on its own starts a new part rather
 * than being cut; a larger one fills the current part and continues in the next. A heading never
 * ends a part (it moves on with its section).
 */
function packUnits(units: readonly Unit[], room: Room, measure: Measure): string[][] {
  if (room.rest < MIN_BUDGET) throw new RangeError(`markdown split budget ${room.rest} is too small`);
  // With next to no room left in the part being filled, the first piece stays empty.
  const parts: string[][] = room.first < MIN_BUDGET ? [[]] : [];
  let current: string[] = [];
  // Measures are additive over "\n"-joined text, so the running size avoids re-measuring the part.
  let used = 0;
  const limit = (): number => (parts.length === 0 ? room.first : room.rest);
  const append = (lines: readonly string[]): void => {
    if (lines.length === 0) return;
    used += (current.length > 0 ? 1 : 0) + size(lines, measure);
    current.push(...lines);
  };
  const fits = (lines: readonly string[]): boolean =>
    used + (current.length > 0 ? 1 : 0) + size(lines, measure) <= limit();
  const flush = (carryHeadings: boolean): void => {
    const lines = [...current];
    let carry: string[] = [];
    if (carryHeadings) {
      while (lines.length > 0 && /^\s*$|^ {0,3}#{1,6}\s/.test(lines[lines.length - 1]!))
        carry.unshift(lines.pop()!);
      // Only headings move on, and never the whole part.
      if (!carry.some(isHeading) || trimBlank(lines).length === 0) {
        lines.push(...carry);
        carry = [];
      }
    }
    const rest = trimBlank(lines);
    if (rest.length > 0) parts.push(rest);
    current = [];
    used = 0;
    while (carry.length > 0 && carry[0]!.trim() === "") carry.shift();
    if (carry.length > 0) append(carry);
  };
  for (const unit of units) {
    const lines = unitLines(unit);
    if (fits(lines)) {
      append(lines);
      continue;
    }
    if (size(lines, measure) <= room.rest) {
      flush(true);
      if (fits(lines)) {
        append(lines);
        continue;
      }
    }
    // Cutting into a nearly full part would leave a stub (one item under a summary): start afresh.
    let first = limit() - (current.length > 0 ? used + 1 : 0);
    if (first < Math.max(MIN_BUDGET, limit() / 10)) {
      flush(false);
      first = limit() - (current.length > 0 ? used + 1 : 0);
    }
    const [head = [], ...tail] = splitUnit(unit, { first, rest: room.rest }, measure);
    append(head);
    for (const piece of tail) {
      flush(false);
      append(piece);
    }
  }
  flush(false);
  return parts;
}

/** Splits markdown into parts of at most `limit` (by `measure`), cut only at safe boundaries. */
export function splitMarkdown(markdown: string, limit: number, measure: Measure = charLength): string[] {
  const text = markdown.replace(/\r\n/g, "\n");
  if (measure(text) <= limit) return [text];
  return packUnits(parseUnits(text.split("\n")), { first: limit, rest: limit }, measure).map((lines) =>
    lines.join("\n"),
  );
}

/** True when every `<details>` is closed and every code fence ends inside the text: a part renders alone. */
export function isBalancedMarkdown(markdown: string): boolean {
  let depth = 0;
  let fence: string | null = null;
  for (const line of markdown.split("\n")) {
    if (fence !== null) {
      if (isFenceClose(line, fence)) fence = null;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open?.[1] !== undefined) {
      fence = open[1];
      continue;
    }
    depth += detailsDelta(line);
    if (depth < 0) return false;
  }
  return depth === 0 && fence === null;
}
