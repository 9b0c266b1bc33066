/** The prediction a receipt keeps for each identity written: what `idanchor verify` checks later. */
import { parseProxyAddress, primarySmtp } from "../address/proxy-address.js";
import { afterChanges } from "../plan/ad-changes.js";
import type { PlanIdentity } from "../plan/types.js";
import type { ObjectReceipt, ReceiptPrediction } from "../model/receipts.js";

function smtpAddresses(values: readonly string[]): string[] {
  return values.flatMap((raw) => {
    const parsed = parseProxyAddress(raw);
    return parsed.kind === "smtp" ? [parsed.address] : [];
  });
}

function predictionOf(identity: PlanIdentity): ReceiptPrediction {
  const read = identity.read.ad;
  const after = read ? afterChanges(read, identity.changes) : { proxyAddresses: [], mail: null };
  const primary = primarySmtp(after.proxyAddresses) ?? after.mail;
  const rest = smtpAddresses(after.proxyAddresses).filter((a) => a.toLowerCase() !== primary?.toLowerCase());
  return {
    key: identity.key,
    type: identity.type,
    dn: identity.dn,
    sourceAnchor: identity.sourceAnchor ?? null,
    outcome: identity.outcome,
    via: identity.via,
    cloudId: identity.cloudId,
    cloudName: identity.cloudName,
    primarySmtp: primary,
    smtpAddresses: primary ? [primary, ...rest] : rest,
  };
}

/** Predictions for the identities whose objects all went through: applied, or found already in place. */
export function receiptPredictions(
  identities: readonly PlanIdentity[],
  objects: readonly ObjectReceipt[],
): ReceiptPrediction[] {
  const done = (o: ObjectReceipt): boolean =>
    o.result === "applied" || (o.result === "skipped" && o.before !== null && o.after !== null);
  return identities.flatMap((identity) => {
    const own = objects.filter((o) => o.key === identity.key);
    return own.length > 0 && own.every(done) ? [predictionOf(identity)] : [];
  });
}
