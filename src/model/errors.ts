/**
 * The few error types idanchor throws. The CLI maps them to exit code 1 and prints their
 * message only: never a stack, never a raw HTTP object (those can hold tokens).
 */
import { stripControl } from "./sanitize.js";

export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
}

/** Bad input the user can fix: a file, a setting, an argument. */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    message: string,
    readonly position?: SourcePosition,
    options?: { cause?: unknown },
  ) {
    // Messages quote files and servers: no escape sequence may reach the terminal.
    super(stripControl(message), options);
  }

  /** "file:line:col: message" when the position is known. */
  describe(): string {
    if (!this.position) return this.message;
    const { file, line, column } = this.position;
    const where = [file, line, line !== undefined ? column : undefined]
      .filter((x) => x !== undefined)
      .join(":");
    return `${where}: ${this.message}`;
  }
}

export type DirectorySystem = "ad" | "entra";

/** A directory could not be read or written. A failed read never yields a partial state. */
export class DirectoryError extends Error {
  override readonly name = "DirectoryError";
  constructor(
    readonly system: DirectorySystem,
    message: string,
    readonly details: { status?: number | string; code?: string; cause?: unknown } = {},
  ) {
    super(stripControl(message), details.cause === undefined ? undefined : { cause: details.cause });
  }
}
