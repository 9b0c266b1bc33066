/** Audit records: one anchor change per record, as plain data (the JSON output is these objects). */
import type { MatchStrategy, ObjectType } from "./directory.js";

export const AUDIT_VERSION = 1;

export type AuditField =
  | "identity-added"
  | "identity-removed"
  | "primary-smtp"
  | "alias-added"
  | "alias-removed"
  | "cloud"
  | "match"
  | "type"
  | "rebind";

/** One identity as the audit compares it: only the fields that make up an anchor. */
export interface IdentitySnapshot {
  key: string;
  type: ObjectType;
  cloud: string;
  smtp: string;
  aliases: string[];
  match: MatchStrategy;
  rebind: boolean;
  /** The file it stood in at that commit (moves between files are not changes). */
  file: string;
}

/** Every identity of the desired state at one commit, by identity key. */
export type DesiredSnapshot = ReadonlyMap<string, IdentitySnapshot>;

export interface CommitInfo {
  hash: string;
  /** Full hashes of the parents, first parent first. */
  parents: string[];
  author: string;
  email: string;
  /** Author date, ISO 8601. */
  date: string;
  subject: string;
}

/** A change before it is tied to a commit: what the pure differ returns. */
export interface FieldChange {
  key: string;
  type: ObjectType;
  field: AuditField;
  old: string | null;
  new: string | null;
  file: string;
}

export type AppliedStatus = "applied" | "pending" | "superseded" | "not-applicable";

export interface AppliedInfo {
  status: AppliedStatus;
  /** When the receipt that applied it finished, null unless applied. */
  at: string | null;
  /** The commit whose desired state that apply used. */
  commit: string | null;
  /** With status applied: whether the apply wrote a reviewed plan (its PR and digest) or not. */
  review?: AuditReview;
}

/** What `idanchor verify` last found for the receipt that applied a change. */
export interface VerificationInfo {
  verdict: "predicted" | "pending" | "diverged";
  at: string;
  /** The divergence codes (Duplicate, ProvisioningError ...), empty unless diverged. */
  codes: string[];
  /** One line on what the sync did. */
  message: string;
}
export type AuditReview =
  { reviewed: true; pullRequest: number | null; planDigest: string | null } | { reviewed: false };

export interface AuditRecord extends FieldChange {
  commit: string;
  author: string;
  email: string;
  date: string;
  subject: string;
  pr: number | null;
  applied: AppliedInfo;
  /** Present once `idanchor verify` checked the receipt that applied it. */
  verification?: VerificationInfo;
}

/** A commit whose desired state could not be read in full: the audit carries on without it. */
export interface AuditWarning {
  commit: string;
  /** Null for a warning about a receipt note rather than a commit of the desired state. */
  date: string | null;
  file: string;
  message: string;
}

export interface AuditReport {
  version: typeof AUDIT_VERSION;
  /** The ADDRESS or KEY the report was narrowed to, null for all. */
  filter: { target: string | null; since: string | null; until: string | null };
  records: AuditRecord[];
  warnings: AuditWarning[];
}

/** What the history walk hands to the pure assembly: commits oldest first, each with its changes. */
export interface CommitChanges {
  commit: CommitInfo;
  /** The pull request the commit came in through, when a merge or squash subject names one. */
  pr: number | null;
  changes: FieldChange[];
  warnings: Omit<AuditWarning, "commit" | "date">[];
}

/** The history as the walk read it: the input of the pure assembly. */
export interface AuditHistory {
  steps: CommitChanges[];
  /** Every primary and alias address each key ever had (lower case), for the ADDRESS filter. */
  addresses: ReadonlyMap<string, ReadonlySet<string>>;
  receipts: ReceiptView[];
  /** Receipt notes that could not be read. */
  receiptWarnings: AuditWarning[];
  /** For each receipt commit, the commits it contains (itself and its ancestors). */
  contains: ReadonlyMap<string, ReadonlySet<string>>;
  /** Verify's verdicts, oldest first; absent when none were read. */
  verifications?: VerificationView[];
}

/** One verdict of `idanchor verify` reduced to what the audit needs. */
export interface VerificationView extends VerificationInfo {
  /** Identity key, lower case. */
  key: string;
  /** The receipt it checked. */
  receiptCommit: string | null;
  receiptFinishedAt: string;
}

/** A receipt reduced to what the audit needs. */
export interface ReceiptView {
  commit: string;
  finishedAt: string;
  /** Keys with an applied or skipped (already right) object in the receipt. */
  keys: string[];
  /** Receipts from before reviews were recorded, and plan-and-apply runs, are unreviewed. */
  review: AuditReview;
}
