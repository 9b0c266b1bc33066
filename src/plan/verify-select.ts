/** Which receipts' predictions verify checks: the newest per identity, narrowed by --since. Pure. */
import type {
  NotedReceipt,
  PendingPrediction,
  ReceiptRef,
  VerificationNote,
  VerifyResult,
  VerifySince,
} from "./verify-types.js";

const lower = (s: string): string => s.toLowerCase();

function refOf(noted: NotedReceipt): ReceiptRef {
  const { receipt } = noted;
  return {
    commit: receipt.commit ?? noted.noteCommit,
    startedAt: receipt.startedAt,
    finishedAt: receipt.finishedAt,
    pr: noted.pr,
  };
}

const sameReceipt = (a: ReceiptRef, b: ReceiptRef): boolean =>
  a.commit === b.commit && a.finishedAt === b.finishedAt;

/**
 * The predictions to check: the newest receipt's per identity (a later apply supersedes an earlier),
 * narrowed by `since`; by default those whose last verdict for that receipt is not `predicted`.
 */
export function predictionsToVerify(
  receipts: readonly NotedReceipt[],
  verifications: readonly VerificationNote[],
  since: VerifySince,
): PendingPrediction[] {
  const latest = new Map<string, PendingPrediction>();
  const ordered = [...receipts].sort((a, b) => a.receipt.finishedAt.localeCompare(b.receipt.finishedAt));
  for (const noted of ordered)
    for (const prediction of noted.receipt.predictions ?? [])
      latest.set(lower(prediction.key), { prediction, receipt: refOf(noted) });
  const lastVerdict = new Map<string, VerifyResult>();
  for (const note of [...verifications].sort((a, b) => a.verifiedAt.localeCompare(b.verifiedAt)))
    for (const r of note.results)
      lastVerdict.set(`${lower(r.key)}\u0000${r.receipt.commit}\u0000${r.receipt.finishedAt}`, r);
  return [...latest.values()].filter(({ prediction, receipt }) => {
    if (since.kind === "commits") return receipt.commit !== null && since.commits.has(receipt.commit);
    if (since.kind === "date") return Date.parse(receipt.finishedAt) >= since.ms;
    const last = lastVerdict.get(
      `${lower(prediction.key)}\u0000${receipt.commit}\u0000${receipt.finishedAt}`,
    );
    return !(last && sameReceipt(last.receipt, receipt) && last.verdict === "predicted");
  });
}
