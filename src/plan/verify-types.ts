/** Verify's data: what the plan predicted vs what the sync did, per applied identity. Plain data. */
import type { Receipt, ReceiptPrediction } from "../model/receipts.js";
import type { ObjectType } from "../model/directory.js";

export const VERIFY_VERSION = 1;

/** predicted: as the plan said; pending: the sync has not processed it yet; diverged: something else. */
export type Verdict = "predicted" | "pending" | "diverged";

export type DivergenceCode =
  /** A new cloud object carries the anchor or the planned primary address: the duplicate the plan prevented. */
  | "Duplicate"
  /** The anchor landed on an existing cloud object other than the one the plan named. */
  | "JoinedOtherObject"
  /** onPremisesProvisioningErrors stands on the object (a PropertyConflict: the value is quarantined). */
  | "ProvisioningError"
  /** An unresolved serviceProvisioningErrors entry (Exchange Online's own) stands on the object. */
  | "ServiceProvisioningError"
  /** Joined as planned, but the cloud addresses are not the planned ones and no error explains it. */
  | "AddressMismatch"
  /** The cloud object the plan joined no longer exists. */
  | "CloudObjectGone"
  /** The tenant synchronised well after the apply, and this object was still not processed. */
  | "NotSynced";

export interface Divergence {
  code: DivergenceCode;
  /** Entra's own name for it, where one exists (AttributeValueMustBeUnique ...). */
  entraError: string | null;
  /** The cloud object it concerns. */
  objectId: string | null;
  /** The value Entra quarantined (left off the object), when the error names one. */
  quarantined: string | null;
  /** What happened and what the next sync will do. */
  message: string;
  /** What to change. */
  fix: string;
}

/** The receipt a prediction came from, with the pull request its commit came in through. */
export interface ReceiptRef {
  /** The commit whose desired state was applied. */
  commit: string | null;
  startedAt: string;
  finishedAt: string;
  pr: number | null;
}

export interface VerifyResult {
  key: string;
  type: ObjectType;
  verdict: Verdict;
  dn: string | null;
  /** The cloud object the plan said the sync joins, null when it creates one. */
  plannedId: string | null;
  plannedName: string | null;
  /** The cloud object that now carries this object's anchor (or joined it), null when none. */
  observedId: string | null;
  observedName: string | null;
  receipt: ReceiptRef;
  /** One line on the verdict: what was seen. */
  message: string;
  divergences: Divergence[];
}

export interface VerifySummary {
  identities: number;
  predicted: number;
  pending: number;
  diverged: number;
}

export interface VerifyReport {
  version: typeof VERIFY_VERSION;
  /** The tenant's last sync (Graph organization onPremisesLastSyncDateTime) when known. */
  tenantLastSync: string | null;
  results: VerifyResult[];
  summary: VerifySummary;
}

/** A receipt as read from the notes, with the commit it is attached to and that commit's pull request. */
export interface NotedReceipt {
  receipt: Receipt;
  /** The commit the note is attached to. */
  noteCommit: string;
  pr: number | null;
}

/** A verification result as it is kept in the notes (one line per verify run and receipt commit). */
export interface VerificationNote {
  kind: "verification";
  version: typeof VERIFY_VERSION;
  verifiedAt: string;
  tenantLastSync: string | null;
  results: VerifyResult[];
}

/** Which receipts to verify: since a commit (those not contained in it), since a time, or the unverified ones. */
export type VerifySince =
  { kind: "unverified" } | { kind: "commits"; commits: ReadonlySet<string> } | { kind: "date"; ms: number };

export interface PendingPrediction {
  prediction: ReceiptPrediction;
  receipt: ReceiptRef;
}
