/** Evidence that an AD object and a cloud object are one identity, and how strong it is. Pure. */
import { parseProxyAddress, primarySmtp } from "../address/proxy-address.js";
import { addressKey } from "../address/smtp.js";
import type { AdObject } from "../model/directory.js";
import type { CloudIndex, CloudObject } from "../plan/live-index.js";
import { cloudPrimary } from "../plan/live-index.js";
import type { Confidence, Evidence } from "./types.js";

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };
const BY_RANK: Confidence[] = ["low", "medium", "high"];

/** The strongest evidence decides; independent kinds of evidence agreeing raise it one step. */
export function confidenceOf(evidence: readonly Evidence[]): Confidence {
  const best = Math.max(...evidence.map((e) => RANK[e.confidence]));
  const kinds = new Set(evidence.map((e) => e.kind)).size;
  return BY_RANK[Math.min(2, best + (kinds > 1 ? 1 : 0))]!;
}

/** The AD object's primary SMTP address as Entra Connect reads it: SMTP:, else mail. */
export function adPrimary(object: AdObject): string | null {
  return primarySmtp(object.proxyAddresses) ?? object.mail;
}

/** Every SMTP address of the AD object other than its primary, without duplicates. */
export function adSecondaries(object: AdObject): string[] {
  const primary = adPrimary(object);
  const seen = new Set(primary ? [addressKey(primary)] : []);
  const out: string[] = [];
  const values = [...object.proxyAddresses.map(parseProxyAddress)];
  for (const value of values) {
    if (value.kind !== "smtp" || seen.has(addressKey(value.address))) continue;
    seen.add(addressKey(value.address));
    out.push(value.address);
  }
  if (object.mail && !seen.has(addressKey(object.mail))) out.push(object.mail);
  return out;
}

function localPart(address: string): string {
  return address.slice(0, address.lastIndexOf("@")).toLowerCase();
}

/** Cloud objects by the local part of their UPN and SMTP addresses, for mailNickname evidence. */
export function indexByLocalPart(objects: readonly CloudObject[]): Map<string, CloudObject[]> {
  const out = new Map<string, CloudObject[]>();
  for (const object of objects) {
    const values = [
      object.userPrincipalName,
      object.mail,
      ...object.proxyAddresses.map(parseProxyAddress).map((p) => (p.kind === "smtp" ? p.address : null)),
    ];
    for (const value of new Set(
      values.filter((v): v is string => v !== null && v.includes("@")).map(localPart),
    )) {
      const list = out.get(value) ?? [];
      if (!list.includes(object)) list.push(object);
      out.set(value, list);
    }
  }
  return out;
}

function role(cloud: CloudObject, address: string): string {
  const primary = cloudPrimary(cloud);
  return primary && addressKey(primary) === addressKey(address)
    ? "the cloud object's primary SMTP"
    : "a secondary address of the cloud object";
}

/** Evidence per cloud object id for one AD object. */
export function gatherEvidence(
  ad: AdObject,
  cloud: CloudIndex,
  byLocalPart: ReadonlyMap<string, readonly CloudObject[]>,
): Map<string, { object: CloudObject; evidence: Evidence[] }> {
  const found = new Map<string, { object: CloudObject; evidence: Evidence[] }>();
  const add = (object: CloudObject, evidence: Evidence): void => {
    const entry = found.get(object.id) ?? { object, evidence: [] };
    if (!entry.evidence.some((e) => e.kind === evidence.kind && e.detail === evidence.detail))
      entry.evidence.push(evidence);
    found.set(object.id, entry);
  };
  const primary = adPrimary(ad);
  if (primary)
    for (const object of cloud.holders(primary))
      add(object, {
        kind: "primary-smtp",
        detail: `primary SMTP ${primary} is ${role(object, primary)} (what the next sync soft-matches on)`,
        confidence: "high",
      });
  for (const address of adSecondaries(ad))
    for (const object of cloud.holders(address))
      add(object, {
        kind: "proxy-address",
        detail: `AD address ${address} is ${role(object, address)}`,
        confidence: "medium",
      });
  if (ad.userPrincipalName) {
    const object = cloud.findByUpn(ad.userPrincipalName);
    if (object)
      add(object, {
        kind: "upn",
        detail: `userPrincipalName ${ad.userPrincipalName} is the same`,
        confidence: "medium",
      });
  }
  if (ad.mailNickname)
    for (const object of byLocalPart.get(ad.mailNickname.toLowerCase()) ?? [])
      add(object, {
        kind: "mail-nickname",
        detail: `mailNickname ${ad.mailNickname} is the local part of its UPN or an address`,
        confidence: "low",
      });
  return found;
}
