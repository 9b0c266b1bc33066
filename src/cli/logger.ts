/**
 * The adapters' log lines on stderr: warnings always, info and debug only with --verbose, so a
 * plain run stays quiet and a slow one can be watched (a throttled Graph says how long it waits).
 */
import type { Logger } from "../model/log.js";
import type { OutputStream } from "./io.js";

function fieldText(fields: Record<string, unknown> | undefined): string {
  if (!fields) return "";
  const parts = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

/** `verbose` is asked on every line: the flag is known only once the command line is parsed. */
export function cliLogger(stream: OutputStream, verbose: () => boolean): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>): void => {
    stream.write(`idanchor: ${level}${message}${fieldText(fields)}\n`);
  };
  return {
    debug: (message, fields) => {
      if (verbose()) write("", message, fields);
    },
    info: (message, fields) => {
      if (verbose()) write("", message, fields);
    },
    warn: (message, fields) => write("warning: ", message, fields),
  };
}
