/**
 * Every finding the planner reports, worded once: what the next sync does, why, and the fix.
 * Codes are Entra's own error names where Entra has one.
 */
import type { AdObject, ObjectType } from "../model/directory.js";
import type { CloudObject } from "./live-index.js";
import { cloudPrimary, describeAd, describeCloud } from "./live-index.js";
import type { PlanFinding, Via } from "./types.js";

/** A finding of each severity: what the next sync does, and the fix. */
export const error = (code: string, message: string, fix: string): PlanFinding => ({
  severity: "error",
  code,
  message,
  fix,
});
export const warning = (code: string, message: string, fix: string): PlanFinding => ({
  severity: "warning",
  code,
  message,
  fix,
});

export const findings = {
  adObjectNotFound: (what: string, baseDN: string): PlanFinding =>
    error(
      "AdObjectNotFound",
      `The AD object ${what} does not exist under ${baseDN}, so there is nothing for Entra Connect to synchronise.`,
      "Correct 'ad:' in the YAML (sAMAccountName, {dn: ...} or {guid: ...}), or create the object first.",
    ),

  typeDiffers: (ad: AdObject, declared: ObjectType): PlanFinding =>
    error(
      "ObjectTypeMismatch",
      `The YAML declares a ${declared}, but ${describeAd(ad)} is a ${ad.type}; Entra Connect joins objects of the same type only.`,
      `Set 'type: ${ad.type}' in the YAML, or point 'ad:' at the intended ${declared}.`,
    ),

  cloudObjectNotFound: (what: string): PlanFinding =>
    error(
      "CloudObjectNotFound",
      `The cloud object ${what} does not exist in Entra ID, so the join the YAML describes cannot happen.`,
      "Correct 'cloud:' (the cloud userPrincipalName, or the object id for groups and contacts).",
    ),

  outOfScope: (ad: AdObject, scope: readonly string[]): PlanFinding =>
    error(
      "OutOfSyncScope",
      `Next sync: Entra Connect ignores ${describeAd(ad)} because it lies outside the sync scope (${scope.join("; ")}), so no join happens.`,
      "Move the object into a synchronised OU, or add its OU to syncScope in Settings and in Entra Connect.",
    ),

  willBeDeleted: (ad: AdObject, partner: CloudObject): PlanFinding =>
    error(
      "CloudObjectWillBeDeleted",
      partner.type === "user"
        ? `Next sync: ${describeCloud(partner)} is soft-deleted (restorable from the recycle bin for 30 days), because its source ${describeAd(ad)} has left the sync scope.`
        : `Next sync: ${describeCloud(partner)} is deleted for good, because its source ${describeAd(ad)} has left the sync scope; only users and Microsoft 365 groups can be restored from the recycle bin, a synchronised ${partner.type} cannot.`,
      partner.type === "user"
        ? "Move the object back into a synchronised OU before the next sync runs (or restore it afterwards: Restore-MgDirectoryDeletedItem)."
        : "Move the object back into a synchronised OU before the next sync runs; afterwards it can only be recreated, with new membership and a new object id.",
    ),

  joinedElsewhere: (partner: CloudObject, target: CloudObject | undefined, targetName: string): PlanFinding =>
    error(
      "WrongMatch",
      `The object is already joined to ${describeCloud(partner)}, not to ${target ? describeCloud(target) : targetName}; a join bonds the anchors and changing addresses does not move it.`,
      "Point 'cloud:' at the object it is joined to, or, if the join itself is wrong, unjoin it deliberately and set 'rebind: true'.",
    ),

  rebindRequested: (partner: CloudObject): PlanFinding =>
    warning(
      "RebindRequested",
      `'rebind: true': the object stays joined to ${describeCloud(partner)} until the join is undone; idanchor does not move a join with address changes.`,
      "Undo the join (remove the object from sync scope, let the cloud object be deleted and restore it) before the intended join can happen.",
    ),

  invalidHardMatch: (candidate: CloudObject): PlanFinding =>
    error(
      "InvalidHardMatch",
      `Next sync: the hard match to ${describeCloud(candidate)} fails with InvalidHardMatch, because the object is cloud-managed and the tenant blocks cloud object takeover through hard match (blockCloudObjectTakeoverThroughHardMatchEnabled).`,
      "Turn blockCloudObjectTakeoverThroughHardMatchEnabled off for the cutover and back on afterwards, or join by SMTP soft match instead (match: smtp).",
    ),

  softMatchBlocked: (candidate: CloudObject, address: string): PlanFinding =>
    error(
      "SoftMatchBlocked",
      `Next sync: no soft match to ${describeCloud(candidate)}, which holds '${address}', because the tenant blocks soft matching (blockSoftMatchEnabled); the new object then clashes on that address (AttributeValueMustBeUnique).`,
      "Turn blockSoftMatchEnabled off for the migration window, or join by hard match (match: hard).",
    ),

  typeMismatch: (ad: AdObject, candidate: CloudObject, address: string): PlanFinding =>
    error(
      "ObjectTypeMismatch",
      `Next sync: fails with ObjectTypeMismatch, because '${address}' belongs to ${describeCloud(candidate)} but the on-prem object is a ${ad.type}.`,
      `Remove '${address}' from the cloud ${candidate.type}, or give the on-prem ${ad.type} another primary address.`,
    ),

  invalidSoftMatch: (candidate: CloudObject, address: string): PlanFinding =>
    error(
      "InvalidSoftMatch",
      `Next sync: fails with InvalidSoftMatch, because ${describeCloud(candidate)}, which holds '${address}', already has an onPremisesImmutableId (${candidate.onPremisesImmutableId}) from another on-prem object.`,
      "Confirm the cloud object is orphaned and clear its onPremisesImmutableId, or join by hard match with the right anchor (match: hard).",
    ),

  adminRoleConflict: (candidate: CloudObject): PlanFinding =>
    error(
      "AdminRoleConflict",
      `Next sync: the soft match to ${describeCloud(candidate)} is refused (Existing Admin Role Conflict), because it holds an Entra admin role, and Entra Connect creates a new cloud object beside it, with its clashing values quarantined (AttributeValueMustBeUnique): a duplicate account.`,
      `Remove the admin role assignments of ${candidate.id} before the sync (Graph DELETE /roleManagement/directory/roleAssignments/{id}, or Remove-MgRoleManagementDirectoryRoleAssignment) and assign them again after the join.`,
    ),

  softMatchOnSecondary: (candidate: CloudObject, address: string): PlanFinding =>
    warning(
      "SoftMatchOnSecondaryAddress",
      `The soft match finds ${describeCloud(candidate)} through its secondary address '${address}' (its primary is '${cloudPrimary(candidate) ?? "none"}'); after the join its primary becomes '${address}'.`,
      "Nothing, if that is intended; otherwise choose the cloud primary as 'smtp:'.",
    ),

  ambiguousSoftMatch: (candidates: readonly CloudObject[], address: string): PlanFinding =>
    error(
      "AttributeValueMustBeUnique",
      `Next sync: '${address}' is held by several cloud objects (${candidates.map(describeCloud).join(", ")}), so the soft match is ambiguous and the export fails with AttributeValueMustBeUnique.`,
      "Leave the address on one cloud object only.",
    ),

  wrongMatch: (
    partner: CloudObject,
    via: Via,
    target: CloudObject | undefined,
    targetName: string,
  ): PlanFinding =>
    error(
      "WrongMatch",
      `Next sync: joins ${describeCloud(partner)} by ${via === "anchor" ? "hard match" : `${via.toUpperCase()} soft match`}, not the intended ${target ? describeCloud(target) : targetName}; a join bonds the two objects for good.`,
      via === "upn"
        ? `Change the on-prem userPrincipalName, or remove the UPN from ${describeCloud(partner)}.`
        : `Remove the address from ${describeCloud(partner)}, or correct 'cloud:' / 'smtp:' in the YAML.`,
    ),

  willCreateDuplicate: (target: CloudObject, primary: string): PlanFinding =>
    error(
      "WillCreateDuplicate",
      `Next sync: nothing matches, so Entra Connect creates a new cloud object beside ${describeCloud(target)}: a duplicate account.`,
      `Add '${primary}' to the proxy addresses of ${describeCloud(target)} (or choose its current address as 'smtp:'), or join by hard match (match: hard).`,
    ),

  cloudAddressMissing: (target: CloudObject, primary: string, blocking: boolean): PlanFinding =>
    (blocking ? error : warning)(
      "CloudAddressMissing",
      `${describeCloud(target)} does not carry '${primary}' (its primary is '${cloudPrimary(target) ?? "none"}')${blocking ? ", so the SMTP soft match cannot find it" : "; it receives the address from on-prem after the join"}.`,
      `Add smtp:${primary} to the cloud object (Exchange Online: Set-Mailbox -EmailAddresses @{add="smtp:${primary}"}), or set 'smtp:' to an address it carries.`,
    ),

  adAddressTaken: (holder: AdObject, address: string, quarantine: boolean): PlanFinding =>
    error(
      "AttributeValueMustBeUnique",
      `Next sync: '${address}' is also held by ${describeAd(holder)}; ${quarantine ? "duplicate attribute resiliency quarantines the value on one of the two objects" : "the export fails with AttributeValueMustBeUnique"}.`,
      `Remove '${address}' from ${describeAd(holder)} (or map that object in the YAML with other addresses).`,
    ),

  cloudAddressTaken: (holder: CloudObject, address: string, quarantine: boolean): PlanFinding =>
    error(
      "AttributeValueMustBeUnique",
      `Next sync: '${address}' is held by ${describeCloud(holder)}, so writing it to this object clashes: ${quarantine ? "duplicate attribute resiliency quarantines the value" : "the export fails with AttributeValueMustBeUnique"}.`,
      `Remove '${address}' from ${describeCloud(holder)}.`,
    ),

  adObjectExists: (dn: string, holder: AdObject): PlanFinding =>
    error(
      "AdObjectExists",
      `Apply cannot create ${dn}: its sAMAccountName '${holder.sAMAccountName ?? ""}' already belongs to ${describeAd(holder)} (sAMAccountName is unique in the domain).`,
      `Map the existing object with 'ad: ${holder.sAMAccountName ?? holder.dn}' instead of creating one, or choose another sAMAccountName.`,
    ),

  objectWillBeCreated: (dn: string, type: ObjectType, passwordSync: boolean): PlanFinding =>
    warning(
      "ObjectWillBeCreated",
      type === "user"
        ? `Apply creates ${dn} as a disabled user without a password, with the planned addresses; what the next sync does with it is the outcome this plan shows.${passwordSync ? " With password hash sync the cloud password is then replaced by the on-prem one, so the user is locked out until an administrator sets one." : ""}`
        : `Apply creates ${dn} as a ${type === "group" ? "universal distribution group" : "mail contact"} with the planned addresses; what the next sync does with it is the outcome this plan shows.`,
      type === "user"
        ? "After apply, an administrator sets a password on the new account (and enables it if on-prem sign-in is wanted) before the next sync."
        : "Nothing to do if the outcome is the intended join; otherwise fix the findings before applying.",
    ),

  hardMatchAfterCreate: (dn: string): PlanFinding =>
    warning(
      "HardMatchAfterCreate",
      `${dn} does not exist yet, so its source anchor is unknown and the hard match cannot be planned in this run; the next sync soft-matches it if it can.`,
      "Apply this plan, then plan again: the second plan sets onPremisesImmutableId once the object exists.",
    ),

  unverifiedDomain: (address: string, domain: string): PlanFinding =>
    warning(
      "UnverifiedDomain",
      `Entra Connect drops '${address}' from the cloud object, because '${domain}' is not a verified domain of the tenant.`,
      `Verify '${domain}' in Entra ID, or use an address on a verified domain.`,
    ),
};

/** What a join overwrites: on-prem values win over cloud values after the join. */
export const overwriteFindings = {
  passwordWillBeOverwritten: (partner: CloudObject): PlanFinding =>
    warning(
      "PasswordWillBeOverwritten",
      `After the join, password hash sync replaces the cloud password of ${describeCloud(partner)} with the on-prem one (the tenant has passwordSyncEnabled); the user signs in with the on-prem password from then on.`,
      "Tell the user before the sync; make sure the on-prem account has a password the user knows.",
    ),

  cloudValuesWillBeOverwritten: (
    partner: CloudObject,
    changes: readonly { name: string; from: string | null; to: string | null }[],
  ): PlanFinding =>
    warning(
      "CloudValuesWillBeOverwritten",
      `After the join, on-prem values overwrite ${describeCloud(partner)}: ${changes.map((c) => `${c.name} '${c.from ?? ""}' -> '${c.to ?? ""}'`).join(", ")}.`,
      "Copy the cloud values to the on-prem object first if the cloud ones are right.",
    ),

  upnWillChange: (
    partner: CloudObject,
    from: string,
    to: string,
    unverifiedUpn: string | null,
  ): PlanFinding =>
    warning(
      "UpnWillChange",
      unverifiedUpn
        ? `After the join, the cloud UPN of ${describeCloud(partner)} changes from '${from}' to '${to}', not to the on-prem '${unverifiedUpn}': its suffix is not a verified domain, so Entra substitutes the tenant's initial domain. Sign-in names change.`
        : `After the join, the cloud UPN of ${describeCloud(partner)} changes from '${from}' to '${to}' (the on-prem userPrincipalName); sign-in names change.`,
      unverifiedUpn
        ? `Verify '${unverifiedUpn.slice(unverifiedUpn.lastIndexOf("@") + 1)}' in Entra ID, or give the on-prem object a UPN on a verified domain.`
        : "Set the on-prem userPrincipalName to the cloud UPN if the sign-in name must stay.",
    ),
};

/** On-prem Exchange: address policies and remote routing (src/plan/exchange.ts). */
export const exchangeFindings = {
  emailAddressPolicyWillOverwrite: (
    ad: AdObject,
    primary: string,
    policiesIncluded: readonly string[],
    cmdlet: string,
  ): PlanFinding =>
    warning(
      "EmailAddressPolicyWillOverwrite",
      `On-prem Exchange: ${describeAd(ad)} still follows email address policies${policiesIncluded.length > 0 ? ` (msExchPoliciesIncluded: ${policiesIncluded.join("; ")})` : ""}, so the next time a policy is applied to it (Update-EmailAddressPolicy, or any ${cmdlet} on it) Exchange regenerates its primary SMTP address from the policy and replaces '${primary}' written by this plan; the sync after that takes the policy's address to the cloud.`,
      `Before apply, exclude it from address policies: ${cmdlet} -Identity '${ad.dn}' -EmailAddressPolicyEnabled $false (this writes msExchPoliciesExcluded: {26491cfc-9e50-4857-861b-0cb8df22b5d7}); or change the policy so that it generates '${primary}'.`,
    ),

  remoteRoutingAddressMismatch: (
    ad: AdObject,
    remoteType: string,
    targetAddress: string | null,
    cloud: CloudObject,
    routing: string | undefined,
  ): PlanFinding =>
    warning(
      "RemoteRoutingAddressMismatch",
      targetAddress
        ? `On-prem Exchange forwards mail for ${describeAd(ad)} (a ${remoteType}) to its targetAddress '${targetAddress}', which ${describeCloud(cloud)} does not carry, so Exchange Online rejects it (550 5.1.10 RecipientNotFound) and mail from on-prem senders bounces.`
        : `${describeAd(ad)} is a ${remoteType} without a targetAddress, so on-prem Exchange has nowhere to forward its mail and it bounces.`,
      routing
        ? `Point it at the routing address the cloud mailbox carries: Set-RemoteMailbox -Identity '${ad.dn}' -RemoteRoutingAddress ${routing}.`
        : `Give the cloud mailbox a <tenant>.mail.onmicrosoft.com address (Exchange Online: Set-Mailbox -EmailAddresses @{add="smtp:..."}) and point the remote mailbox at it: Set-RemoteMailbox -Identity '${ad.dn}' -RemoteRoutingAddress <that address>.`,
    ),

  exchangeSchemaNotFound: (): PlanFinding =>
    warning(
      "ExchangeSchemaNotFound",
      "The AD schema has no on-prem Exchange attributes (msExchPoliciesExcluded), so the email address policy and remote routing address checks were skipped; if an Exchange organisation manages these recipients, a policy can still rewrite the primary addresses this plan sets.",
      "Nothing, if there is no on-prem Exchange. Otherwise read AD live (the schema is detected), or export the snapshot with msExchPoliciesExcluded, msExchPoliciesIncluded, msExchRecipientTypeDetails, msExchMailboxGuid and targetAddress.",
    ),
};
