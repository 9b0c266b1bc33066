/**
 * Adopting an existing estate: LiveState in, one proposal per in-scope AD object with mail out.
 * Joined objects are facts; unjoined ones get a mapping only when exactly one cloud object fits and
 * no other AD object wants it. Everything else is listed for a human, never guessed. Pure.
 */
import { addressKey, checkSmtpAddress, domainOf } from "../address/smtp.js";
import type { DesiredIdentity } from "../desired/types.js";
import type { SyncRules } from "../plan/sync-object.js";
import { toSyncObjects } from "../plan/sync-object.js";
import type { SyncObject } from "../plan/sync-object.js";
import { anchorHolder } from "../plan/predict.js";
import type { AdObject, AdState, EntraState } from "../model/directory.js";
import type { CloudObject } from "../plan/live-index.js";
import { notExportedReason } from "../plan/connect-filters.js";
import { AdIndex, CloudIndex, cloudPrimary } from "../plan/live-index.js";
import { adPrimary, adSecondaries, confidenceOf, gatherEvidence, indexByLocalPart } from "./evidence.js";
import { settleAddresses } from "./unique.js";
import type {
  AdSummary,
  Candidate,
  CloudSummary,
  Confidence,
  ImportEntry,
  ImportResult,
  Proposal,
  UndecidedReason,
} from "./types.js";

export interface ImportOptions {
  /** Domains an address of a user or group must be on; null when unknown (nothing is dropped). */
  verifiedDomains: readonly string[] | null;
  /** The desired state already in the repository: objects, targets and addresses it names are taken. */
  existing: readonly DesiredIdentity[];
  /** The Settings' sync scope and source-anchor attribute, as the planner applies them. */
  rules: SyncRules;
}

function adSummary(object: AdObject): AdSummary {
  const ref = object.sAMAccountName && object.type !== "contact" ? object.sAMAccountName : { dn: object.dn };
  return { dn: object.dn, type: object.type, ref, name: typeof ref === "string" ? ref : object.dn };
}

function cloudSummary(object: CloudObject): CloudSummary {
  return { id: object.id, type: object.type, name: object.name };
}

/** Users are named by UPN (stable for reviewers), groups and contacts by object id (what the schema allows). */
function cloudRef(object: CloudObject): string {
  return object.type === "user" && object.userPrincipalName ? object.userPrincipalName : object.id;
}

function hasMail(object: AdObject): boolean {
  return object.mail !== null || object.proxyAddresses.length > 0;
}

/** Why an address cannot go into the YAML (validate would reject it), or null. */
function unusable(address: string, object: AdObject, verified: ReadonlySet<string> | null): string | null {
  const problem = checkSmtpAddress(address);
  if (problem) return problem.message;
  if (verified && object.type !== "contact" && !verified.has(domainOf(address)))
    return `'${address}' is not on a verified domain`;
  return null;
}

function addressList(
  object: AdObject,
  primary: string,
  candidates: readonly string[],
  verified: ReadonlySet<string> | null,
  notes: string[],
): string[] {
  const seen = new Set([addressKey(primary)]);
  const out: string[] = [];
  for (const address of candidates) {
    if (seen.has(addressKey(address))) continue;
    seen.add(addressKey(address));
    // Entra Connect drops *.onmicrosoft.com proxy values; the cloud keeps its routing address itself.
    if (/\.onmicrosoft\.com$/i.test(domainOf(address))) continue;
    const why = unusable(address, object, verified);
    if (why) notes.push(`left out alias ${address}: ${why}`);
    else out.push(address);
  }
  return out;
}

function cloudAddresses(object: CloudObject): string[] {
  const out: string[] = [];
  for (const raw of object.proxyAddresses) {
    const match = /^smtp:(.*)$/i.exec(raw);
    if (match?.[1]) out.push(match[1]);
  }
  if (object.mail) out.push(object.mail);
  return out;
}

interface Context {
  cloud: CloudIndex;
  /** Cloud display names by object id: a disagreement is worth a reviewer's second look. */
  displayNames: Map<string, string>;
  byLocalPart: Map<string, CloudObject[]>;
  anchors: Map<string, SyncObject>;
  takenTargets: Map<string, string>;
  verified: ReadonlySet<string> | null;
}

function blockedReason(ad: AdObject, object: CloudObject, ctx: Context): string | null {
  if (object.type !== ad.type)
    return `ObjectTypeMismatch: it is a cloud ${object.type}, the AD object a ${ad.type}`;
  const target = ctx.takenTargets.get(object.id);
  if (target) return `already the cloud object of '${target}' in the desired state`;
  if (object.onPremisesImmutableId) {
    const holder = ctx.anchors.get(object.onPremisesImmutableId);
    const whose = holder ? `, the source anchor of ${holder.dn}` : "";
    return `InvalidSoftMatch: it already carries onPremisesImmutableId ${object.onPremisesImmutableId}${whose}`;
  }
  if (object.synced) return "it is already synchronised from on-prem";
  if (object.isAdmin)
    return "AdminRoleConflict: it holds an Entra admin role; the sync refuses to soft-match it";
  return null;
}

const LOWER: Record<Confidence, Confidence> = { high: "medium", medium: "low", low: "low" };

function candidatesOf(ad: AdObject, ctx: Context): Candidate[] {
  return [...gatherEvidence(ad, ctx.cloud, ctx.byLocalPart).values()].map(({ object, evidence }) => {
    const cloudName = ctx.displayNames.get(object.id);
    // Different people behind one address (a shared alias, a reused name) show up as different names.
    const differs = ad.displayName && cloudName && ad.displayName.toLowerCase() !== cloudName.toLowerCase();
    const confidence = confidenceOf(evidence);
    return {
      cloud: cloudSummary(object),
      evidence,
      confidence: differs ? LOWER[confidence] : confidence,
      blocked: blockedReason(ad, object, ctx),
      ...(differs
        ? { caution: `displayName differs: '${ad.displayName}' on-prem, '${cloudName}' in the cloud` }
        : {}),
    };
  });
}

function joined(ad: AdObject, partner: CloudObject, ctx: Context): Proposal {
  const summary = adSummary(ad);
  const notes: string[] = [];
  const primary = adPrimary(ad);
  const why = primary === null ? "it has no SMTP address" : unusable(primary, ad, ctx.verified);
  if (primary === null || why)
    return {
      kind: "undecided",
      ad: summary,
      reason: "no-usable-address",
      candidates: [],
      notes: [`joined to ${partner.name}, but its primary address cannot be written: ${why}`],
    };
  if (!partner.synced)
    notes.push("onPremisesSyncEnabled is not true yet: the next sync completes this hard match");
  if (ad.mail && addressKey(ad.mail) !== addressKey(primary))
    notes.push(`mail ${ad.mail} differs from the primary SMTP; plan will set mail to ${primary}`);
  const entry: ImportEntry = {
    ad: summary.ref,
    type: ad.type,
    cloud: cloudRef(partner),
    smtp: primary,
    aliases: addressList(ad, primary, adSecondaries(ad), ctx.verified, notes),
    comment: "idanchor import: already joined (onPremisesImmutableId equals the source anchor)",
  };
  return { kind: "joined", ad: summary, cloud: cloudSummary(partner), entry, notes };
}

function proposal(ad: AdObject, candidate: Candidate, object: CloudObject, ctx: Context): Proposal {
  const summary = adSummary(ad);
  const notes: string[] = candidate.caution ? [candidate.caution] : [];
  // The cloud primary is the address the mailbox is known by: keep it (KB 2641663 writes it on-prem).
  const options = [cloudPrimary(object), adPrimary(ad)].filter((a): a is string => a !== null);
  const primary = options.find((a) => unusable(a, ad, ctx.verified) === null);
  if (!primary)
    return {
      kind: "undecided",
      ad: summary,
      reason: "no-usable-address",
      candidates: [candidate],
      notes: [`no primary address fit to write: ${options.join(", ") || "none"}`],
    };
  const current = adPrimary(ad);
  if (current && addressKey(current) !== addressKey(primary))
    notes.push(
      `plan will make ${primary} the on-prem primary (now ${current}) and keep ${current} as an alias`,
    );
  const entry: ImportEntry = {
    ad: summary.ref,
    type: ad.type,
    cloud: cloudRef(object),
    smtp: primary,
    aliases: addressList(
      ad,
      primary,
      [...(current ? [current] : []), ...adSecondaries(ad), ...cloudAddresses(object)],
      ctx.verified,
      notes,
    ),
    comment: `idanchor import: proposed, confidence ${candidate.confidence}; review before merging`,
  };
  return { kind: "proposed", ad: summary, candidate, entry, notes };
}

export function proposeIdentityMap(ad: AdState, entra: EntraState, options: ImportOptions): ImportResult {
  const cloud = new CloudIndex(entra);
  const objects = toSyncObjects(ad, options.rules);
  const adIndex = new AdIndex(objects);
  const mapped = new Set<string>();
  const takenTargets = new Map<string, string>();
  for (const identity of options.existing) {
    if (identity.ad.kind !== "create") {
      const object = adIndex.find(identity.ad);
      if (object) mapped.add(object.dn);
    }
    const target =
      identity.cloud.kind === "upn" ? cloud.findByUpn(identity.cloud.upn) : cloud.findById(identity.cloud.id);
    if (target) takenTargets.set(target.id, identity.key);
  }
  const verified = options.verifiedDomains
    ? new Set(options.verifiedDomains.map((d) => d.toLowerCase()))
    : null;
  const ctx: Context = {
    cloud,
    displayNames: new Map(
      [...entra.users, ...entra.groups, ...entra.contacts]
        .filter((o) => o.displayName)
        .map((o) => [o.id.toLowerCase(), o.displayName!]),
    ),
    byLocalPart: indexByLocalPart(cloud.objects),
    anchors: new Map(objects.map((o) => [o.sourceAnchor, o])),
    takenTargets,
    verified,
  };

  const mailObjects = objects.filter(hasMail);
  const inScope = mailObjects.filter((o) => o.inSyncScope && !mapped.has(o.dn));
  const candidates = new Map(inScope.map((o) => [o.dn, candidatesOf(o, ctx)]));
  // A cloud object more than one AD object could take is a conflict for all of them.
  const wantedBy = new Map<string, string[]>();
  for (const [dn, list] of candidates)
    for (const c of list.filter((c) => !c.blocked))
      wantedBy.set(c.cloud.id, [...(wantedBy.get(c.cloud.id) ?? []), dn]);

  const proposals = inScope.map((object): Proposal => {
    const excluded = notExportedReason(object);
    if (excluded !== null)
      return {
        kind: "undecided",
        ad: adSummary(object),
        reason: "not-exported",
        candidates: [],
        notes: [excluded],
      };
    const partner = anchorHolder(object, cloud);
    if (partner) return joined(object, partner, ctx);
    const list = candidates.get(object.dn) ?? [];
    const viable = list.filter((c) => !c.blocked);
    const undecided = (
      reason: Exclude<UndecidedReason, "no-usable-address" | "not-exported">,
      notes: string[] = [],
    ): Proposal => ({
      kind: "undecided",
      ad: adSummary(object),
      reason,
      candidates: list,
      notes,
    });
    if (viable.length === 0) return undecided(list.length === 0 ? "no-candidate" : "blocked");
    if (viable.length > 1) return undecided("ambiguous");
    const only = viable[0]!;
    const rivals = (wantedBy.get(only.cloud.id) ?? []).filter((dn) => dn !== object.dn);
    if (rivals.length > 0)
      return undecided("conflict", [`${only.cloud.name} is also a candidate for ${rivals.join("; ")}`]);
    return proposal(object, only, cloud.findById(only.cloud.id)!, ctx);
  });

  const settled = settleAddresses(proposals, options.existing);
  const count = (kind: Proposal["kind"]): number => settled.filter((p) => p.kind === kind).length;
  return {
    proposals: settled,
    summary: {
      joined: count("joined"),
      proposed: count("proposed"),
      undecided: count("undecided"),
      outOfScope: mailObjects.filter((o) => !o.inSyncScope).length,
      alreadyMapped: mailObjects.filter((o) => mapped.has(o.dn)).length,
    },
  };
}
