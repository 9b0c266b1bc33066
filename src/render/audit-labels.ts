/** Words shared by the audit renderers. Pure. */
import type { AppliedInfo, AuditField, AuditRecord, VerificationInfo } from "../model/audit.js";

export const FIELD_LABELS: Record<AuditField, string> = {
  "identity-added": "identity added",
  "identity-removed": "identity removed",
  "primary-smtp": "primary SMTP",
  "alias-added": "alias added",
  "alias-removed": "alias removed",
  cloud: "cloud target",
  match: "match strategy",
  type: "object type",
  rebind: "rebind",
};

export function shortCommit(hash: string): string {
  return hash.slice(0, 12);
}

/** "reviewed in #12 (plan sha256:abcdef012345)" or "unreviewed". */
export function describeReview(review: AppliedInfo["review"]): string {
  if (!review?.reviewed) return "unreviewed";
  const pr = review.pullRequest === null ? "reviewed" : `reviewed in #${review.pullRequest}`;
  return review.planDigest ? `${pr} (plan ${review.planDigest.slice(0, 19)})` : pr;
}

export function describeApplied(applied: AppliedInfo): string {
  switch (applied.status) {
    case "applied":
      return `applied ${applied.at ?? ""} (${shortCommit(applied.commit ?? "")}), ${describeReview(applied.review)}`;
    case "pending":
      return "not applied yet";
    case "superseded":
      return "superseded before it was applied";
    case "not-applicable":
      return "nothing to apply";
  }
}

export function describeValues(record: AuditRecord): string {
  if (record.old !== null && record.new !== null) return `${record.old} -> ${record.new}`;
  return record.new ?? record.old ?? "";
}

export function prLabel(pr: number | null): string {
  return pr === null ? "" : `#${pr}`;
}

/** "verified as predicted at ...", "diverged (Duplicate) at ...", or "not verified yet" for an applied change. */
export function describeVerification(verification: VerificationInfo | undefined): string {
  if (!verification) return "not verified yet";
  const what =
    verification.verdict === "predicted"
      ? "verified as predicted"
      : verification.verdict === "pending"
        ? "not synced yet"
        : `diverged (${verification.codes.join(", ")})`;
  return `${what} ${verification.at}`;
}

/** The applied status, followed by the verdict once the change was applied. */
export function describeAppliedAndVerified(record: AuditRecord): string {
  const applied = describeApplied(record.applied);
  return record.applied.status === "applied"
    ? `${applied}; ${describeVerification(record.verification)}`
    : applied;
}
