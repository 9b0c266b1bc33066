/**
 * LiveState: what the directories hold now, as plain data. Both sources (live adapter and
 * snapshot reader) of each directory produce exactly these shapes, so the planner never
 * knows where the data came from.
 */

export type ObjectType = "user" | "contact" | "group";

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
  /** Base64 immutableId Entra Connect uses: of the consistency GUID (when the Settings say so and it is set), else of objectGUID. */
  sourceAnchor: string;
  /** Whether the object lies inside one of the Settings' sync-scope OUs. */
  inSyncScope: boolean;
}

export interface AdState {
  objects: AdObject[];
}

export interface ProvisioningError {
  category: string | null;
  errorDetail: string | null;
  occurredDateTime: string | null;
  propertyCausingError: string | null;
  value: string | null;
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
  accountEnabled: boolean | null;
  userType: string | null;
}

export interface EntraGroup {
  id: string;
  displayName: string | null;
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean | null;
  proxyAddresses: string[];
  onPremisesSyncEnabled: boolean | null;
}

export interface EntraContact {
  id: string;
  displayName: string | null;
  mail: string | null;
  proxyAddresses: string[];
  onPremisesSyncEnabled: boolean | null;
}

/** The tenant's onPremisesSynchronization `features`, with Graph's defaults filled in. */
export interface SyncFeatures {
  blockCloudObjectTakeoverThroughHardMatchEnabled: boolean;
  blockSoftMatchEnabled: boolean;
  softMatchOnUpnEnabled: boolean;
  quarantineUponProxyAddressesConflictEnabled: boolean;
  quarantineUponUpnConflictEnabled: boolean;
  passwordSyncEnabled: boolean;
}

export interface EntraDomain {
  id: string;
  isVerified: boolean;
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
