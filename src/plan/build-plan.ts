/**
 * buildPlan: desired state + live state -> Plan. Pure and synchronous: no I/O, no clock, no
 * environment. Identities not in the desired state are never changed.
 */
import { primarySmtp } from "../address/proxy-address.js";
import { addressKey, domainOf } from "../address/smtp.js";
import type { DesiredIdentity, DesiredState } from "../desired/types.js";
import type { AdState, EntraState } from "../model/directory.js";
import { adAddressChanges, afterChanges } from "./ad-changes.js";
import { entryDigest } from "../desired/digest.js";
import { writeDigest } from "./digest.js";
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
  return { identity, ad, target, changes, findings: out };
}

/** Address key -> the AD objects that hold it. */
interface Holders {
  get(address: string): readonly SyncObject[] | undefined;
}

/**
 * Holders of an address among the exported AD objects once every planned change is written: today's
 * holders, with the lists of the addresses the plan moves recomputed (in `objects` order).
 */
function adHoldersAfter(resolved: readonly Resolved[], scoped: ScopedAd): Holders {
  const changed = new Map<SyncObject, Set<string>>();
  for (const r of resolved) {
    // Objects apply creates hold nothing yet; objects never exported never clash.
    if (!r.ad || !scoped.order.has(r.ad) || notExportedReason(r.ad) !== null) continue;
    // An object mapped twice is planned by its last entry.
    if (!r.changes.some((c) => c.target === "ad")) {
      changed.delete(r.ad);
      continue;
    }
    const after = afterChanges(r.ad, r.changes);
    changed.set(r.ad, new Set(addressesOf(after.proxyAddresses, after.mail).map(addressKey)));
  }
  if (changed.size === 0) return { get: (address) => scoped.exportedHolders(address) };
  // Every address a changed object holds before or after, with the changed objects holding it after.
  const added = new Map<string, SyncObject[]>();
  for (const [object, after] of changed) {
    for (const address of addressesOf(object.proxyAddresses, object.mail))
      if (!added.has(addressKey(address))) added.set(addressKey(address), []);
    for (const address of after) {
      const list = added.get(address);
      if (list) list.push(object);
      else added.set(address, [object]);
    }
  }
  const lists = new Map<string, SyncObject[]>();
  for (const [address, holdersAfter] of added) {
    const list = scoped.exportedHolders(address).filter((object) => !changed.has(object));
    list.push(...holdersAfter);
    if (holdersAfter.length > 0 && list.length > 1)
      list.sort((a, b) => scoped.order.get(a)! - scoped.order.get(b)!);
    lists.set(address, list);
  }
  return { get: (address) => lists.get(address) ?? scoped.exportedHolders(address) };
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

function summarize(identities: readonly PlanIdentity[], global: readonly PlanFinding[]): PlanSummary {
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  let changes = 0;
  let errors = 0;
  let warnings = 0;
  let currentSyncErrors = 0;
  const count = (found: readonly PlanFinding[]): void => {
    for (const f of found) {
      if (f.severity === "error") errors += 1;
      else if (f.severity === "warning") warnings += 1;
      if (f.code === "CurrentSyncError") currentSyncErrors += 1;
    }
  };
  count(global);
  for (const identity of identities) {
    outcomes[identity.outcome] += 1;
    changes += identity.changes.length;
    count(identity.findings);
  }
  return { identities: identities.length, changes, errors, warnings, currentSyncErrors, outcomes };
}

/** `index` may be shared by several plans made against the same live state (plan --base). */
export function buildPlan(
  desired: DesiredState,
  ad: AdState,
  entra: EntraState,
  index: LiveIndex = new LiveIndex(ad, entra),
): Plan {
  const { baseDN, syncScope, sourceAnchor } = desired.settings.activeDirectory;
  const rules: SyncRules = { syncScope, sourceAnchor };
  const scoped = index.forRules(rules);
  const cloud = index.cloud;
  const where = {
    baseDN,
    syncScope,
    passwordSync: entra.features.passwordSyncEnabled,
    aliases: desired.settings.policy.aliases,
  };
  const resolved = desired.identities.map((identity) => resolve(identity, scoped.index, cloud, where));
  const adHolders = adHoldersAfter(resolved, scoped);
  const writers = plannedWriters(
    resolved.map((r) => ({ ad: r.ad, changes: r.changes, key: r.identity.key })),
  );
  const context: PlanContext = {
    cloud,
    entra,
    adHolders,
    writers,
    scope: syncScope,
    verified: index.verified,
  };
  const identities = resolved.map((r) => planIdentity(r, context));
  const global: PlanFinding[] = [];
  // Without Exchange's schema the address-policy checks cannot run: say so once, when they would matter
  // (an existing object's primary moves; an object apply creates is no Exchange recipient).
  const movesPrimary = (r: Resolved): boolean =>
    r.ad !== undefined &&
    !r.changes.some((c) => c.attribute === "objectClass") &&
    primaryChange(r.ad, r.changes) !== null;
  if (!ad.exchangeSchema && resolved.some(movesPrimary))
    global.push(exchangeFindings.exchangeSchemaNotFound());
  return {
    version: PLAN_VERSION,
    identities,
    findings: global,
    summary: summarize(identities, global),
    writeDigest: writeDigest(identities),
  };
}
