/**
 * Findings for what else Entra Connect does (DESIGN.md 2b): its own export filters, the 2026
 * hard-match hardening, UPN handling, reserved domains, groups, mailboxes, today's sync errors and
 * the recycle bin. Worded as findings.ts: what the next sync does, why, and the fix.
 */
import type { AdObject, ProvisioningError, ServiceProvisioningError } from "../model/directory.js";
import type { CloudObject } from "./live-index.js";
import { describeAd, describeCloud } from "./live-index.js";
import { error, warning } from "./findings.js";
import type { PlanFinding } from "./types.js";

const graphPath = (object: CloudObject): string =>
  `${object.type === "user" ? "users" : object.type === "group" ? "groups" : "contacts"}/${object.id}`;

export const syncFindings = {
  notExportedByConnect: (ad: AdObject, reason: string): PlanFinding =>
    error(
      "NotExportedByConnect",
      `Next sync: Entra Connect does not export ${describeAd(ad)}, because ${reason}; it is neither joined nor created, whatever its addresses say.`,
      "Map the account that Entra Connect does synchronise (for a linked mailbox, the user of the account forest named by msExchMasterAccountSid), or remove the entry from the YAML.",
    ),

  invalidHardMatchAdmin: (candidate: CloudObject): PlanFinding =>
    error(
      "InvalidHardMatch",
      `Next sync: the hard match to ${describeCloud(candidate)} fails with InvalidHardMatch, because the user is cloud-managed and holds an Entra role: since June 2026 (MC1262584) Entra refuses to take such a user over, whatever blockCloudObjectTakeoverThroughHardMatchEnabled says.`,
      `Remove its role assignments first (Graph DELETE /roleManagement/directory/roleAssignments/{id}, or Remove-MgRoleManagementDirectoryRoleAssignment), let the sync join it, then assign the roles again.`,
    ),

  hardMatchRemapBlocked: (target: CloudObject, current: string, anchor: string): PlanFinding =>
    error(
      "HardMatchRemapBlocked",
      `Not written: ${describeCloud(target)} already carries onPremisesImmutableId '${current}' of another on-prem object, and since July 2026 Entra refuses to change the anchor of a user mapped to a synced object ("Hard match operation blocked due to security hardening"), so setting it to '${anchor}' would fail.`,
      "Point 'cloud:' at the user this on-prem object should join, or, if the cloud user really belongs to this object, remove the other on-prem object from sync scope and restore the user before matching again.",
    ),

  invalidSoftMatchShownAsDuplicate: (candidate: CloudObject, address: string): PlanFinding =>
    warning(
      "AttributeValueMustBeUnique",
      `The InvalidSoftMatch above shows in the Entra admin center and Connect Health as AttributeValueMustBeUnique on '${address}': duplicate attribute resiliency (quarantineUponProxyAddressesConflictEnabled) quarantines the value on the new object instead of failing it, beside ${describeCloud(candidate)}.`,
      "Fix the InvalidSoftMatch; the AttributeValueMustBeUnique entry goes away with it.",
    ),

  upnTaken: (holder: CloudObject, upn: string, quarantined: string): PlanFinding =>
    error(
      "AttributeValueMustBeUnique",
      `Next sync: the userPrincipalName '${upn}' is already held by ${describeCloud(holder)}, so Entra quarantines it (AttributeValueMustBeUnique) and the user gets '${quarantined}' instead.`,
      `Give the on-prem user another userPrincipalName (Set-ADUser -UserPrincipalName), or change the UPN of ${describeCloud(holder)} (Update-MgUser -UserId ${holder.id} -UserPrincipalName ...).`,
    ),

  upnWillChange: (
    partner: CloudObject,
    from: string,
    to: string,
    unverified: { onPremUpn: string; nickname: string; initialDomain: string | null } | null,
  ): PlanFinding =>
    warning(
      "UpnWillChange",
      unverified
        ? `After the join, the cloud UPN of ${describeCloud(partner)} changes from '${from}' to '${to}', not to the on-prem '${unverified.onPremUpn}': its suffix is not a verified domain, so Entra uses the MailNickName ('${unverified.nickname}') at the tenant's initial domain${unverified.initialDomain ? "" : " (not known: the snapshot names no domain with isInitial)"}. Sign-in names change.`
        : `After the join, the cloud UPN of ${describeCloud(partner)} changes from '${from}' to '${to}' (the on-prem userPrincipalName); sign-in names change.`,
      unverified
        ? `Verify '${unverified.onPremUpn.slice(unverified.onPremUpn.lastIndexOf("@") + 1)}' in Entra ID (New-MgDomain, then Confirm-MgDomain), or give the on-prem user a UPN on a verified domain (Set-ADUser -UserPrincipalName).`
        : "Set the on-prem userPrincipalName to the cloud UPN (Set-ADUser -UserPrincipalName) if the sign-in name must stay.",
    ),

  upnNotSynchronized: (partner: CloudObject, cloudUpn: string, onPremUpn: string): PlanFinding =>
    warning(
      "UpnNotSynchronized",
      `After the join, the cloud UPN of ${describeCloud(partner)} stays '${cloudUpn}' and the on-prem '${onPremUpn}' is not taken over, because the tenant has synchronizeUpnForManagedUsersEnabled off; the two sign-in names differ from then on.`,
      "Turn the feature on (Graph PATCH /directory/onPremisesSynchronization/{id} with features.synchronizeUpnForManagedUsersEnabled true) if the on-prem UPN should win, or set the on-prem UPN to the cloud one.",
    ),

  reservedDomainDiscarded: (address: string, primary: boolean): PlanFinding =>
    (primary ? error : warning)(
      "ReservedDomainDiscarded",
      `Entra Connect's proxy calculation drops '${address}' before it reaches the cloud: '*.onmicrosoft.com' is a reserved suffix that only Entra and Exchange Online assign${primary ? ", so the cloud primary SMTP is not this address" : ""}.`,
      "Use an address on a verified custom domain; Exchange Online adds the tenant's onmicrosoft.com addresses by itself.",
    ),

  groupNotMatchable: (target: CloudObject): PlanFinding =>
    error(
      "WillCreateDuplicate",
      `Next sync: ${describeCloud(target)} is a group that is not mail-enabled, and Entra Connect never matches such a group (by address or anchor), so it creates a second group beside it.`,
      `Move the members and assignments of ${describeCloud(target)} to the synchronised group after the sync and delete the cloud one (Remove-MgGroup -GroupId ${target.id}), or remove the entry from the YAML.`,
    ),

  duplicateMailbox: (ad: AdObject, partner: CloudObject): PlanFinding =>
    error(
      "DuplicateMailbox",
      `After the join, the user has two mailboxes: ${describeAd(ad)} is an on-prem mailbox (msExchRecipientTypeDetails 1, msExchMailboxGuid set) and ${describeCloud(partner)} already has an Exchange Online mailbox (assignedPlans: exchange Enabled); mail splits between them.`,
      `Keep one mailbox before the sync: move the on-prem one to the cloud with a hybrid move (New-MoveRequest -Identity '${ad.dn}' -Remote ...) after exporting the cloud one's content, or remove the Exchange Online plan from the cloud user (Set-MgUserLicense -UserId ${partner.id} -RemoveLicenses ...).`,
    ),

  currentSyncError: (cloud: CloudObject, e: ProvisioningError): PlanFinding =>
    warning(
      "CurrentSyncError",
      `Failing today: the last sync reported ${e.category ?? "an error"} on ${describeCloud(cloud)}${e.propertyCausingError ? ` (${e.propertyCausingError}${e.value ? ` '${e.value}'` : ""})` : ""}${e.occurredDateTime ? ` at ${e.occurredDateTime}` : ""}${e.errorDetail ? `: ${e.errorDetail}` : ""}.`,
      `Resolve the conflict named here (Entra admin center > Entra Connect > Connect Health > Sync errors; Graph GET /${graphPath(cloud)}?$select=onPremisesProvisioningErrors shows it); the next sync retries it.`,
    ),

  currentServiceError: (cloud: CloudObject, e: ServiceProvisioningError): PlanFinding =>
    warning(
      "CurrentSyncError",
      `Failing today: ${e.serviceInstance ?? "a service"} reports a provisioning error on ${describeCloud(cloud)}${e.createdDateTime ? ` since ${e.createdDateTime}` : ""}${e.errorDetail ? `: ${e.errorDetail.replace(/\.\s*$/, "")}` : ""}.`,
      `Fix what the error names (for Exchange Online, Get-Recipient -Identity ${cloud.id} | Format-List *Error* shows it); Graph GET /${graphPath(cloud)}?$select=serviceProvisioningErrors lists it until it is resolved.`,
    ),

  willRestoreDeletedUser: (ad: AdObject, deleted: CloudObject, when: string | null): PlanFinding =>
    warning(
      "WillRestoreDeletedUser",
      `Next sync: restores the soft-deleted ${describeCloud(deleted)} from the recycle bin${when ? ` (deleted ${when})` : ""}, because its onPremisesImmutableId equals the anchor of ${describeAd(ad)}; no new account is created.`,
      `Nothing, if that user is the one; otherwise delete it for good first (Remove-MgDirectoryDeletedItem -DirectoryObjectId ${deleted.id}).`,
    ),

  targetInRecycleBin: (target: CloudObject): PlanFinding =>
    error(
      "CloudObjectDeleted",
      `${describeCloud(target)} is in the recycle bin and does not carry this object's anchor, so the next sync neither restores nor matches it.`,
      `Restore it first (Restore-MgDirectoryDeletedItem -DirectoryObjectId ${target.id}) and plan again, or point 'cloud:' at an active object.`,
    ),
};
