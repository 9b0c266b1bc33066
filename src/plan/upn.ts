/**
 * The cloud UPN an on-prem user ends with (plan-connect-userprincipalname): its own UPN on a
 * verified suffix, else `<MailNickName>@<initial domain>`; unique across the tenant, and taken over
 * by a joined managed user only with synchronizeUpnForManagedUsersEnabled. Pure.
 */
import type { AdObject, EntraState } from "../model/directory.js";
import { syncFindings } from "./findings-sync.js";
import type { CloudIndex, CloudObject } from "./live-index.js";
import type { PlanFinding } from "./types.js";

const localPart = (address: string | null): string | null =>
  address && address.includes("@") ? address.slice(0, address.lastIndexOf("@")) : null;
const suffixOf = (upn: string): string => upn.slice(upn.lastIndexOf("@") + 1).toLowerCase();

/** The tenant's initial domain as Graph marks it (isInitial), not guessed from a name pattern. */
export function initialDomain(entra: EntraState): string | null {
  return entra.domains.find((d) => d.isInitial)?.id ?? null;
}

export interface EffectiveUpn {
  upn: string;
  /** Set when the on-prem suffix is unverified and Entra substitutes MailNickName@initial domain. */
  unverified: { onPremUpn: string; nickname: string; initialDomain: string | null } | null;
}

/** What Entra makes of the on-prem UPN; null for objects without one. */
export function effectiveUpn(ad: AdObject, primary: string | null, entra: EntraState): EffectiveUpn | null {
  const onPremUpn = ad.userPrincipalName;
  if (ad.type !== "user" || !onPremUpn) return null;
  const suffix = suffixOf(onPremUpn);
  if (entra.domains.some((d) => d.isVerified && d.id.toLowerCase() === suffix))
    return { upn: onPremUpn, unverified: null };
  // MailNickName: mailNickname, else the primary SMTP's prefix, else mail's, else the UPN's.
  const nickname = ad.mailNickname ?? localPart(primary) ?? localPart(ad.mail) ?? localPart(onPremUpn)!;
  const initial = initialDomain(entra);
  return {
    upn: `${nickname}@${initial ?? "<initial domain>"}`,
    unverified: { onPremUpn, nickname, initialDomain: initial },
  };
}

export interface UpnCheckInput {
  ad: AdObject;
  /** The on-prem primary SMTP once the planned changes are written. */
  primary: string | null;
  /** The cloud user the object joins (null when the sync creates a new one). */
  partner: CloudObject | null;
  cloud: CloudIndex;
  entra: EntraState;
}

/** Uniqueness of the UPN the sync exports; for a join, whether and how the cloud UPN changes. */
export function upnFindings({ ad, primary, partner, cloud, entra }: UpnCheckInput): PlanFinding[] {
  const effective = effectiveUpn(ad, primary, entra);
  if (!effective) return [];
  const out: PlanFinding[] = [];
  const initial = initialDomain(entra);
  const holder = effective.unverified && !initial ? undefined : cloud.findByUpn(effective.upn);
  if (holder && holder.id !== partner?.id)
    out.push(
      syncFindings.upnTaken(
        holder,
        effective.upn,
        `${localPart(effective.upn)}+NNNN@${initial ?? "<initial domain>"}`,
      ),
    );
  const cloudUpn = partner?.userPrincipalName;
  if (partner && cloudUpn && effective.upn.toLowerCase() !== cloudUpn.toLowerCase()) {
    out.push(
      entra.features.synchronizeUpnForManagedUsersEnabled
        ? syncFindings.upnWillChange(partner, cloudUpn, effective.upn, effective.unverified)
        : syncFindings.upnNotSynchronized(partner, cloudUpn, ad.userPrincipalName!),
    );
  }
  return out;
}
