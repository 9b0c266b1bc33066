/**
 * Escaping for text that reaches GitHub-flavoured markdown (PR comments, job summaries, issues).
 * Keys, file names and messages are user- or server-controlled: a newline must not start a heading,
 * `@team` must not notify, `#12` must not link, `<img>` must not render, a backtick must not end its
 * code span, and a pipe must not end a table cell. Pure.
 */
import { stripControl } from "../model/sanitize.js";

/** A zero-width space as an entity: breaks GitHub's @mention and #reference detection, renders as nothing. */
const BREAK = "&#8203;";

/** One line of plain text, safe anywhere in a markdown line (tables included). */
export function escapeMarkdown(text: string): string {
  return (
    stripControl(text)
      .replace(/\s*[\r\n]+\s*/g, " ")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      // The characters that open emphasis, code, links, tables or strikethrough mid-line.
      .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
      // A mention or issue reference starts after a non-word character; "a@b.c" is an address.
      .replace(/(?<![\w.%+-])[@#]/g, (c) => `${c}${BREAK}`)
      // Bare URLs are autolinked by GFM.
      .replace(/:\/\//g, `:${BREAK}//`)
      .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${BREAK}.`)
  );
}

/**
 * An inline code span holding `text` verbatim: the fence is one backtick longer than the longest run
 * inside, padded when the text starts or ends with one. In a table cell pass `inTable`: GFM splits
 * cells on `|` before it sees code spans.
 */
export function codeSpan(text: string, options: { inTable?: boolean } = {}): string {
  let inner = stripControl(text).replace(/\s*[\r\n]+\s*/g, " ");
  if (options.inTable) inner = inner.replace(/\|/g, "\\|");
  if (inner === "") return "` `";
  const longest = Math.max(0, ...(inner.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = inner.startsWith("`") || inner.endsWith("`") || /^ .* $/.test(inner) ? " " : "";
  return `${fence}${pad}${inner}${pad}${fence}`;
}
