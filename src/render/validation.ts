/** Rendering of `idanchor validate` results. Pure. */
import type { ValidationFinding } from "../desired/types.js";
import { stripControl } from "../model/sanitize.js";
import { codeSpan, escapeMarkdown } from "./markdown-escape.js";
import type { TextStyle } from "./style.js";

export function findingLocation(f: ValidationFinding): string {
  return f.line > 0 ? `${f.file}:${f.line}:${f.column}` : f.file;
}

export function renderValidationText(
  findings: readonly ValidationFinding[],
  summary: { files: number; identities: number },
  style: TextStyle,
): string {
  const lines = findings.map((f) => {
    const label = f.severity === "error" ? style.red(`error ${f.code}`) : style.yellow(`warning ${f.code}`);
    return `${stripControl(findingLocation(f))}: ${label}: ${stripControl(f.message)}`;
  });
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  const counts = `${summary.files} file${summary.files === 1 ? "" : "s"}, ${summary.identities} identit${summary.identities === 1 ? "y" : "ies"}`;
  lines.push(
    errors > 0
      ? style.red(
          `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"} (${counts})`,
        )
      : style.green(
          `valid: ${counts}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}`,
        ),
  );
  return `${lines.join("\n")}\n`;
}

export function renderValidationMarkdown(
  findings: readonly ValidationFinding[],
  summary: { files: number; identities: number },
): string {
  if (findings.length === 0)
    return `**idanchor validate**: valid (${summary.files} files, ${summary.identities} identities)\n`;
  const rows = findings.map(
    (f) =>
      `| ${codeSpan(findingLocation(f), { inTable: true })} | ${f.severity} | ${codeSpan(f.code, { inTable: true })} | ${escapeMarkdown(f.message)} |`,
  );
  return [
    "**idanchor validate**",
    "",
    "| where | severity | code | message |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

export function renderValidationJson(findings: readonly ValidationFinding[]): string {
  const ordered = findings.map(({ file, line, column, code, severity, message }) => ({
    file,
    line,
    column,
    code,
    severity,
    message,
  }));
  return `${JSON.stringify({ findings: ordered }, null, 2)}\n`;
}
