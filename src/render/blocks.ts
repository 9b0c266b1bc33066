/**
 * Markdown as blocks: what the renderers return and what the comment and job-summary packers cut.
 * A renderer knows where its markdown may be cut (between the items of a list, never inside a
 * `<details>` it opened), so it says so in the blocks, and nothing has to parse markdown again.
 * Pure: blocks in, strings out.
 */

/** Length of a text; additive over concatenation (GitHub counts characters, the job summary bytes). */
export type Measure = (text: string) => number;

/** A UTF-16 length is never below the code point count GitHub counts, so it is safe. */
export const charLength: Measure = (text) => text.length;

export const utf8Length: Measure = (text) => Buffer.byteLength(text, "utf8");

export type Block =
  /** Renders on its own and is never cut (a heading, a paragraph, a table). */
  | { kind: "text"; text: string }
  /**
   * Items that may be cut between: `open` before the first item, `reopen` before the first item of
   * a later part, `close` after the last item of every part (e.g. `<details>` ... `</details>`).
   * Where the items stop, a line says how many more `unit` the plan file holds.
   */
  | { kind: "list"; open: string; reopen: string; close: string; items: readonly string[]; unit: string };

export const text = (...lines: string[]): Block => ({ kind: "text", text: lines.join("\n") });

/** Blocks are separated by a blank line; the items of a list by a newline. */
const BLOCK_GAP = "\n\n";

export function blocksToMarkdown(blocks: readonly Block[]): string {
  const pieces = blocks.map((b) => (b.kind === "text" ? b.text : listPiece(b.open, b.items, b.close, null)));
  return `${pieces.filter((p) => p !== "").join(BLOCK_GAP)}\n`;
}

/**
 * `measure(blocksToMarkdown(blocks))`, added up line by line without building the text (measures
 * are additive): a whole estate's markdown is tens of MB before it is packed.
 */
export function markdownSize(blocks: readonly Block[], measure: Measure): number {
  let size = 1; // the final newline
  let pieces = 0;
  for (const block of blocks) {
    const lines = block.kind === "text" ? [block.text] : [block.open, ...block.items, block.close];
    let piece = 0;
    let count = 0;
    for (const line of lines) {
      if (line === "") continue;
      piece += measure(line) + (count > 0 ? 1 : 0);
      count++;
    }
    if (count === 0) continue;
    size += piece + (pieces > 0 ? measure(BLOCK_GAP) : 0);
    pieces++;
  }
  return size;
}

function listPiece(open: string, items: readonly string[], close: string, more: string | null): string {
  return [open, ...items, ...(more === null ? [] : [more]), close].filter((l) => l !== "").join("\n");
}

export function moreLine(count: number, unit: string): string {
  return `- *… ${count.toLocaleString("en-US")} more ${unit} in the plan file (\`idanchor plan --out\`, kept as the workflow's plan artifact).*`;
}

export interface PackOptions {
  /** Room of one part, by `measure`. */
  limit: number;
  measure?: Measure;
  /** At most this many parts; what does not fit the last one is left out, with "N more" lines. */
  maxParts?: number;
  /** Appended to the last part when something was left out (room for it is kept). */
  overflowNote?: string;
}

export interface Packed {
  parts: string[];
  /** True when blocks or items were left out. */
  truncated: boolean;
}

/** The smallest form of a block: what the last part keeps of it when room runs out. */
function minimalSize(block: Block, measure: Measure): number {
  if (block.kind === "text") return measure(block.text) + 2;
  return measure(listPiece(block.open, [], block.close, moreLine(block.items.length, block.unit))) + 2;
}

/**
 * What a cut text needs appended to render on its own: a closing fence, closing `</details>`. Only
 * for text given as one opaque block (a markdown file); renderers' blocks never need it.
 */
function closers(value: string): string {
  let fence: string | null = null;
  let open = 0;
  for (const line of value.split("\n")) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== null) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (marker !== undefined) fence = marker;
    else open += (line.match(/<details[\s>]/gi)?.length ?? 0) - (line.match(/<\/details>/gi)?.length ?? 0);
  }
  return (fence !== null ? `\n${fence}` : "") + "\n\n</details>".repeat(Math.max(0, open));
}

/** Cuts one over-long text at the last newline that fits, closing what the cut leaves open. */
function cutText(value: string, room: number, measure: Measure): string {
  let end = Math.min(value.length, room);
  for (;;) {
    while (end > 0 && measure(value.slice(0, end)) > room) end = Math.floor(end * 0.9);
    const newline = value.lastIndexOf("\n", end);
    const head = value.slice(0, newline > end / 2 ? newline : end);
    const cut = `${head}${closers(head)}`;
    if (measure(cut) <= room || end === 0) return end === 0 ? "" : cut;
    end = Math.floor(end * 0.95);
  }
}

/**
 * Packs blocks into parts of at most `limit`. A block that does not fit the current part starts the
 * next; a list continues over parts between its items. In the last allowed part, later blocks keep
 * room for their headings, so a long list cannot crowd out the sections after it.
 */
export function packBlocks(blocks: readonly Block[], options: PackOptions): Packed {
  const measure = options.measure ?? charLength;
  const maxParts = options.maxParts ?? Number.POSITIVE_INFINITY;
  const note = options.overflowNote ?? "";
  const noteSize = note === "" ? 0 : measure(note) + 2;
  const parts: string[] = [];
  let current: string[] = [];
  let used = 0;
  let truncated = false;
  const lastPart = (): boolean => parts.length >= maxParts - 1;
  const room = (): number => options.limit - (lastPart() ? noteSize : 0);
  const sizeWith = (piece: string): number => used + (current.length > 0 ? 2 : 0) + measure(piece);
  const add = (piece: string): void => {
    used = sizeWith(piece);
    current.push(piece);
  };
  const flush = (): void => {
    if (current.length > 0) parts.push(current.join(BLOCK_GAP));
    current = [];
    used = 0;
  };
  // Room later blocks need in their smallest form (only honoured in the last part).
  const reserveAfter: number[] = new Array<number>(blocks.length).fill(0);
  for (let i = blocks.length - 2; i >= 0; i--)
    reserveAfter[i] = reserveAfter[i + 1]! + minimalSize(blocks[i + 1]!, measure);
  const budget = (index: number): number => room() - (lastPart() ? reserveAfter[index]! : 0);

  for (const [index, block] of blocks.entries()) {
    if (block.kind === "text") {
      if (sizeWith(block.text) <= budget(index)) {
        add(block.text);
        continue;
      }
      if (!lastPart() && current.length > 0) {
        flush();
        if (sizeWith(block.text) <= budget(index)) {
          add(block.text);
          continue;
        }
      }
      const cut = cutText(block.text, budget(index) - used - 2, measure);
      if (cut !== "") add(`${cut}\n\n*(cut here: too long for one part)*`);
      truncated = true;
      continue;
    }
    let next = 0;
    let opener = block.open;
    while (next < block.items.length || next === 0) {
      const taken: string[] = [];
      const closing = (more: number): string =>
        listPiece(opener, taken, block.close, more > 0 ? moreLine(more, block.unit) : null);
      // In the last part the "N more" line must fit too, whatever is left.
      const reserve = lastPart() ? measure(moreLine(block.items.length, block.unit)) + 1 : 0;
      // Sizes add up line by line (measures are additive), so a long list packs in linear time.
      const edges = [opener, block.close].filter((l) => l !== "");
      let pieceSize = edges.reduce((n, l) => n + measure(l), 0) + Math.max(0, edges.length - 1);
      const gap = current.length > 0 ? 2 : 0;
      while (next < block.items.length) {
        const item = block.items[next]!;
        const grown = pieceSize + measure(item) + (edges.length + taken.length > 0 ? 1 : 0);
        if (used + gap + grown + reserve > budget(index)) break;
        pieceSize = grown;
        taken.push(item);
        next++;
      }
      const remaining = block.items.length - next;
      if (remaining === 0) {
        add(closing(0));
        break;
      }
      if (lastPart()) {
        add(closing(remaining));
        truncated = true;
        break;
      }
      if (taken.length > 0) add(closing(0));
      else if (current.length === 0) {
        // Not even one item fits an empty part: cut the item.
        taken.push(cutText(block.items[next]!, budget(index) - measure(closing(0)) - 2, measure));
        next++;
        add(closing(0));
      }
      flush();
      opener = block.reopen;
    }
  }
  if (truncated && note !== "") add(note);
  flush();
  return { parts: parts.length > 0 ? parts : [""], truncated };
}
