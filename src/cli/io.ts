import type { Logger } from "../model/log.js";
import type { TextStyle } from "../render/style.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../render/style.js";

export interface OutputStream {
  /** False when the stream's buffer is full: wait for "drain" (where the stream has `once`). */
  write(chunk: string): unknown;
  isTTY?: boolean;
  once?(event: "drain" | "close" | "error", listener: () => void): unknown;
  /** Set once the stream is closed or failed (a reader that closed the pipe): nothing more goes out. */
  destroyed?: boolean;
}

/** Pieces gathered into strings of about 1 MB: one system call per piece would be slow. */
export function* batches(chunks: Iterable<string>, size = 1 << 20): Generator<string> {
  let pending = "";
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length >= size) {
      yield pending;
      pending = "";
    }
  }
  if (pending !== "") yield pending;
}

/**
 * Writes one piece, waiting for the stream to drain when its buffer is full. False when the stream
 * is closed (a reader that closed the pipe: `idanchor plan | head`): nothing more should go out.
 */
export async function writeText(stream: OutputStream, text: string): Promise<boolean> {
  if (stream.destroyed === true) return false;
  const once = stream.once?.bind(stream);
  if (stream.write(text) !== false || !once) return true;
  return new Promise<boolean>((resolve) => {
    once("drain", () => resolve(true));
    once("close", () => resolve(false));
    once("error", () => resolve(false));
  });
}

/** Writes pieces in batches, waiting for the stream to drain: large output is never held whole. */
export async function writeChunks(stream: OutputStream, chunks: Iterable<string>): Promise<void> {
  for (const batch of batches(chunks)) if (!(await writeText(stream, batch))) return;
}

/** Everything a command may touch of the outside world, passed in (STYLE rule 9). */
export interface CliContext {
  env: Record<string, string | undefined>;
  stdout: OutputStream;
  stderr: OutputStream;
  cwd: string;
  /** The adapters' log lines; main() wires one that honours --verbose. */
  logger?: Logger;
  /** Where `init` asks for missing values, when it is a terminal. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export type { OutputFormat } from "../render/style.js";

export const EXIT = { ok: 0, error: 1, changes: 2 } as const;

export function styleFor(stream: OutputStream, env: CliContext["env"]): TextStyle {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return stream.isTTY === true && !noColor ? ANSI_STYLE : PLAIN_STYLE;
}
