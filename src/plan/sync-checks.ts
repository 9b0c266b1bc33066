/**
 * Per-identity checks of DESIGN.md 2b that need no matching logic: reserved proxy domains,
 * duplicate mailboxes, and the sync errors Graph reports today. Pure.
 */
import { domainOf } from "../address/smtp.js";
import type { DesiredIdentity } from "../desired/types.js";
import type { AdObject } from "../model/directory.js";
import { syncFindings } from "./findings-sync.js";
import type { CloudIndex, CloudObject } from "./live-index.js";
import type { PlanFinding } from "./types.js";

/** msExchRecipientTypeDetails of an on-prem UserMailbox. */
const USER_MAILBOX = 1;

/** Proxy calculation (KB 3190357) drops on-prem values on *.onmicrosoft.com. */
export function reservedDomainFindings(identity: DesiredIdentity): PlanFinding[] {
  const reserved = (address: string): boolean => /(^|\.)onmicrosoft\.com$/i.test(domainOf(address));
  return [
    ...(reserved(identity.smtp) ? [syncFindings.reservedDomainDiscarded(identity.smtp, true)] : []),
    ...identity.aliases.filter(reserved).map((a) => syncFindings.reservedDomainDiscarded(a, false)),
  ];
}

/** An on-prem mailbox joining a cloud user that already has an Exchange Online mailbox. */
export function duplicateMailboxFindings(
  ad: AdObject,
  partner: CloudObject,
  cloud: CloudIndex,
): PlanFinding[] {
  const exchange = ad.exchange;
  if (ad.type !== "user" || exchange?.recipientTypeDetails !== USER_MAILBOX || !exchange.mailboxGuid)
    return [];
  const user = cloud.findUser(partner.id);
  const hasCloudMailbox = user?.assignedPlans.some(
    (p) => p.service?.toLowerCase() === "exchange" && p.capabilityStatus === "Enabled",
  );
  return hasCloudMailbox ? [syncFindings.duplicateMailbox(ad, partner)] : [];
}

/** Every error the last sync (and Exchange Online) reported on these cloud objects, once each. */
export function currentSyncErrorFindings(objects: readonly CloudObject[], cloud: CloudIndex): PlanFinding[] {
  const out: PlanFinding[] = [];
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i]!;
    // One or two objects: the earlier ones are looked through rather than put in a set.
    let earlier = 0;
    while (earlier < i && objects[earlier]!.id !== object.id) earlier++;
    if (earlier < i) continue;
    const source = object.deleted ? cloud.findDeletedUser(object.id) : cloud.findSource(object.id);
    if (!source) continue;
    for (const e of source.onPremisesProvisioningErrors) out.push(syncFindings.currentSyncError(object, e));
    for (const e of source.serviceProvisioningErrors)
      if (e.isResolved !== true) out.push(syncFindings.currentServiceError(object, e));
  }
  return out;
}
