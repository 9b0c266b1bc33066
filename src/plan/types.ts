/** The plan: plain data, versioned, the only thing apply reads (DESIGN.md section 4). */
import type { Position } from "../desired/types.js";
import type { ObjectType } from "../model/directory.js";
import type { PredictedOutcome, PredictedVia } from "../model/receipts.js";

export const PLAN_VERSION = 1;

/** Defined beside the receipts that record them (model imports nothing), so a receipt's prediction is typed. */
export type Outcome = PredictedOutcome;
export type Via = PredictedVia;
export type Severity = "error" | "warning";

export interface PlanFinding {
  severity: Severity;
  /** Entra's own error name where one exists (InvalidSoftMatch, AttributeValueMustBeUnique ...). */
  code: string;
  /** What the next sync does and why. */
  message: string;
  /** What to change so that it does what the desired state says. */
  fix: string;
}

/** A compare-and-set change to one attribute: `remove` names the exact values read, `add` the new ones. */
export type Change =
  | { target: "ad"; dn: string; attribute: "proxyAddresses" | "mail"; add: string[]; remove: string[] }
  /**
   * Creates the object at `dn`: `add` is its objectClass, `create` the attributes it is created with
   * (the proxyAddresses and mail changes of the same identity go into the same LDAP add).
   */
  | {
      target: "ad";
      dn: string;
      attribute: "objectClass";
      add: string[];
      remove: string[];
      create: Record<string, string>;
    }
  | {
      target: "entra";
      objectId: string;
      attribute: "onPremisesImmutableId";
      add: string[];
      remove: string[];
    };

/** The values the plan was computed from, for every object it would write. */
export interface ReadValues {
  ad: { dn: string; proxyAddresses: string[]; mail: string | null } | null;
  entra: { objectId: string; onPremisesImmutableId: string | null } | null;
}

export interface PlanIdentity {
  key: string;
  type: ObjectType;
  /** Where the entry stands in the desired state. */
  source: Position;
  /** The AD object the entry resolved to, null when not found. */
  dn: string | null;
  /**
   * Its source anchor (the immutableId the sync joins by), null when not known yet (an object apply
   * creates) or not found. Verify checks the cloud side against it; absent in plans of older versions.
   */
  sourceAnchor?: string | null;
  /** The cloud object the desired state names, null when not found. */
  targetId: string | null;
  /** Its UPN (users) or mail / display name: what a reviewer recognises. */
  targetName: string;
  outcome: Outcome;
  via: Via | null;
  /** The cloud object the next sync joins (or is joined to), null when it creates or does nothing. */
  cloudId: string | null;
  cloudName: string | null;
  /** The YAML entry allows pointing a joined object at another cloud object. */
  rebind: boolean;
  /**
   * Digest of the desired entry the plan was made from (plan/digest.ts): apply refuses the identity
   * when the checked-out entry differs, or when a plan carries none.
   */
  entryDigest?: string;
  /** Apply re-reads these and refuses an object whose live values differ (the plan's fingerprint). */
  read: ReadValues;
  changes: Change[];
  findings: PlanFinding[];
}

export interface PlanSummary {
  identities: number;
  changes: number;
  errors: number;
  warnings: number;
  /** Errors Graph reports from the last sync on the objects the identities concern (CurrentSyncError). */
  currentSyncErrors: number;
  outcomes: Record<Outcome, number>;
}

/** What the views count (plan/counts.ts): identities with a blocking error count as blocked. */
export interface PlanCounts {
  identities: number;
  /** Per outcome, with every identity that has a blocking error under `blocked`. */
  outcomes: Record<Outcome, number>;
  /** Changes apply will write (identities without a blocking error). */
  written: number;
  /** Changes of identities with a blocking error: apply refuses them until the errors are fixed. */
  withheld: number;
  errors: number;
  warnings: number;
  /** Identities with nothing to change and no findings. */
  quiet: number;
}

export interface Plan {
  version: typeof PLAN_VERSION;
  identities: PlanIdentity[];
  findings: PlanFinding[];
  summary: PlanSummary;
  /** With `plan --base REF`: what the change between REF and the working tree does. */
  base?: BaseComparison;
  /** Digest of the changes per object (plan/digest.ts): what reviewers approved, in the PR comment's marker too. */
  writeDigest?: string;
}

/**
 * `added`, `removed`, `edited`: the YAML entry changed between the base and the working tree.
 * `affected`: the entry did not change, but its outcome, changes or errors did.
 */
export type ReviewStatus = "added" | "removed" | "edited" | "affected";

/** What the next sync does with an object whose entry was removed (nothing manages it any more). */
export interface Released {
  /** Null when the AD object does not exist: then nothing happens at all. */
  dn: string | null;
  outcome: Outcome | null;
  via: Via | null;
  cloudId: string | null;
  cloudName: string | null;
  findings: PlanFinding[];
}

export interface ReviewedIdentity {
  key: string;
  status: ReviewStatus;
  /** The identity in the base plan; null when the entry is new. */
  base: PlanIdentity | null;
  /** For a removed entry: the next sync with the object's live values, idanchor writing nothing. */
  released: Released | null;
}

export interface BaseComparison {
  /** The ref as given, and the commit it resolved to. */
  ref: string;
  commit: string;
  /** The base plan's summary and counts; null when the desired state at the base could not be loaded. */
  summary: PlanSummary | null;
  counts: PlanCounts | null;
  /** Why the base could not be planned (then every entry counts as added), else null. */
  problem: string | null;
  /** The identities of this change, in order: added and edited, affected, removed. */
  identities: ReviewedIdentity[];
}

export const OUTCOMES: readonly Outcome[] = [
  "blocked",
  "will-join-other",
  "will-create",
  "out-of-scope",
  "will-join",
  "joined",
];
