/**
 * The base comparison of `plan --base REF`: which identities this change touches (their YAML entry
 * was added, removed or edited) and which it affects (the entry is the same, but what the next sync
 * does with it is not). Pure: two desired states, two plans and the live state in, data out.
 */
import { primarySmtp } from "../address/proxy-address.js";
import type { DesiredIdentity, DesiredState } from "../desired/types.js";
import { countPlan } from "./counts.js";
import { findings } from "./findings.js";
import type { LiveIndex } from "./live-index.js";
import { predictSync } from "./predict.js";
import type { BaseComparison, Plan, PlanIdentity, Released, ReviewedIdentity } from "./types.js";

/** What an entry says, without where it stands: moving or re-commenting an entry is no edit. */
function entryMeaning(identity: DesiredIdentity): string {
  const { ad, type, cloud, smtp, aliases, match, rebind } = identity;
  return JSON.stringify([ad, type, cloud, smtp, aliases, match, rebind]);
}

/** What a reviewer would call a different result: outcome, join partner, changes, errors. */
function resultMeaning(identity: PlanIdentity): string {
  const errors = identity.findings.filter((f) => f.severity === "error").map((f) => [f.code, f.message]);
  return JSON.stringify([identity.outcome, identity.via, identity.cloudId, identity.changes, errors]);
}

/** The next sync for objects whose entries were removed: their live values, nothing written. */
export function releasedObjects(
  removed: readonly DesiredIdentity[],
  desired: DesiredState,
  live: LiveIndex,
): Map<string, Released> {
  const out = new Map<string, Released>();
  if (removed.length === 0) return out;
  const { syncScope, sourceAnchor } = desired.settings.activeDirectory;
  const adIndex = live.forRules({ syncScope, sourceAnchor }).index;
  const cloud = live.cloud;
  const entra = live.entra;
  const scope = syncScope;
  for (const identity of removed) {
    const object = adIndex.find(identity.ad);
    if (!object) {
      out.set(identity.key, {
        dn: null,
        outcome: null,
        via: null,
        cloudId: null,
        cloudName: null,
        findings: [],
      });
      continue;
    }
    const base = { dn: object.dn, via: null, cloudId: null, cloudName: null };
    if (!object.inSyncScope) {
      const prediction = predictSync({
        ad: object,
        primary: null,
        cloud,
        features: entra.features,
        hardMatchTarget: null,
      });
      out.set(identity.key, {
        ...base,
        outcome: "out-of-scope",
        findings: [
          prediction.kind === "joined"
            ? findings.willBeDeleted(object, prediction.partner)
            : findings.outOfScope(object, scope),
        ],
      });
      continue;
    }
    const primary = primarySmtp(object.proxyAddresses) ?? object.mail;
    const prediction = predictSync({
      ad: object,
      primary,
      cloud,
      features: entra.features,
      hardMatchTarget: null,
    });
    const partner = prediction.kind === "joined" || prediction.kind === "join" ? prediction.partner : null;
    out.set(identity.key, {
      ...base,
      outcome:
        prediction.kind === "joined"
          ? "joined"
          : prediction.kind === "join"
            ? "will-join"
            : prediction.kind === "blocked"
              ? "blocked"
              : "will-create",
      via: prediction.kind === "join" ? prediction.via : prediction.kind === "joined" ? "anchor" : null,
      cloudId: partner?.id ?? null,
      cloudName: partner?.name ?? null,
      findings: prediction.findings,
    });
  }
  return out;
}

export interface CompareInput {
  ref: string;
  commit: string;
  /** Null when the desired state at the base has errors: then every entry counts as added. */
  base: { desired: DesiredState; plan: Plan } | null;
  problem: string | null;
  head: { desired: DesiredState; plan: Plan };
  /** The live state both plans were made against. */
  live: LiveIndex;
}

export function compareWithBase(input: CompareInput): BaseComparison {
  const { base, head } = input;
  const baseEntries = new Map(base?.desired.identities.map((i) => [i.key, i]) ?? []);
  const basePlanned = new Map(base?.plan.identities.map((i) => [i.key, i]) ?? []);
  const headKeys = new Set(head.desired.identities.map((i) => i.key));
  const touched: ReviewedIdentity[] = [];
  const affected: ReviewedIdentity[] = [];
  for (const [index, entry] of head.desired.identities.entries()) {
    const planned = head.plan.identities[index]!;
    const before = baseEntries.get(entry.key);
    const beforePlanned = basePlanned.get(entry.key) ?? null;
    const item = { key: entry.key, base: beforePlanned, released: null };
    if (!before) touched.push({ ...item, status: "added" });
    else if (entryMeaning(before) !== entryMeaning(entry)) touched.push({ ...item, status: "edited" });
    else if (beforePlanned && resultMeaning(beforePlanned) !== resultMeaning(planned))
      affected.push({ ...item, status: "affected" });
  }
  const removedEntries = [...baseEntries.values()].filter((i) => !headKeys.has(i.key));
  const released = releasedObjects(removedEntries, head.desired, input.live);
  const removed: ReviewedIdentity[] = removedEntries.map((entry) => ({
    key: entry.key,
    status: "removed",
    base: basePlanned.get(entry.key) ?? null,
    released: released.get(entry.key) ?? null,
  }));
  return {
    ref: input.ref,
    commit: input.commit,
    summary: base?.plan.summary ?? null,
    counts: base ? countPlan(base.plan) : null,
    problem: input.problem,
    identities: [...touched, ...affected, ...removed],
  };
}
