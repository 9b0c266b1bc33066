/** What apply records: one receipt per run, one entry per object it touched. */
import type { ObjectType } from "./directory.js";
import type { AdValues } from "./ports.js";

export type ReceiptResult = "applied" | "conflict" | "skipped" | "failed";

export interface ObjectReceipt {
  key: string;
  target: "ad" | "entra";
  /** DN (AD) or object id (Entra). */
  object: string;
  before: AdValues | { onPremisesImmutableId: string | null } | null;
  after: AdValues | { onPremisesImmutableId: string | null } | null;
  result: ReceiptResult;
  /** Why it was skipped, or what went wrong; null when applied. */
  error: string | null;
}

/** The plan's outcome names (plan/types.ts uses the same): what the next sync does after the write. */
export type PredictedOutcome =
  "joined" | "will-join" | "will-join-other" | "will-create" | "blocked" | "out-of-scope";
export type PredictedVia = "anchor" | "smtp" | "upn";

/**
 * What the reviewed plan predicted the next sync does for one identity apply wrote (or found written):
 * the half `idanchor verify` compares with what the sync then did.
 */
export interface ReceiptPrediction {
  key: string;
  type: ObjectType;
  dn: string | null;
  /** The immutableId the sync joins by; null for an object apply created (not known at plan time). */
  sourceAnchor: string | null;
  outcome: PredictedOutcome;
  via: PredictedVia | null;
  /** The cloud object the plan said the sync joins (null when it creates one), and its name. */
  cloudId: string | null;
  cloudName: string | null;
  /** The on-prem primary SMTP address after the write: the cloud primary once the sync has run. */
  primarySmtp: string | null;
  /** Every SMTP address (primary first) the on-prem object carries after the write. */
  smtpAddresses: string[];
}

export interface Receipt {
  version: 1;
  startedAt: string;
  finishedAt: string;
  /** The commit whose desired state was applied, when known. */
  commit: string | null;
  /**
   * Whether what was applied had been reviewed: the saved plan it applied (its writeDigest, and the
   * pull request it was reviewed in when known), or plan-and-apply without review (emergencies).
   */
  review?: ReceiptReview;
  objects: ObjectReceipt[];
  summary: Record<ReceiptResult, number>;
  /** One per identity whose every object was applied or already in place; absent in older receipts. */
  predictions?: ReceiptPrediction[];
}

export type ReceiptReview =
  | { reviewed: true; pullRequest: number | null; planDigest: string | null }
  | { reviewed: false; reason: string };
