/** Audit report -> markdown: one table row per anchor change. Pure. */
import type { AuditReport } from "../model/audit.js";
import { FIELD_LABELS, describeApplied, describeVerification, prLabel, shortCommit } from "./audit-labels.js";
import { auditHeadline } from "./audit-text.js";
import { codeSpan, escapeMarkdown } from "./markdown-escape.js";

/** Table cells: pipes and line breaks would end the cell or the row. */
function cell(value: string | null): string {
  if (value === null || value === "") return "";
  return codeSpan(value, { inTable: true });
}

const text = (value: string): string => escapeMarkdown(value);

export function renderAuditMarkdown(report: AuditReport): string {
  const lines = [`### ${auditHeadline(report)}`, ""];
  if (report.records.length > 0) {
    lines.push(
      "| Date | Identity | Change | Old | New | Commit | Author | PR | Applied | Verified |",
      "|---|---|---|---|---|---|---|---|---|---|",
    );
    for (const r of report.records)
      lines.push(
        `| ${r.date} | ${cell(r.key)} | ${FIELD_LABELS[r.field]} | ${cell(r.old)} | ${cell(r.new)} | ${shortCommit(r.commit)} | ${text(r.author)} | ${prLabel(r.pr)} | ${text(describeApplied(r.applied))} | ${r.applied.status === "applied" ? text(describeVerification(r.verification)) : ""} |`,
      );
  } else lines.push("No anchor changes.");
  if (report.warnings.length > 0) {
    lines.push("", "#### Warnings", "");
    for (const w of report.warnings)
      lines.push(`- ${shortCommit(w.commit)} ${cell(w.file)}: ${text(w.message)}`);
  }
  return `${lines.join("\n")}\n`;
}
