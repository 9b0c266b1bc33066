/**
 * Executes a plan: for every object, re-read, compare with what the plan was computed from, and
 * write with compare-and-set. An object already in its planned state is skipped, so a rerun after
 * a crash writes only what is missing. Reads nothing but the plan and the live objects it names.
 */
import type { Change, Plan, PlanIdentity } from "../plan/types.js";
import { afterChanges } from "../plan/ad-changes.js";
import { identityRefusal, writesOf } from "./guards.js";
import type { AdAddressWrite, AdValues, ApplyPorts } from "../model/ports.js";
import type { ObjectReceipt, ReceiptResult, Receipt } from "../model/receipts.js";
import { receiptPredictions } from "./prediction.js";

/** An identity the guards refused: nothing of it was written. */
export interface Refusal {
  key: string;
  source: PlanIdentity["source"];
  reason: string;
}

export interface ApplyResult {
  receipt: Receipt;
  refused: Refusal[];
}

export interface ApplyOptions {
  /** At most this many AD modifies in flight. */
  concurrency: number;
  now: () => Date;
  commit: string | null;
  /** Called after each object, e.g. for progress. */
  onObject?: (receipt: ObjectReceipt) => void;
  /** Identities refused before this call (verify-plan.ts), by key, with the reason: nothing of them is written. */
  refuse?: ReadonlyMap<string, string>;
  /** Whether the plan was reviewed, recorded in the receipt. */
  review?: Receipt["review"];
}

function sameValues(a: AdValues, b: AdValues): boolean {
  const sorted = (v: string[]): string => JSON.stringify([...v].sort());
  return sorted(a.proxyAddresses) === sorted(b.proxyAddresses) && (a.mail ?? null) === (b.mail ?? null);
}

function adWrite(changes: readonly Change[], before: AdValues): AdAddressWrite {
  const write: AdAddressWrite = {};
  for (const change of changes) {
    if (change.target !== "ad") continue;
    if (change.attribute === "proxyAddresses")
      write.proxyAddresses = { add: change.add, remove: change.remove };
    else if (change.attribute === "mail") write.mail = { expected: before.mail, next: change.add[0] ?? "" };
  }
  return write;
}

/** Everything the new object is created with, its addresses included, for one atomic LDAP add. */
function createAttributes(create: Extract<Change, { attribute: "objectClass" }>, after: AdValues) {
  const attributes: Record<string, string[]> = { objectClass: create.add };
  for (const [name, value] of Object.entries(create.create)) attributes[name] = [value];
  if (after.proxyAddresses.length > 0) attributes.proxyAddresses = after.proxyAddresses;
  if (after.mail) attributes.mail = [after.mail];
  return attributes;
}

async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function applyAd(identity: PlanIdentity, ports: ApplyPorts): Promise<ObjectReceipt | null> {
  const changes = identity.changes.filter((c) => c.target === "ad");
  const read = identity.read.ad;
  if (changes.length === 0 || !read) return null;
  const before: AdValues = { proxyAddresses: read.proxyAddresses, mail: read.mail };
  const after = afterChanges(before, changes);
  const receipt = (
    result: ReceiptResult,
    error: string | null,
    seen: AdValues | null = before,
  ): ObjectReceipt => ({
    key: identity.key,
    target: "ad",
    object: read.dn,
    before: seen,
    after: result === "applied" ? after : seen,
    result,
    error,
  });
  const create = changes.find((c) => c.attribute === "objectClass");
  try {
    const live = await ports.ad.readValues(read.dn);
    if (create) {
      if (live && sameValues(live, after)) return receipt("skipped", "already created as planned", live);
      if (live) return receipt("conflict", "an object already exists at this DN; plan again", live);
      const outcome = await ports.ad.createObject(read.dn, createAttributes(create, after));
      return outcome.status === "applied"
        ? receipt("applied", null, null)
        : receipt(outcome.status, outcome.message, null);
    }
    if (!live) return receipt("failed", "the object no longer exists", null);
    if (sameValues(live, after)) return receipt("skipped", "already in the planned state", live);
    if (!sameValues(live, before))
      return receipt("conflict", "changed since the plan was made; plan again and review the new plan", live);
    const outcome = await ports.ad.writeAddresses(read.dn, adWrite(changes, before));
    return outcome.status === "applied" ? receipt("applied", null) : receipt(outcome.status, outcome.message);
  } catch (error) {
    return receipt("failed", describeError(error));
  }
}

async function applyEntra(identities: readonly PlanIdentity[], ports: ApplyPorts): Promise<ObjectReceipt[]> {
  const pending = identities.flatMap((identity) =>
    identity.changes.flatMap((c) =>
      c.target === "entra" && identity.read.entra ? [{ identity, change: c, read: identity.read.entra }] : [],
    ),
  );
  if (pending.length === 0) return [];
  const receipt = (
    p: (typeof pending)[number],
    result: ReceiptResult,
    error: string | null,
    seen: string | null,
  ): ObjectReceipt => ({
    key: p.identity.key,
    target: "entra",
    object: p.change.objectId,
    before: { onPremisesImmutableId: seen },
    after: { onPremisesImmutableId: result === "applied" ? (p.change.add[0] ?? null) : seen },
    result,
    error,
  });
  let live: Map<string, string | null>;
  try {
    live = await ports.entra.readImmutableIds(pending.map((p) => p.change.objectId));
  } catch (error) {
    return pending.map((p) => receipt(p, "failed", describeError(error), p.read.onPremisesImmutableId));
  }
  // The compare of compare-and-set: Graph has no conditional write, so this read is the last look.
  const out: ObjectReceipt[] = [];
  const toWrite: typeof pending = [];
  for (const p of pending) {
    const current = live.get(p.change.objectId);
    if (current === undefined) out.push(receipt(p, "failed", "the cloud object no longer exists", null));
    else if (current === p.change.add[0])
      out.push(receipt(p, "skipped", "already in the planned state", current));
    else if (current !== p.read.onPremisesImmutableId)
      out.push(
        receipt(
          p,
          "conflict",
          `onPremisesImmutableId is ${JSON.stringify(current)}, the plan expected ${JSON.stringify(p.read.onPremisesImmutableId)}: changed since the plan was made; plan again and review the new plan`,
          current,
        ),
      );
    else toWrite.push(p);
  }
  if (toWrite.length === 0) return out;
  try {
    const results = await ports.entra.writeImmutableIds(
      toWrite.map((p) => ({ userId: p.change.objectId, next: p.change.add[0] ?? "" })),
    );
    const byId = new Map(results.map((r) => [r.userId, r]));
    for (const p of toWrite) {
      const r = byId.get(p.change.objectId);
      if (!r)
        out.push(receipt(p, "failed", "no result returned for this object", p.read.onPremisesImmutableId));
      else if (r.status === "applied") out.push(receipt(p, "applied", null, p.read.onPremisesImmutableId));
      else out.push(receipt(p, r.status, r.message, p.read.onPremisesImmutableId));
    }
  } catch (error) {
    for (const p of toWrite)
      out.push(receipt(p, "failed", describeError(error), p.read.onPremisesImmutableId));
  }
  return out;
}

function skippedReceipts(identity: PlanIdentity, reason: string): ObjectReceipt[] {
  return writesOf(identity).map(({ target, object }) => ({
    key: identity.key,
    target,
    object,
    before: null,
    after: null,
    result: "skipped",
    error: reason,
  }));
}

/**
 * Writes what the plan says, identity by identity, refusing the ones the guards stop; every object
 * of every identity with changes gets a receipt (refused ones as skipped, with the reason).
 */
export async function applyPlan(plan: Plan, ports: ApplyPorts, options: ApplyOptions): Promise<ApplyResult> {
  const startedAt = options.now().toISOString();
  const objects: ObjectReceipt[] = [];
  const record = (receipt: ObjectReceipt): void => {
    objects.push(receipt);
    options.onObject?.(receipt);
  };
  const writable: PlanIdentity[] = [];
  const refused: Refusal[] = [];
  for (const identity of plan.identities) {
    if (identity.changes.length === 0) continue;
    const reason = options.refuse?.get(identity.key) ?? identityRefusal(identity);
    if (reason) {
      refused.push({ key: identity.key, source: identity.source, reason });
      skippedReceipts(identity, reason).forEach(record);
    } else writable.push(identity);
  }
  // AD first: an Entra hard-match anchor is only worth setting once the on-prem side is right.
  const entraReady: PlanIdentity[] = [];
  await pool(writable, options.concurrency, async (identity) => {
    const receipt = await applyAd(identity, ports);
    if (receipt) record(receipt);
    if (!receipt || receipt.result === "applied" || receipt.result === "skipped") entraReady.push(identity);
  });
  for (const identity of writable.filter((i) => !entraReady.includes(i)))
    for (const receipt of skippedReceipts(identity, "not written: its AD change did not go through").filter(
      (r) => r.target === "entra",
    ))
      record(receipt);
  (await applyEntra(entraReady, ports)).forEach(record);

  // Writes finish in any order; the receipt lists objects in plan order, AD before Entra.
  const order = new Map(plan.identities.map((identity, index) => [identity.key, index]));
  objects.sort(
    (a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0) || a.target.localeCompare(b.target),
  );
  const summary: Record<ReceiptResult, number> = { applied: 0, conflict: 0, skipped: 0, failed: 0 };
  for (const o of objects) summary[o.result] += 1;
  const receipt: Receipt = {
    version: 1,
    startedAt,
    finishedAt: options.now().toISOString(),
    commit: options.commit,
    ...(options.review ? { review: options.review } : {}),
    objects,
    summary,
    predictions: receiptPredictions(writable, objects),
  };
  return { receipt, refused };
}
