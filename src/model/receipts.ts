/** What apply records: one receipt per run, one entry per object it touched. */
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

export interface Receipt {
  version: 1;
  startedAt: string;
  finishedAt: string;
  /** The commit whose desired state was applied, when known. */
  commit: string | null;
  objects: ObjectReceipt[];
  summary: Record<ReceiptResult, number>;
}
