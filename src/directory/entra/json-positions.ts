/**
 * Line and column of a JSON Pointer in a JSON text, so that a schema error in a snapshot points at
 * file:line:col like the YAML errors do. The text has already passed JSON.parse; this scanner only
 * walks it.
 */

export interface TextPosition {
  line: number;
  column: number;
}

export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/** Offsets of every value (by JSON Pointer) in valid JSON text. */
export function valueOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = 0;
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const escape = (key: string): string => key.replace(/~/g, "~0").replace(/\//g, "~1");
  const value = (pointer: string): void => {
    skip();
    offsets.set(pointer, i);
    const c = text[i];
    if (c === "{") {
      i++;
      skip();
      while (text[i] !== "}") {
        skip();
        const key = readString();
        skip();
        i++; // ':'
        value(`${pointer}/${escape(key)}`);
        skip();
        if (text[i] === ",") i++;
        skip();
      }
      i++;
    } else if (c === "[") {
      i++;
      skip();
      for (let index = 0; text[i] !== "]"; index++) {
        value(`${pointer}/${index}`);
        skip();
        if (text[i] === ",") i++;
        skip();
      }
      i++;
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    }
  };
  value("");
  return offsets;
}

/** Position of a JSON.parse SyntaxError ("... at position N" in Node 20), when it says. */
export function syntaxErrorOffset(error: unknown): number | undefined {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : "");
  return match ? Number(match[1]) : undefined;
}
