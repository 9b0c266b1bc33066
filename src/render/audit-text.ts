/** Audit report -> text for terminals, one block per commit. Pure: colour comes in as a style. */
import type { AuditRecord, AuditReport } from "../model/audit.js";
import {
  FIELD_LABELS,
  describeAppliedAndVerified,
  describeValues,
  prLabel,
  shortCommit,
} from "./audit-labels.js";
import type { TextStyle } from "./style.js";

function byCommit(records: readonly AuditRecord[]): AuditRecord[][] {
  const groups: AuditRecord[][] = [];
  for (const record of records) {
    const last = groups.at(-1);
    if (last && last[0]!.commit === record.commit) last.push(record);
    else groups.push([record]);
  }
  return groups;
}

export function auditHeadline(report: AuditReport): string {
  const commits = new Set(report.records.map((r) => r.commit)).size;
  const { target, since, until } = report.filter;
  const filters = [
    target === null ? null : `for ${target}`,
    since === null ? null : `since ${since}`,
    until === null ? null : `until ${until}`,
  ].filter((f) => f !== null);
  const warned = report.warnings.length > 0 ? `, ${report.warnings.length} warnings` : "";
  return `idanchor audit: ${report.records.length} anchor changes in ${commits} commits${warned}${filters.length > 0 ? ` (${filters.join(", ")})` : ""}`;
}

export function renderAuditText(report: AuditReport, style: TextStyle): string {
  const lines = [style.bold(auditHeadline(report))];
  for (const group of byCommit(report.records)) {
    const first = group[0]!;
    const pr = first.pr === null ? "" : `  PR ${prLabel(first.pr)}`;
    lines.push(
      "",
      `${style.cyan(shortCommit(first.commit))}  ${first.date}  ${first.author} <${first.email}>${pr}`,
      `  ${style.dim(first.subject)}`,
    );
    for (const record of group) {
      const status = describeAppliedAndVerified(record);
      const good = record.applied.status === "applied" && record.verification?.verdict !== "diverged";
      const painted = good
        ? style.green(status)
        : record.verification?.verdict === "diverged"
          ? style.red(status)
          : style.yellow(status);
      lines.push(`  ${record.key}  ${FIELD_LABELS[record.field]}: ${describeValues(record)}  [${painted}]`);
    }
  }
  if (report.warnings.length > 0) {
    lines.push("", style.yellow(`Warnings (${report.warnings.length})`));
    for (const warning of report.warnings)
      lines.push(`  ${shortCommit(warning.commit)}  ${warning.file}: ${warning.message}`);
  }
  return `${lines.join("\n")}\n`;
}
