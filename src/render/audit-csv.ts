/**
 * Audit report -> CSV for spreadsheets: RFC 4180 (CRLF, quoted where needed, a header row).
 * Warnings follow the changes as rows whose field is "warning". Pure.
 */
import type { AuditReport } from "../model/audit.js";

export const AUDIT_CSV_COLUMNS = [
  "date",
  "identity",
  "type",
  "field",
  "old",
  "new",
  "commit",
  "author",
  "email",
  "pr",
  "subject",
  "file",
  "applied",
  "applied_at",
  "applied_commit",
  "verified",
  "verified_at",
  "divergences",
  "reviewed",
  "reviewed_pr",
  "plan_digest",
] as const;

/**
 * One field. Values a spreadsheet would run as a formula (commit subjects and author names are
 * written by anyone who can open a pull request) get a leading apostrophe, as OWASP advises.
 */
export function csvField(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderAuditCsv(report: AuditReport): string {
  const rows: (string | number | null)[][] = [[...AUDIT_CSV_COLUMNS]];
  for (const r of report.records)
    rows.push([
      r.date,
      r.key,
      r.type,
      r.field,
      r.old,
      r.new,
      r.commit,
      r.author,
      r.email,
      r.pr,
      r.subject,
      r.file,
      r.applied.status,
      r.applied.at,
      r.applied.commit,
      r.verification?.verdict ?? null,
      r.verification?.at ?? null,
      r.verification ? r.verification.codes.join(" ") : null,
      r.applied.status !== "applied" ? null : r.applied.review?.reviewed ? "reviewed" : "unreviewed",
      r.applied.review?.reviewed ? r.applied.review.pullRequest : null,
      r.applied.review?.reviewed ? r.applied.review.planDigest : null,
    ]);
  for (const w of report.warnings)
    rows.push([
      w.date,
      null,
      null,
      "warning",
      null,
      w.message,
      w.commit,
      null,
      null,
      null,
      null,
      w.file,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  return rows.map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
