/**
 * buildPlan: desired state + live state -> Plan. Pure and synchronous: no I/O, no clock, no
 * environment. Identities not in the desired state are never changed.
 */
import { primarySmtp } from "../address/proxy-address.js";
import { addressKey, domainOf } from "../address/smtp.js";
import type { DesiredIdentity, DesiredState } from "../desired/types.js";
import { append, fitted } from "../model/arrays.js";
import type { AdState, EntraState } from "../model/directory.js";
import { adAddressChanges, addressMoves, afterChanges } from "./ad-changes.js";
import type { AddressMoves } from "./ad-changes.js";
import { entryDigest } from "../desired/digest.js";
import { WriteDigest } from "./digest.js";
import { exchangeChecks, primaryChange } from "./exchange.js";
import { notExportedReason } from "./connect-filters.js";
import { exchangeFindings, findings, overwriteFindings } from "./findings.js";
import { syncFindings } from "./findings-sync.js";
import type { CloudObject } from "./live-index.js";
import type { AdIndex, CloudIndex, ScopedAd } from "./live-index.js";
import { LiveIndex, addressesOf } from "./live-index.js";
import { predictSync } from "./predict.js";
import type { Writer } from "./written-clashes.js";
import { plannedWriters, writtenClashes } from "./written-clashes.js";
import type { SyncPrediction } from "./predict.js";
import { describeAdRef, plannedObject } from "./planned-object.js";
import type { SyncObject, SyncRules } from "./sync-object.js";
import { currentSyncErrorFindings, duplicateMailboxFindings, reservedDomainFindings } from "./sync-checks.js";
import type { PlanSummary } from "./types.js";
import { upnFindings } from "./upn.js";
import type { Change, Outcome, Plan, PlanFinding, PlanIdentity, ReadValues, Via } from "./types.js";
import { OUTCOMES, PLAN_VERSION } from "./types.js";

interface Resolved {
  identity: DesiredIdentity;
  ad: SyncObject | undefined;
  target: CloudObject | undefined;
  changes: Change[];
  findings: PlanFinding[];
}

function cloudName(identity: DesiredIdentity): string {
  return identity.cloud.kind === "upn" ? `'${identity.cloud.upn}'` : identity.cloud.id;
}

function nameOf(cloud: CloudIndex, id: string | null): string | null {
  return id === null ? null : (cloud.findById(id)?.name ?? cloud.findDeleted({ id })?.name ?? id);
}

function resolve(
  identity: DesiredIdentity,
  adIndex: AdIndex,
  cloud: CloudIndex,
  where: {
    baseDN: string;
    syncScope: readonly string[];
    passwordSync: boolean;
    aliases: "additive" | "exact";
  },
): Resolved {
  const out: PlanFinding[] = [];
  const ref = identity.ad;
  const changes: Change[] = [];
  let ad = adIndex.find(ref);
  if (!ad && ref.kind === "create") {
    const holder = ref.spec.sAMAccountName ? adIndex.findSam(ref.spec.sAMAccountName) : undefined;
    if (holder) out.push(findings.adObjectExists(ref.dn, holder));
    else {
      const planned = plannedObject(ref, identity.type, where.syncScope);
      ad = planned.object;
      changes.push(planned.change);
      out.push(findings.objectWillBeCreated(ref.dn, identity.type, where.passwordSync));
      if (identity.match === "hard") out.push(findings.hardMatchAfterCreate(ref.dn));
    }
  } else if (!ad) out.push(findings.adObjectNotFound(describeAdRef(identity), where.baseDN));
  if (ad && ad.type !== identity.type) out.push(findings.typeDiffers(ad, identity.type));
  const cloudRef = identity.cloud.kind === "upn" ? { upn: identity.cloud.upn } : { id: identity.cloud.id };
  const target =
    (identity.cloud.kind === "upn"
      ? cloud.findByUpn(identity.cloud.upn)
      : cloud.findById(identity.cloud.id)) ?? cloud.findDeleted(cloudRef);
  if (!target) out.push(findings.cloudObjectNotFound(cloudName(identity)));

  if (ad && ad.type === identity.type) {
    changes.push(
      ...adAddressChanges(ad, {
        primary: identity.smtp,
        aliases: identity.aliases,
        policy: where.aliases,
      }),
    );
    if (
      identity.match === "hard" &&
      target &&
      !target.deleted &&
      ad.sourceAnchor !== "" &&
      target.onPremisesImmutableId !== ad.sourceAnchor &&
      !target.synced
    ) {
      // Since July 2026 Entra refuses to rewrite an existing, different anchor: plan no such write.
      if (target.onPremisesImmutableId)
        out.push(syncFindings.hardMatchRemapBlocked(target, target.onPremisesImmutableId, ad.sourceAnchor));
      else
        changes.push({
          target: "entra",
          objectId: target.id,
          attribute: "onPremisesImmutableId",
          add: [ad.sourceAnchor],
          remove: [],
        });
    }
  }
  // Fitted: every entry's lists are held until it is planned.
  return { identity, ad, target, changes: fitted(changes), findings: out.length > 0 ? fitted(out) : out };
}

/** Address key -> the AD objects that hold it. */
interface Holders {
  get(address: string): readonly SyncObject[] | undefined;
}

/**
 * Holders of an address among the exported AD objects once every planned change is written: today's
 * holders, with the objects the plan takes the address from left out and those it gives it to
 * added (in `objects` order). Only the addresses the plan moves get lists of their own.
 */
function adHoldersAfter(
  resolved: readonly Resolved[],
  moves: readonly (AddressMoves | null)[],
  scoped: ScopedAd,
): Holders {
  // An object mapped twice is planned by its last entry.
  const final = new Map<SyncObject, AddressMoves | null>();
  for (let i = 0; i < resolved.length; i++) {
    const ad = resolved[i]!.ad;
    // Objects apply creates hold nothing yet; objects never exported never clash.
    if (!ad || !scoped.order.has(ad) || notExportedReason(ad) !== null) continue;
    final.set(ad, moves[i] ?? null);
  }
  const gained = new Map<string, SyncObject[]>();
  const lost = new Map<string, Set<SyncObject>>();
  for (const [object, moved] of final) {
    if (moved === null) continue;
    for (const key of moved.gained) append(gained, key, object);
    for (const key of moved.lost) {
      const set = lost.get(key);
      if (set) set.add(object);
      else lost.set(key, new Set([object]));
    }
  }
  if (gained.size === 0 && lost.size === 0) return { get: (address) => scoped.exportedHolders(address) };
  const order = (a: SyncObject, b: SyncObject): number => scoped.order.get(a)! - scoped.order.get(b)!;
  return {
    get: (address) => {
      const today = scoped.exportedHolders(address);
      const gainedBy = gained.get(address);
      const lostBy = lost.get(address);
      if (gainedBy === undefined && lostBy === undefined) return today;
      const list = lostBy === undefined ? [...today] : today.filter((object) => !lostBy.has(object));
      if (gainedBy === undefined) return list;
      list.push(...gainedBy);
      return list.length > 1 ? list.sort(order) : list;
    },
  };
}

function outcomeOf(
  prediction: SyncPrediction,
  target: CloudObject | undefined,
): { outcome: Outcome; via: Via | null; cloudId: string | null } {
  switch (prediction.kind) {
    case "joined":
      return { outcome: "joined", via: "anchor", cloudId: prediction.partner.id };
    case "join":
      return {
        outcome: target && prediction.partner.id === target.id ? "will-join" : "will-join-other",
        via: prediction.via,
        cloudId: prediction.partner.id,
      };
    case "blocked":
      return { outcome: "blocked", via: null, cloudId: null };
    case "create":
      return { outcome: "will-create", via: null, cloudId: null };
  }
}

function readValues(r: Resolved): ReadValues {
  const entraChange = r.changes.find((c) => c.target === "entra");
  return {
    ad: r.ad ? { dn: r.ad.dn, proxyAddresses: r.ad.proxyAddresses, mail: r.ad.mail } : null,
    // Hard-matched identities keep their anchor in the read values even when nothing changes, so drift sees it.
    entra:
      r.target && (entraChange || r.identity.match === "hard")
        ? { objectId: r.target.id, onPremisesImmutableId: r.target.onPremisesImmutableId }
        : null,
  };
}

/** What every identity is planned against, computed once per plan. */
interface PlanContext {
  cloud: CloudIndex;
  entra: EntraState;
  adHolders: Holders;
  /** Address -> objects the plan writes it to, for clashes with undeclared addresses others hold. */
  writers: Map<string, Writer[]>;
  scope: readonly string[];
  /** The tenant's verified domains, lower case. */
  verified: ReadonlySet<string>;
}

function planIdentity(r: Resolved, context: PlanContext): PlanIdentity {
  const { cloud, entra, adHolders, scope, verified } = context;
  const { identity, ad, target } = r;
  // One object literal per identity, in the plan file's field order (spreading two objects into a
  // third is V8's slow path, and at 100,000 identities it was the planner's largest block).
  const make = (
    result: { outcome: Outcome; via: Via | null; cloudId: string | null },
    cloudName: string | null,
    changes: Change[],
    found: PlanFinding[],
  ): PlanIdentity => ({
    key: identity.key,
    type: identity.type,
    source: identity.source,
    dn: ad?.dn ?? null,
    sourceAnchor: ad?.sourceAnchor ? ad.sourceAnchor : null,
    targetId: target?.id ?? null,
    targetName: target?.name ?? (identity.cloud.kind === "upn" ? identity.cloud.upn : identity.cloud.id),
    rebind: identity.rebind,
    entryDigest: entryDigest(identity),
    read: readValues(r),
    outcome: result.outcome,
    via: result.via,
    cloudId: result.cloudId,
    cloudName,
    changes,
    findings: found,
  });
  const out = [...r.findings];
  if (!ad || ad.type !== identity.type)
    return make({ outcome: "blocked", via: null, cloudId: null }, null, [], out);

  // Entra Connect does not synchronise the object: nothing joins; the planned changes stay as they are.
  const notSynced = (): PlanIdentity =>
    make({ outcome: "out-of-scope", via: null, cloudId: null }, null, r.changes, out);
  const excluded = ad.inSyncScope ? notExportedReason(ad) : null;
  if (excluded !== null) {
    out.push(syncFindings.notExportedByConnect(ad, excluded));
    return notSynced();
  }

  if (!ad.inSyncScope) {
    const prediction = predictSync({
      ad,
      primary: null,
      cloud,
      features: entra.features,
      hardMatchTarget: null,
    });
    out.push(
      prediction.kind === "joined"
        ? findings.willBeDeleted(ad, prediction.partner)
        : findings.outOfScope(ad, scope),
    );
    return notSynced();
  }

  const after = afterChanges(ad, r.changes);
  const primary = primarySmtp(after.proxyAddresses) ?? after.mail;
  const hardMatchTarget = r.changes.some((c) => c.target === "entra") ? (target ?? null) : null;
  const prediction = predictSync({ ad, primary, cloud, features: entra.features, hardMatchTarget });
  out.push(...prediction.findings);
  const result = outcomeOf(prediction, target);
  if (target?.deleted && !(prediction.kind === "join" && prediction.partner.id === target.id))
    out.push(syncFindings.targetInRecycleBin(target));

  if (prediction.kind === "joined" && target && prediction.partner.id !== target.id)
    out.push(
      identity.rebind
        ? findings.rebindRequested(prediction.partner)
        : findings.joinedElsewhere(prediction.partner, target, cloudName(identity)),
    );
  if (result.outcome === "will-join-other" && prediction.kind === "join")
    out.push(findings.wrongMatch(prediction.partner, prediction.via, target, cloudName(identity)));
  if (target && prediction.kind !== "joined") {
    const carries = addressesOf(target.proxyAddresses, target.mail).some(
      (a) => addressKey(a) === addressKey(identity.smtp),
    );
    // A group without mail takes no address and is never matched: one finding says so.
    if (!target.matchable) {
      if (result.outcome === "will-create") out.push(syncFindings.groupNotMatchable(target));
    } else if (!target.deleted) {
      if (!carries)
        out.push(findings.cloudAddressMissing(target, identity.smtp, result.outcome !== "will-join"));
      const refusedBy = prediction.kind === "create" ? prediction.refused : undefined;
      if (result.outcome === "will-create" && refusedBy?.id !== target.id)
        out.push(findings.willCreateDuplicate(target, identity.smtp));
    }
  }

  // Uniqueness across the directories once the changes are written and the join is made.
  const partnerId = prediction.kind === "joined" || prediction.kind === "join" ? prediction.partner.id : null;
  const refused =
    prediction.kind === "blocked"
      ? prediction.candidate.id
      : prediction.kind === "create"
        ? (prediction.refused?.id ?? null)
        : null;
  const quarantine = entra.features.quarantineUponProxyAddressesConflictEnabled;
  for (const address of [identity.smtp, ...identity.aliases]) {
    for (const holder of adHolders.get(addressKey(address)) ?? [])
      if (holder.dn !== ad.dn) out.push(findings.adAddressTaken(holder, address, quarantine));
    for (const holder of cloud.holders(address))
      if (holder.id !== partnerId && holder.id !== refused)
        out.push(findings.cloudAddressTaken(holder, address, quarantine));
    if (identity.type !== "contact" && verified.size > 0 && !verified.has(domainOf(address)))
      out.push(findings.unverifiedDomain(address, domainOf(address)));
  }
  out.push(...reservedDomainFindings(identity));

  out.push(...writtenClashes(ad, after, [identity.smtp, ...identity.aliases], context.writers, quarantine));

  const partner = prediction.kind === "joined" || prediction.kind === "join" ? prediction.partner : undefined;
  out.push(...exchangeChecks({ ad, changes: r.changes, cloud: partner ?? target }));

  if (result.outcome === "will-join" && prediction.kind === "join")
    out.push(...joinOverwrites(ad, prediction.partner, entra, cloud));
  // The UPN the sync exports must be unique; what a join does to the cloud UPN is an overwrite.
  if (prediction.kind === "join" || prediction.kind === "create") {
    const upn = upnFindings({
      ad,
      primary,
      partner: prediction.kind === "join" ? prediction.partner : null,
      cloud,
      entra,
    });
    out.push(...upn.filter((f) => result.outcome === "will-join" || f.code === "AttributeValueMustBeUnique"));
  }
  if (prediction.kind === "join") out.push(...duplicateMailboxFindings(ad, prediction.partner, cloud));
  out.push(...currentSyncErrorFindings([...(target ? [target] : []), ...(partner ? [partner] : [])], cloud));
  return make(result, nameOf(cloud, result.cloudId), r.changes, out);
}

/** After a join, on-prem values overwrite cloud ones: say which. */
function joinOverwrites(
  ad: SyncObject,
  partner: CloudObject,
  entra: EntraState,
  cloud: CloudIndex,
): PlanFinding[] {
  if (ad.type !== "user") return [];
  const out: PlanFinding[] = [];
  const user = cloud.findUser(partner.id);
  if (entra.features.passwordSyncEnabled) out.push(overwriteFindings.passwordWillBeOverwritten(partner));
  if (user) {
    const pairs = [
      { name: "displayName", from: user.displayName, to: ad.displayName },
      { name: "givenName", from: user.givenName, to: ad.givenName },
      { name: "surname", from: user.surname, to: ad.sn },
    ].filter((p) => (p.from ?? "") !== (p.to ?? ""));
    if (pairs.length > 0) out.push(overwriteFindings.cloudValuesWillBeOverwritten(partner, pairs));
  }
  return out;
}

/** The summary, counted identity by identity as they are planned. */
class SummaryCounter {
  private readonly outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  private identities = 0;
  private changes = 0;
  private errors = 0;
  private warnings = 0;
  private currentSyncErrors = 0;

  findings(found: readonly PlanFinding[]): void {
    for (const f of found) {
      if (f.severity === "error") this.errors += 1;
      else if (f.severity === "warning") this.warnings += 1;
      if (f.code === "CurrentSyncError") this.currentSyncErrors += 1;
    }
  }

  identity(identity: PlanIdentity): void {
    this.identities += 1;
    this.outcomes[identity.outcome] += 1;
    this.changes += identity.changes.length;
    this.findings(identity.findings);
  }

  summary(): PlanSummary {
    const { identities, changes, errors, warnings, currentSyncErrors } = this;
    return { identities, changes, errors, warnings, currentSyncErrors, outcomes: { ...this.outcomes } };
  }
}

/** Everything of a plan but its identities: what follows them in the plan file. */
export type PlanRest = Pick<Plan, "version" | "findings" | "summary" | "writeDigest">;

/**
 * A plan made identity by identity: `identities` plans each as it is taken (once, in the desired
 * state's order) and keeps none, so a caller that writes them out holds one at a time; `rest()`,
 * once they are all taken, is the rest of the plan. buildPlan collects it: the same plan.
 */
export interface PlanStream {
  version: typeof PLAN_VERSION;
  identities: Iterable<PlanIdentity>;
  rest(): PlanRest;
}

/**
 * The identities, planned one by one. Its own function: what the planning needs (the resolved
 * entries, the holders after the plan) lives in this generator's frame only, and is collectable
 * once the last identity is taken, while the caller still holds the rest.
 */
function* planEach(
  resolved: (Resolved | null)[],
  context: PlanContext,
  counter: SummaryCounter,
  writes: WriteDigest,
): Generator<PlanIdentity> {
  for (let i = 0; i < resolved.length; i++) {
    const r = resolved[i]!;
    // Planned: its changes and findings now live in the identity handed out, not here.
    resolved[i] = null;
    const identity = planIdentity(r, context);
    counter.identity(identity);
    writes.add(identity);
    yield identity;
  }
}

/** The part of the Settings the AD side is seen through (sync-object.ts derives by it). */
function syncRulesOf(desired: DesiredState): SyncRules {
  const { syncScope, sourceAnchor } = desired.settings.activeDirectory;
  return { syncScope, sourceAnchor };
}

/**
 * The live state with its tables built for the desired state's Settings, ready for streamPlan:
 * a caller that builds them first can let what building them took go before the entries are resolved.
 */
export function liveIndexFor(desired: DesiredState, ad: AdState, entra: EntraState): LiveIndex {
  const index = new LiveIndex(ad, entra);
  index.forRules(syncRulesOf(desired));
  return index;
}

/** `index` may be shared by several plans made against the same live state (plan --base). */
export function streamPlan(
  desired: DesiredState,
  ad: AdState,
  entra: EntraState,
  index: LiveIndex = new LiveIndex(ad, entra),
): PlanStream {
  const { baseDN, syncScope } = desired.settings.activeDirectory;
  const scoped = index.forRules(syncRulesOf(desired));
  const cloud = index.cloud;
  const where = {
    baseDN,
    syncScope,
    passwordSync: entra.features.passwordSyncEnabled,
    aliases: desired.settings.policy.aliases,
  };
  const resolved = desired.identities.map((identity) => resolve(identity, scoped.index, cloud, where));
  // What each entry's AD changes give and take, worked out once for both tables.
  const moves = resolved.map((r) => (r.ad ? addressMoves(r.ad, r.changes) : null));
  const adHolders = adHoldersAfter(resolved, moves, scoped);
  const writers = plannedWriters(
    resolved.map((r, i) => ({ ad: r.ad, gained: moves[i]?.gained ?? [], key: r.identity.key })),
  );
  const context: PlanContext = {
    cloud,
    entra,
    adHolders,
    writers,
    scope: syncScope,
    verified: index.verified,
  };
  const global: PlanFinding[] = [];
  // Without Exchange's schema the address-policy checks cannot run: say so once, when they would matter
  // (an existing object's primary moves; an object apply creates is no Exchange recipient).
  const movesPrimary = (r: Resolved): boolean =>
    r.ad !== undefined &&
    !r.changes.some((c) => c.attribute === "objectClass") &&
    primaryChange(r.ad, r.changes) !== null;
  if (!ad.exchangeSchema && resolved.some(movesPrimary))
    global.push(exchangeFindings.exchangeSchemaNotFound());
  const counter = new SummaryCounter();
  counter.findings(global);
  const writes = new WriteDigest();
  const total = resolved.length;
  let taken = false;
  return {
    version: PLAN_VERSION,
    identities: {
      [Symbol.iterator]: () => {
        if (taken) throw new Error("a plan stream's identities are taken once");
        taken = true;
        return planEach(resolved, context, counter, writes);
      },
    },
    rest: () => {
      const summary = counter.summary();
      if (summary.identities !== total) throw new Error("the plan's identities were not all taken");
      return { version: PLAN_VERSION, findings: global, summary, writeDigest: writes.digest() };
    },
  };
}

/** The whole plan in memory. `index` may be shared by several plans made against the same live state (plan --base). */
export function buildPlan(
  desired: DesiredState,
  ad: AdState,
  entra: EntraState,
  index: LiveIndex = new LiveIndex(ad, entra),
): Plan {
  const stream = streamPlan(desired, ad, entra, index);
  const identities = [...stream.identities];
  const { version, findings: global, summary, writeDigest } = stream.rest();
  return { version, identities, findings: global, summary, writeDigest };
}
