import type { Logger } from "../model/log.js";
import type { TextStyle } from "../render/style.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../render/style.js";

export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
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
