/** Parsing the CLI's own option values: one rule per kind of value, the same message everywhere. */
import { InputError } from "../model/errors.js";

/** A whole number of at least 1 (`--pr 12`, `--concurrency 8`); undefined stays undefined. */
export function positiveInteger(value: number | string, flag: string): number;
export function positiveInteger(value: number | string | undefined, flag: string): number | undefined;
export function positiveInteger(value: number | string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new InputError(`${flag} takes a whole number of at least 1, not '${String(value)}'`);
  return Number(text);
}
