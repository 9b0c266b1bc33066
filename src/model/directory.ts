/**
 * LiveState: what the directories hold now, as plain data: raw attributes, nothing derived from
 * the Settings (the source anchor, the sync scope and "joined" are derived once, in src/plan). Both sources (live adapter and
 * snapshot reader) of each directory produce exactly these shapes, so the planner never
 * knows where the data came from.
 */

export type ObjectType = "user" | "contact" | "group";

/** How an entry asks Entra Connect to match its object: by primary SMTP, by UPN, or by the anchor (hard match). */
export type MatchStrategy = "smtp" | "upn" | "hard";

export interface AdObject {
  dn: string;
  type: ObjectType;
  /** objectClass values as the directory returns them. */
  objectClass: string[];
  sAMAccountName: string | null;
  userPrincipalName: string | null;
  mail: string | null;
  mailNickname: string | null;
  displayName: string | null;
  givenName: string | null;
  sn: string | null;
  /** Every value, every type (SMTP:, smtp:, X500:, SIP: ...), in the order read. */
  proxyAddresses: string[];
  /** Lower-case GUID string. */
  objectGuid: string;
  /** mS-DS-ConsistencyGuid as a lower-case GUID string, null when empty. */
  consistencyGuid: string | null;
  /** On-prem Exchange attributes; set exactly when the directory's schema has them (AdState.exchangeSchema). */
  exchange?: ExchangeAttributes;
  /** isCriticalSystemObject TRUE (built-in accounts Entra Connect never exports); absent means FALSE. */
  isCriticalSystemObject?: boolean;
}

/** What on-prem Exchange stamps on a recipient, as far as address policies and routing go. */
export interface ExchangeAttributes {
  /** msExchPoliciesExcluded: `{26491cfc-9e50-4857-861b-0cb8df22b5d7}` when email address policies are off for it. */
  policiesExcluded: string[];
  /** msExchPoliciesIncluded: the policies last applied (`{policy guid},{policy type guid}`). */
  policiesIncluded: string[];
  /** msExchRecipientTypeDetails (e.g. 1 UserMailbox, 2147483648 RemoteUserMailbox), null when not a recipient. */
  recipientTypeDetails: number | null;
  /** targetAddress: where mail for a remote mailbox or mail user goes (`SMTP:x@tenant.mail.onmicrosoft.com`). */
  targetAddress: string | null;
  /** msExchMailboxGuid as a lower-case GUID string: set when an on-prem mailbox exists; absent when not read. */
  mailboxGuid?: string | null;
}

export interface AdState {
  objects: AdObject[];
  /**
   * Whether the schema has on-prem Exchange's attributes (msExchPoliciesExcluded ...). Live: read from
   * the schema; LDIF: any entry carries an msExch* attribute. Absent means not known: treated as false.
   */
  exchangeSchema?: boolean;
}

export interface ProvisioningError {
  category: string | null;
  errorDetail: string | null;
  occurredDateTime: string | null;
  propertyCausingError: string | null;
  value: string | null;
}

/** Graph's serviceProvisioningXmlError: what a cloud service (Exchange Online) reported on the object. */
export interface ServiceProvisioningError {
  createdDateTime: string | null;
  isResolved: boolean | null;
  serviceInstance: string | null;
  errorDetail: string | null;
}

/** One entry of a user's assignedPlans: which service plan (Exchange, SharePoint ...) is assigned and its state. */
export interface AssignedPlan {
  assignedDateTime: string | null;
  capabilityStatus: string | null;
  service: string | null;
  servicePlanId: string | null;
}

export interface EntraUser {
  id: string;
  userPrincipalName: string;
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  proxyAddresses: string[];
  onPremisesImmutableId: string | null;
  onPremisesSyncEnabled: boolean | null;
  onPremisesDistinguishedName: string | null;
  onPremisesSamAccountName: string | null;
  onPremisesProvisioningErrors: ProvisioningError[];
  /** Errors a cloud service (Exchange Online) reported on the user; verify reads the unresolved ones. */
  serviceProvisioningErrors: ServiceProvisioningError[];
  /** When Entra Connect last synchronised the user, null when never; verify tells "not synced yet" by it. */
  onPremisesLastSyncDateTime: string | null;
  /** When the cloud object was created: verify tells a new duplicate from an existing object by it. */
  createdDateTime: string | null;
  accountEnabled: boolean | null;
  userType: string | null;
  mailNickname: string | null;
  assignedPlans: AssignedPlan[];
}

/** A soft-deleted user in the recycle bin (/directory/deletedItems/microsoft.graph.user). */
export interface DeletedEntraUser extends EntraUser {
  deletedDateTime: string | null;
}

export interface EntraGroup {
  id: string;
  displayName: string | null;
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean | null;
  proxyAddresses: string[];
  onPremisesSyncEnabled: boolean | null;
  onPremisesProvisioningErrors: ProvisioningError[];
  serviceProvisioningErrors: ServiceProvisioningError[];
}

export interface EntraContact {
  id: string;
  displayName: string | null;
  mail: string | null;
  proxyAddresses: string[];
  onPremisesSyncEnabled: boolean | null;
  onPremisesProvisioningErrors: ProvisioningError[];
  serviceProvisioningErrors: ServiceProvisioningError[];
}

/** The tenant's onPremisesSynchronization `features`, with Graph's defaults filled in. */
export interface SyncFeatures {
  blockCloudObjectTakeoverThroughHardMatchEnabled: boolean;
  blockSoftMatchEnabled: boolean;
  softMatchOnUpnEnabled: boolean;
  quarantineUponProxyAddressesConflictEnabled: boolean;
  quarantineUponUpnConflictEnabled: boolean;
  passwordSyncEnabled: boolean;
  /** UPN changes of managed (non-federated) users flow to the cloud only when this is on. */
  synchronizeUpnForManagedUsersEnabled: boolean;
}

export interface EntraDomain {
  id: string;
  isVerified: boolean;
  /** The tenant's initial <name>.onmicrosoft.com domain: where Entra puts UPNs on unverified suffixes. */
  isInitial: boolean;
}

export interface RoleAssignment {
  principalId: string;
  roleDefinitionId: string;
}

export interface EntraState {
  users: EntraUser[];
  groups: EntraGroup[];
  contacts: EntraContact[];
  features: SyncFeatures;
  domains: EntraDomain[];
  roleAssignments: RoleAssignment[];
  /** Soft-deleted users (30 days): a returning on-prem object with the same anchor restores one. */
  deletedUsers: DeletedEntraUser[];
}

export interface LiveState {
  ad: AdState;
  entra: EntraState;
}

/** A source reads the whole of one directory; live adapters and snapshot readers both implement it. */
export interface AdSource {
  readAll(): Promise<AdState>;
}

export interface EntraSource {
  readAll(): Promise<EntraState>;
}
