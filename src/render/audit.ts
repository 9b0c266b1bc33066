/** One renderer per audit format, each a pure (report) => string. */
import type { AuditReport } from "../model/audit.js";
import { renderAuditCsv } from "./audit-csv.js";
import { renderAuditMarkdown } from "./audit-markdown.js";
import { renderAuditText } from "./audit-text.js";
import type { OutputFormat, TextStyle } from "./style.js";

export type AuditFormat = OutputFormat | "csv";

export function renderAuditJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function renderAudit(report: AuditReport, format: AuditFormat, style: TextStyle): string {
  switch (format) {
    case "json":
      return renderAuditJson(report);
    case "csv":
      return renderAuditCsv(report);
    case "markdown":
      return renderAuditMarkdown(report);
    case "text":
      return renderAuditText(report, style);
  }
}
