/** The formats every report renders to (audit adds csv). */
export type OutputFormat = "text" | "markdown" | "json";

/** Terminal styling. Colour only when the caller says the output is a TTY and NO_COLOR is unset. */
export interface TextStyle {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const wrap =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

export const ANSI_STYLE: TextStyle = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  green: wrap(32, 39),
  cyan: wrap(36, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};

const identity = (text: string): string => text;
export const PLAIN_STYLE: TextStyle = {
  red: identity,
  yellow: identity,
  green: identity,
  cyan: identity,
  bold: identity,
  dim: identity,
};
