/**
 * What the next Entra Connect sync does with one on-prem object (DESIGN.md section 2):
 * already joined, hard match, soft match on SMTP, soft match on UPN, or a new cloud object.
 */
import { addressKey } from "../address/smtp.js";
import type { SyncFeatures } from "../model/directory.js";
import { findings } from "./findings.js";
import { syncFindings } from "./findings-sync.js";
import type { CloudIndex, CloudObject } from "./live-index.js";
import { addressesOf, cloudPrimary } from "./live-index.js";
import type { SyncObject } from "./sync-object.js";
import type { PlanFinding, Via } from "./types.js";

export type SyncPrediction =
  | { kind: "joined"; partner: CloudObject; findings: PlanFinding[] }
  | { kind: "join"; via: Via; partner: CloudObject; findings: PlanFinding[] }
  | { kind: "blocked"; candidate: CloudObject; findings: PlanFinding[] }
  /** `refused`: the soft-match candidate that refused the join (an admin); the new object is created beside it. */
  | { kind: "create"; refused?: CloudObject; findings: PlanFinding[] };

export interface PredictInput {
  ad: SyncObject;
  /** The on-prem primary SMTP address once the planned changes are written. */
  primary: string | null;
  cloud: CloudIndex;
  features: SyncFeatures;
  /** The cloud object whose onPremisesImmutableId the plan sets to this object's anchor. */
  hardMatchTarget: CloudObject | null;
}

/** The cloud user whose onPremisesImmutableId is this user's source anchor, synchronised or not yet. */
export function anchorHolder(ad: SyncObject, cloud: CloudIndex): CloudObject | undefined {
  if (ad.type !== "user" || ad.sourceAnchor === "") return undefined; // hard match applies to users only
  const holder = cloud.findByImmutableId(ad.sourceAnchor);
  return holder?.type === "user" ? holder : undefined;
}

/**
 * The cloud object this on-prem object is joined to now, if any: for a user, the synchronised cloud
 * user carrying its source anchor. The one meaning of "joined" (the planner and import use it).
 */
export function joinedPartner(ad: SyncObject, cloud: CloudIndex): CloudObject | undefined {
  if (ad.type === "user") {
    const partner = anchorHolder(ad, cloud);
    return partner?.synced ? partner : undefined;
  }
  // Graph does not expose the anchor of groups and contacts: a synchronised cloud object of the
  // same type that holds one of the object's current addresses is its counterpart.
  // Through the address index, not a scan of every cloud object: that was O(objects) per group or contact.
  return cloud.firstHolder(addressesOf(ad.proxyAddresses, ad.mail), (o) => o.synced && o.type === ad.type);
}

/**
 * What a soft-match candidate's refusal makes of the sync, in the order Entra Connect checks:
 * most refusals fail the export; an admin's creates a new, quarantined object beside it (2b).
 */
function softMatchRefusal(
  input: PredictInput,
  candidate: CloudObject,
  address: string,
): SyncPrediction | undefined {
  const blocked = (...found: PlanFinding[]): SyncPrediction => ({
    kind: "blocked",
    candidate,
    findings: found,
  });
  if (input.features.blockSoftMatchEnabled) return blocked(findings.softMatchBlocked(candidate, address));
  if (candidate.type !== input.ad.type) return blocked(findings.typeMismatch(input.ad, candidate, address));
  if (candidate.onPremisesImmutableId) {
    const invalid = findings.invalidSoftMatch(candidate, address);
    // Duplicate attribute resiliency reports the same failure under its own name (portal, Connect Health).
    return input.features.quarantineUponProxyAddressesConflictEnabled
      ? blocked(invalid, syncFindings.invalidSoftMatchShownAsDuplicate(candidate, address))
      : blocked(invalid);
  }
  if (candidate.isAdmin)
    return { kind: "create", refused: candidate, findings: [findings.adminRoleConflict(candidate)] };
  return undefined;
}

function hardMatch(input: PredictInput): SyncPrediction | undefined {
  if (input.ad.type !== "user") return undefined; // hard match applies to users only
  const candidate = input.hardMatchTarget ?? anchorHolder(input.ad, input.cloud);
  if (!candidate || candidate.type !== "user") return undefined;
  // Since June 2026 (MC1262584) a cloud-managed user holding an Entra role refuses any hard match.
  if (!candidate.synced && candidate.isAdmin)
    return { kind: "blocked", candidate, findings: [syncFindings.invalidHardMatchAdmin(candidate)] };
  if (!candidate.synced && input.features.blockCloudObjectTakeoverThroughHardMatchEnabled)
    return { kind: "blocked", candidate, findings: [findings.invalidHardMatch(candidate)] };
  return { kind: "join", via: "anchor", partner: candidate, findings: [] };
}

/** A soft-deleted user with this object's anchor comes back from the recycle bin (how-to-connect-sync-recycle-bin). */
function restore(input: PredictInput): SyncPrediction | undefined {
  if (input.ad.type !== "user" || input.ad.sourceAnchor === "") return undefined;
  const deleted = input.cloud.findDeletedByImmutableId(input.ad.sourceAnchor);
  if (!deleted) return undefined;
  const when = input.cloud.findDeletedUser(deleted.id)?.deletedDateTime ?? null;
  return {
    kind: "join",
    via: "anchor",
    partner: deleted,
    findings: [syncFindings.willRestoreDeletedUser(input.ad, deleted, when)],
  };
}

function smtpMatch(input: PredictInput): SyncPrediction | undefined {
  if (!input.primary) return undefined;
  const address = input.primary;
  const candidates = input.cloud.holders(address);
  const [candidate, ...others] = candidates;
  if (!candidate) return undefined;
  if (others.length > 0)
    return { kind: "blocked", candidate, findings: [findings.ambiguousSoftMatch(candidates, address)] };
  const refusal = softMatchRefusal(input, candidate, address);
  if (refusal) return refusal;
  const primary = cloudPrimary(candidate);
  const onSecondary = !primary || addressKey(primary) !== addressKey(address);
  return {
    kind: "join",
    via: "smtp",
    partner: candidate,
    findings: onSecondary ? [findings.softMatchOnSecondary(candidate, address)] : [],
  };
}

function upnMatch(input: PredictInput): SyncPrediction | undefined {
  const upn = input.ad.userPrincipalName;
  if (input.ad.type !== "user" || !upn || !input.features.softMatchOnUpnEnabled) return undefined;
  const candidate = input.cloud.findByUpn(upn);
  if (!candidate) return undefined;
  const refusal = softMatchRefusal(input, candidate, upn);
  if (refusal) return refusal;
  return { kind: "join", via: "upn", partner: candidate, findings: [] };
}

/** The next sync for an in-scope object. */
export function predictSync(input: PredictInput): SyncPrediction {
  const partner = joinedPartner(input.ad, input.cloud);
  if (partner) return { kind: "joined", partner, findings: [] };
  return (
    restore(input) ??
    hardMatch(input) ??
    smtpMatch(input) ??
    upnMatch(input) ?? { kind: "create", findings: [] }
  );
}
