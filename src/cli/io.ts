import type { Logger } from "../model/log.js";
import type { TextStyle } from "../render/style.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../render/style.js";

export interface OutputStream {
  /** False when the stream's buffer is full: wait for "drain" (where the stream has `once`). */
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
  once?(event: "drain" | "close" | "error", listener: () => void): unknown;
  /** Set once the stream is closed or failed (a reader that closed the pipe): nothing more goes out. */
  destroyed?: boolean;
}

/**
 * Pieces gathered into writes of `size` bytes (one system call per piece would be slow, one text of
 * the whole output would hold it all): `add` each piece, `flush` at the end. `write` says whether
 * its target still takes output; once it does not, the rest is dropped.
 *
 * Each piece is encoded into the batch's bytes as it comes, so it dies young. A batch gathered as
 * text (a rope of ~650 identities' pieces, then one flat 1 MB string) outlived the young
 * generation's collections: at 100,000 identities the old generation grew by ~160 MB while the
 * plan was written. The bytes live outside the heap and go with their small handle.
 */
export class BatchedWriter {
  private batch: Buffer | null = null;
  private used = 0;
  private taking = true;

  /**
   * `reuse`: the target is done with the bytes once its promise settles (a file written with
   * await), so one batch serves every write. A stream may still hold them, so it gets new ones.
   */
  constructor(
    private readonly write: (bytes: Uint8Array) => Promise<boolean>,
    private readonly size = 1 << 20,
    private readonly reuse = false,
  ) {}

  /** False once the target has stopped taking output (a reader that closed the pipe). */
  get open(): boolean {
    return this.taking;
  }

  async add(piece: string): Promise<void> {
    if (!this.taking || piece === "") return;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: the exact length is only needed near the end.
    const room = this.size - this.used;
    const bytes = piece.length * 3 <= room ? 0 : Buffer.byteLength(piece, "utf8");
    if (bytes > room) {
      await this.flush();
      if (!this.taking) return;
      if (bytes > this.size) {
        this.taking = await this.write(Buffer.from(piece, "utf8"));
        return;
      }
    }
    this.batch ??= Buffer.allocUnsafeSlow(this.size);
    this.used += this.batch.write(piece, this.used, "utf8");
    if (this.used === this.size) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.taking || this.batch === null || this.used === 0) return;
    const batch = this.batch;
    const bytes = batch.subarray(0, this.used);
    this.batch = null;
    this.used = 0;
    this.taking = await this.write(bytes);
    // A stream may still hold the bytes, so its next batch is new; a file is done with them.
    if (this.reuse && this.batch === null) this.batch = batch;
  }
}

/**
 * Writes one piece, waiting for the stream to drain when its buffer is full. False when the stream
 * is closed (a reader that closed the pipe: `idanchor plan | head`): nothing more should go out.
 */
export async function writeText(stream: OutputStream, text: string | Uint8Array): Promise<boolean> {
  if (stream.destroyed === true) return false;
  const once = stream.once?.bind(stream);
  if (stream.write(text) !== false || !once) return true;
  return new Promise<boolean>((resolve) => {
    once("drain", () => resolve(true));
    once("close", () => resolve(false));
    once("error", () => resolve(false));
  });
}

/**
 * A stream's batch: a stream may still hold the bytes it was given, so each batch is new. Of 64 KiB
 * (a pipe's buffer), the allocator hands back the memory of batches already collected. New 1 MiB
 * batches came from the system each time: at 100,000 identities the 157 MB of JSON on stdout
 * page-faulted through ~0.5 s, and their external memory brought on extra collections.
 */
const STREAM_BATCH_BYTES = 64 * 1024;

/** A stream written in batches, waiting for it to drain: large output is never held whole. */
export function streamWriter(stream: OutputStream): BatchedWriter {
  return new BatchedWriter((text) => writeText(stream, text), STREAM_BATCH_BYTES);
}

/** Writes pieces in batches to the stream, stopping quietly if it closes. */
export async function writeChunks(stream: OutputStream, chunks: Iterable<string>): Promise<void> {
  const out = streamWriter(stream);
  for (const chunk of chunks) {
    await out.add(chunk);
    if (!out.open) return;
  }
  await out.flush();
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
