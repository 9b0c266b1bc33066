/** Verify report -> text | markdown | json | csv. Pure. */
import type { VerifyReport, VerifyResult } from "../plan/verify-types.js";
import { csvField } from "./audit-csv.js";
import { escapeMarkdown } from "./plan-markdown.js";
import type { TextStyle } from "./style.js";

export type VerifyFormat = "text" | "markdown" | "json" | "csv";

export const VERIFY_CSV_COLUMNS = [
  "identity",
  "type",
  "verdict",
  "codes",
  "planned_object",
  "observed_object",
  "pr",
  "commit",
  "applied_at",
  "message",
] as const;

/** The pull request and commit of the change, so the admin knows which review to reopen. */
export function changeOf(result: VerifyResult): string {
  const { pr, commit } = result.receipt;
  const c = commit ? `commit ${commit.slice(0, 12)}` : "no commit";
  return pr !== null ? `PR #${pr}, ${c}` : c;
}

function headline(report: VerifyReport): string {
  const { identities, predicted, pending, diverged } = report.summary;
  return `idanchor verify: ${identities} identit${identities === 1 ? "y" : "ies"}: ${predicted} as predicted, ${pending} not synced yet, ${diverged} diverged`;
}

const LABEL: Record<VerifyResult["verdict"], string> = {
  predicted: "as predicted",
  pending: "not synced yet",
  diverged: "diverged",
};

export function renderVerifyText(report: VerifyReport, style: TextStyle): string {
  if (report.results.length === 0)
    return "idanchor verify: nothing to verify; every applied identity was already verified as predicted.\n";
  const colour = {
    predicted: (t: string) => style.green(t),
    pending: (t: string) => style.yellow(t),
    diverged: (t: string) => style.red(t),
  };
  const lines = [style.bold(headline(report))];
  for (const r of report.results) {
    lines.push(`  ${colour[r.verdict](LABEL[r.verdict])} ${r.key} (${changeOf(r)}): ${r.message}`);
    for (const d of r.divergences)
      lines.push(
        `    ${style.red(d.code)}${d.entraError ? ` (${d.entraError})` : ""}: ${d.message}`,
        `      Fix: ${d.fix}`,
      );
  }
  return `${lines.join("\n")}\n`;
}

export function renderVerifyMarkdown(report: VerifyReport): string {
  if (report.results.length === 0)
    return "### idanchor verify\n\nNothing to verify: every applied identity was already verified as predicted.\n";
  const out = [
    "### idanchor verify",
    "",
    `**${escapeMarkdown(headline(report).replace(/^idanchor verify: /, ""))}**`,
    "",
    "| identity | verdict | change | what the sync did |",
    "|---|---|---|---|",
  ];
  for (const r of report.results)
    out.push(
      `| ${escapeMarkdown(r.key)} | ${LABEL[r.verdict]}${r.divergences.length > 0 ? `: ${r.divergences.map((d) => d.code).join(", ")}` : ""} | ${escapeMarkdown(changeOf(r))} | ${escapeMarkdown(r.message)} |`,
    );
  const diverged = report.results.filter((r) => r.divergences.length > 0);
  for (const r of diverged) {
    out.push("", `#### ${escapeMarkdown(r.key)}: diverged from ${escapeMarkdown(changeOf(r))}`, "");
    for (const d of r.divergences)
      out.push(
        `- **${d.code}**${d.entraError ? ` (${d.entraError})` : ""}: ${escapeMarkdown(d.message)}`,
        `  Fix: ${escapeMarkdown(d.fix)}`,
      );
  }
  return `${out.join("\n")}\n`;
}

export function renderVerifyCsv(report: VerifyReport): string {
  const rows: (string | number | null)[][] = [[...VERIFY_CSV_COLUMNS]];
  for (const r of report.results)
    rows.push([
      r.key,
      r.type,
      r.verdict,
      r.divergences.map((d) => d.code).join(" "),
      r.plannedId,
      r.observedId,
      r.receipt.pr,
      r.receipt.commit,
      r.receipt.finishedAt,
      [r.message, ...r.divergences.map((d) => d.message)].join(" | "),
    ]);
  return rows.map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

export function renderVerify(report: VerifyReport, format: VerifyFormat, style: TextStyle): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "markdown":
      return renderVerifyMarkdown(report);
    case "csv":
      return renderVerifyCsv(report);
    case "text":
      return renderVerifyText(report, style);
  }
}
