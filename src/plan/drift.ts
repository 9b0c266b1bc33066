/**
 * Drift: live values that differ from what idanchor itself last wrote (someone edited AD or Entra
 * by hand). Changes the desired state asks for but that were never applied are not drift. Pure.
 */
import type { AdValues } from "../model/ports.js";
import type { Receipt } from "../model/receipts.js";
import type { Plan } from "./types.js";

export interface DriftItem {
  key: string;
  target: "ad" | "entra";
  object: string;
  written: AdValues | { onPremisesImmutableId: string | null };
  live: AdValues | { onPremisesImmutableId: string | null };
  writtenAt: string;
  commit: string | null;
}

interface Written {
  values: AdValues | { onPremisesImmutableId: string | null };
  at: string;
  commit: string | null;
}

/** The last values idanchor wrote (or found already in place) per object, from oldest to newest receipt. */
export function lastWritten(receipts: readonly Receipt[]): Map<string, Written> {
  const out = new Map<string, Written>();
  for (const receipt of receipts) {
    for (const o of receipt.objects) {
      const values =
        o.result === "applied" ? o.after : o.result === "skipped" && o.before && o.after ? o.after : null;
      if (values)
        out.set(`${o.target}:${o.object.toLowerCase()}`, {
          values,
          at: receipt.finishedAt,
          commit: receipt.commit,
        });
    }
  }
  return out;
}

function same(a: Written["values"], b: Written["values"]): boolean {
  const norm = (v: Written["values"]): string =>
    "proxyAddresses" in v
      ? JSON.stringify([[...v.proxyAddresses].sort(), v.mail ?? null])
      : JSON.stringify(v.onPremisesImmutableId);
  return norm(a) === norm(b);
}

export function findDrift(plan: Plan, receipts: readonly Receipt[]): DriftItem[] {
  const written = lastWritten(receipts);
  const drift: DriftItem[] = [];
  for (const identity of plan.identities) {
    const { ad, entra } = identity.read;
    const candidates: { target: "ad" | "entra"; object: string; live: Written["values"] }[] = [];
    if (ad)
      candidates.push({
        target: "ad",
        object: ad.dn,
        live: { proxyAddresses: ad.proxyAddresses, mail: ad.mail },
      });
    if (entra)
      candidates.push({
        target: "entra",
        object: entra.objectId,
        live: { onPremisesImmutableId: entra.onPremisesImmutableId },
      });
    for (const c of candidates) {
      const last = written.get(`${c.target}:${c.object.toLowerCase()}`);
      if (last && !same(last.values, c.live))
        drift.push({
          key: identity.key,
          target: c.target,
          object: c.object,
          written: last.values,
          live: c.live,
          writtenAt: last.at,
          commit: last.commit,
        });
    }
  }
  return drift;
}
