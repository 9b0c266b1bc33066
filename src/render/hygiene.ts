/** Hygiene report -> text | markdown | json | csv. Pure, one function per format. */
import type { HygieneProblem, HygieneReport } from "../hygiene/types.js";
import { csvField } from "./audit-csv.js";
import type { TextStyle } from "./style.js";

export type HygieneFormat = "text" | "markdown" | "json" | "csv";

/** The columns an administrator sorts and filters by in a spreadsheet. */
export const HYGIENE_CSV_COLUMNS = [
  "dn",
  "objectClass",
  "attribute",
  "value",
  "problem",
  "severity",
  "suggestedValue",
  "message",
  "fix",
] as const;

/** The CSV report row by row, each row with its CRLF: a large report can be written in pieces. */
export function* hygieneCsvRows(report: HygieneReport): Generator<string> {
  yield `${HYGIENE_CSV_COLUMNS.map(csvField).join(",")}\r\n`;
  for (const p of report.problems)
    yield (
      `${csvField(p.dn)},${csvField(p.objectClass)},${csvField(p.attribute)},${csvField(p.value)},` +
      `${csvField(p.rule)},${csvField(p.severity)},${csvField(p.suggested ?? "")},${csvField(p.message)},` +
      `${csvField(p.fix)}\r\n`
    );
}

export function renderHygieneCsv(report: HygieneReport): string {
  return [...hygieneCsvRows(report)].join("");
}

export function renderHygieneJson(report: HygieneReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

function summaryLine(report: HygieneReport): string {
  const s = report.summary;
  const cloud =
    s.cloudObjects === null ? "Entra ID not read" : `compared with ${s.cloudObjects} cloud objects`;
  const rules = Object.entries(s.byRule)
    .map(([rule, n]) => `${rule} ${n}`)
    .join(", ");
  return (
    `${s.checked} objects checked (${s.objects} read, ${s.excluded} in scope but never exported by Entra Connect), ${cloud}: ` +
    (s.problems === 0
      ? "no problems"
      : `${count(s.problems, "problem")} (${count(s.errors, "error")}, ${count(s.warnings, "warning")}): ${rules}`)
  );
}

function byObject(problems: readonly HygieneProblem[]): HygieneProblem[][] {
  const groups: HygieneProblem[][] = [];
  for (const p of problems) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.dn === p.dn) last.push(p);
    else groups.push([p]);
  }
  return groups;
}

export function renderHygieneText(report: HygieneReport, style: TextStyle): string {
  const lines: string[] = [];
  for (const group of byObject(report.problems)) {
    lines.push(style.bold(`${group[0]!.objectClass} ${group[0]!.dn}`));
    for (const p of group) {
      const tag = p.severity === "error" ? style.red("error") : style.yellow("warning");
      lines.push(`  ${tag} ${p.rule}: ${p.message}`);
      lines.push(`    fix: ${p.fix}`);
      if (p.suggested !== null) lines.push(`    suggested ${p.attribute}: ${p.suggested}`);
    }
  }
  if (lines.length > 0) lines.push("");
  const summary = summaryLine(report);
  lines.push(report.summary.problems === 0 ? style.green(summary) : summary);
  return `${lines.join("\n")}\n`;
}

/** Markdown table cells: pipes escaped, line breaks flattened, code spans where a value is shown. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function code(text: string): string {
  return text === "" ? "" : `\`${cell(text).replace(/`/g, "'")}\``;
}

export function renderHygieneMarkdown(report: HygieneReport): string {
  const lines = ["## Directory hygiene", "", summaryLine(report), ""];
  if (report.problems.length > 0) {
    lines.push(
      "| object | attribute | value | problem | suggested | what happens, and the fix |",
      "|---|---|---|---|---|---|",
    );
    for (const p of report.problems)
      lines.push(
        `| ${p.objectClass} ${code(p.dn)} | ${p.attribute} | ${code(p.value)} | ${p.severity === "error" ? "**error**" : "warning"} ${p.rule} | ${code(p.suggested ?? "")} | ${cell(p.message)}. Fix: ${cell(p.fix)} |`,
      );
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The report in pieces that joined are renderHygiene's text: the CSV of 100,000 objects row by row
 * (no 50 MB string to build and then copy out), the other formats as one piece.
 */
export function renderHygienePieces(
  report: HygieneReport,
  format: HygieneFormat,
  style: TextStyle,
): Iterable<string> {
  return format === "csv" ? hygieneCsvRows(report) : [renderHygiene(report, format, style)];
}

export function renderHygiene(report: HygieneReport, format: HygieneFormat, style: TextStyle): string {
  switch (format) {
    case "json":
      return renderHygieneJson(report);
    case "csv":
      return renderHygieneCsv(report);
    case "markdown":
      return renderHygieneMarkdown(report);
    case "text":
      return renderHygieneText(report, style);
  }
}
