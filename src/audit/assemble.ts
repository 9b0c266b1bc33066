/**
 * History -> report: ties each change to its commit and pull request, decides whether it was
 * applied, and applies the filters. Pure: no git, no clock.
 */
import { snapshotKey } from "./snapshot.js";
import { AUDIT_VERSION } from "../model/audit.js";
import type {
  AppliedInfo,
  AuditHistory,
  AuditRecord,
  AuditReport,
  AuditWarning,
  CommitChanges,
  FieldChange,
} from "../model/audit.js";

export interface AuditFilter {
  /** An address (current or past primary or alias) or an identity key; null for all. */
  target: string | null;
  /** Inclusive lower bound on the commit's author date, as given by the user. */
  since: string | null;
  /** Inclusive upper bound; a bare date means the whole of that day. */
  until: string | null;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Milliseconds for a --since/--until value, or null when it is not a date. */
export function parseDateBound(value: string, end: "since" | "until"): number | null {
  const text = DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  return DATE_ONLY.test(value) && end === "until" ? ms + 86_400_000 - 1 : ms;
}

/** What a later change would overwrite: the same field, the same alias, or the whole identity. */
function slot(change: FieldChange): string {
  if (change.field === "alias-added" || change.field === "alias-removed")
    return `alias:${(change.new ?? change.old ?? "").toLowerCase()}`;
  if (change.field === "identity-added" || change.field === "identity-removed") return "identity";
  return change.field;
}

function overwrites(later: FieldChange, earlier: FieldChange): boolean {
  return (
    snapshotKey(later.key) === snapshotKey(earlier.key) &&
    (later.field === "identity-removed" || slot(later) === slot(earlier))
  );
}

function appliedInfo(
  history: AuditHistory,
  steps: readonly CommitChanges[],
  index: number,
  change: FieldChange,
): AppliedInfo {
  // Dropping an entry writes nothing: idanchor never touches objects the desired state does not name.
  if (change.field === "identity-removed") return { status: "not-applicable", at: null, commit: null };
  const step = steps[index]!;
  const key = snapshotKey(change.key);
  const later = steps.slice(index + 1).filter((s) => s.changes.some((c) => overwrites(c, change)));
  const receipt = [...history.receipts]
    .sort((a, b) => a.finishedAt.localeCompare(b.finishedAt))
    .find((r) => r.keys.includes(key) && history.contains.get(r.commit)?.has(step.commit.hash) === true);
  if (!receipt) return { status: later.length > 0 ? "superseded" : "pending", at: null, commit: null };
  const overwrittenFirst = later.some(
    (s) => history.contains.get(receipt.commit)?.has(s.commit.hash) === true,
  );
  if (overwrittenFirst) return { status: "superseded", at: null, commit: null };
  return { status: "applied", at: receipt.finishedAt, commit: receipt.commit, review: receipt.review };
}

function verificationOf(history: AuditHistory, change: FieldChange, applied: AppliedInfo) {
  if (applied.status !== "applied") return undefined;
  const key = snapshotKey(change.key);
  const found = (history.verifications ?? []).filter(
    (v) => v.key === key && v.receiptCommit === applied.commit && v.receiptFinishedAt === applied.at,
  );
  const last = found.at(-1);
  return last ? { verdict: last.verdict, at: last.at, codes: last.codes, message: last.message } : undefined;
}

function matchingKeys(history: AuditHistory, target: string): Set<string> {
  const wanted = target.toLowerCase();
  const keys = new Set<string>();
  for (const [key, addresses] of history.addresses)
    if (key === snapshotKey(target) || addresses.has(wanted)) keys.add(key);
  // A key that only ever appeared in a removal still matches by its own name.
  for (const step of history.steps)
    for (const change of step.changes)
      if (snapshotKey(change.key) === snapshotKey(target)) keys.add(snapshotKey(target));
  return keys;
}

function inWindow(date: string | null, since: number | null, until: number | null): boolean {
  if (date === null) return true;
  const ms = Date.parse(date);
  return (since === null || ms >= since) && (until === null || ms <= until);
}

export function assembleAudit(history: AuditHistory, filter: AuditFilter): AuditReport {
  const since = filter.since === null ? null : parseDateBound(filter.since, "since");
  const until = filter.until === null ? null : parseDateBound(filter.until, "until");
  const keys = filter.target === null ? null : matchingKeys(history, filter.target);
  const records: AuditRecord[] = [];
  const warnings: AuditWarning[] = [];
  history.steps.forEach((step, index) => {
    const { commit } = step;
    if (!inWindow(commit.date, since, until)) return;
    for (const change of step.changes) {
      if (keys && !keys.has(snapshotKey(change.key))) continue;
      const applied = appliedInfo(history, history.steps, index, change);
      const verification = verificationOf(history, change, applied);
      records.push({
        ...change,
        commit: commit.hash,
        author: commit.author,
        email: commit.email,
        date: commit.date,
        subject: commit.subject,
        pr: step.pr,
        applied,
        ...(verification ? { verification } : {}),
      });
    }
    for (const warning of step.warnings)
      warnings.push({ ...warning, commit: commit.hash, date: commit.date });
  });
  warnings.push(...history.receiptWarnings);
  return { version: AUDIT_VERSION, filter: { ...filter }, records, warnings };
}
