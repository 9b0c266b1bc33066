/**
 * The one mapping from Graph v1.0 JSON objects to EntraState. The live adapter and the snapshot
 * reader both call it, so a tenant read live and read from its snapshot give equal state.
 * Absent properties become null (or [] for collections), as Graph itself returns unset values.
 */
import type {
  AssignedPlan,
  DeletedEntraUser,
  EntraContact,
  EntraDomain,
  EntraGroup,
  EntraState,
  EntraUser,
  ProvisioningError,
  RoleAssignment,
  ServiceProvisioningError,
  SyncFeatures,
} from "../../model/directory.js";
import { none, orNone } from "../../model/arrays.js";

/** What the tenant does when Graph reports no feature value: duplicate attribute resiliency is always on. */
export const DEFAULT_SYNC_FEATURES: SyncFeatures = {
  blockCloudObjectTakeoverThroughHardMatchEnabled: false,
  blockSoftMatchEnabled: false,
  softMatchOnUpnEnabled: false,
  quarantineUponProxyAddressesConflictEnabled: true,
  quarantineUponUpnConflictEnabled: true,
  passwordSyncEnabled: false,
  // On for every tenant created since 2016 (how-to-connect-syncservice-features); older ones report it.
  synchronizeUpnForManagedUsersEnabled: true,
};

/** A user's properties: the same for a user and a soft-deleted one (which adds deletedDateTime). */
const USER_PROPERTIES = [
  "id",
  "userPrincipalName",
  "displayName",
  "givenName",
  "surname",
  "mail",
  "proxyAddresses",
  "onPremisesImmutableId",
  "onPremisesSyncEnabled",
  "onPremisesDistinguishedName",
  "onPremisesSamAccountName",
  "onPremisesProvisioningErrors",
  "serviceProvisioningErrors",
  "onPremisesLastSyncDateTime",
  "createdDateTime",
  "accountEnabled",
  "userType",
  "mailNickname",
  "assignedPlans",
] as const;

/** The Graph properties each collection is read with ($select) and a snapshot holds. */
export const GRAPH_PROPERTIES = {
  users: USER_PROPERTIES,
  groups: [
    "id",
    "displayName",
    "mail",
    "mailEnabled",
    "securityEnabled",
    "proxyAddresses",
    "onPremisesSyncEnabled",
    "onPremisesProvisioningErrors",
    "serviceProvisioningErrors",
  ],
  contacts: [
    "id",
    "displayName",
    "mail",
    "proxyAddresses",
    "onPremisesSyncEnabled",
    "onPremisesProvisioningErrors",
    "serviceProvisioningErrors",
  ],
  domains: ["id", "isVerified", "isInitial"],
  roleAssignments: ["principalId", "roleDefinitionId"],
  deletedUsers: [...USER_PROPERTIES, "deletedDateTime"],
} as const;

/** Graph objects as read, before mapping; a missing collection is empty, missing features are the defaults. */
export interface GraphCollections {
  users?: unknown[];
  groups?: unknown[];
  contacts?: unknown[];
  features?: unknown;
  domains?: unknown[];
  roleAssignments?: unknown[];
  deletedUsers?: unknown[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function object(value: unknown, what: string): Json {
  if (!isObject(value)) throw new TypeError(`${what} is not an object`);
  return value;
}

function requiredString(o: Json, key: string, what: string): string {
  const value = o[key];
  if (typeof value !== "string" || value === "") throw new TypeError(`${what} has no ${key}`);
  return value;
}

const str = (o: Json, key: string): string | null => {
  const value = o[key];
  return typeof value === "string" ? value : null;
};
const bool = (o: Json, key: string): boolean | null => {
  const value = o[key];
  return typeof value === "boolean" ? value : null;
};
/** The strings of a list property: the list as read when it holds only strings (it nearly always does). */
function strings(o: Json, key: string): string[] {
  const list = o[key];
  if (!Array.isArray(list) || list.length === 0) return none();
  return list.every((v): v is string => typeof v === "string")
    ? list
    : orNone(list.filter((v): v is string => typeof v === "string"));
}

/** The objects of a list property, mapped; most lists are empty, and a snapshot has 100,000 users. */
function mapObjects<T>(o: Json, key: string, map: (item: Json) => T): T[] {
  const list = o[key];
  return Array.isArray(list) && list.length > 0 ? orNone(list.filter(isObject).map(map)) : none();
}

function assignedPlans(o: Json): AssignedPlan[] {
  return mapObjects(o, "assignedPlans", (p) => ({
    assignedDateTime: str(p, "assignedDateTime"),
    capabilityStatus: str(p, "capabilityStatus"),
    service: str(p, "service"),
    servicePlanId: str(p, "servicePlanId"),
  }));
}

function provisioningErrors(o: Json): ProvisioningError[] {
  return mapObjects(o, "onPremisesProvisioningErrors", (e) => ({
    category: str(e, "category"),
    errorDetail: str(e, "errorDetail"),
    occurredDateTime: str(e, "occurredDateTime"),
    propertyCausingError: str(e, "propertyCausingError"),
    value: str(e, "value"),
  }));
}

function serviceErrors(o: Json): ServiceProvisioningError[] {
  return mapObjects(o, "serviceProvisioningErrors", (e) => ({
    createdDateTime: str(e, "createdDateTime"),
    isResolved: bool(e, "isResolved"),
    serviceInstance: str(e, "serviceInstance"),
    errorDetail: str(e, "errorDetail"),
  }));
}

export function toEntraUser(value: unknown, index = 0): EntraUser {
  const what = `user #${index + 1}`;
  const o = object(value, what);
  return {
    id: requiredString(o, "id", what),
    userPrincipalName: requiredString(o, "userPrincipalName", what),
    displayName: str(o, "displayName"),
    givenName: str(o, "givenName"),
    surname: str(o, "surname"),
    mail: str(o, "mail"),
    proxyAddresses: strings(o, "proxyAddresses"),
    onPremisesImmutableId: str(o, "onPremisesImmutableId"),
    onPremisesSyncEnabled: bool(o, "onPremisesSyncEnabled"),
    onPremisesDistinguishedName: str(o, "onPremisesDistinguishedName"),
    onPremisesSamAccountName: str(o, "onPremisesSamAccountName"),
    onPremisesProvisioningErrors: provisioningErrors(o),
    serviceProvisioningErrors: serviceErrors(o),
    onPremisesLastSyncDateTime: str(o, "onPremisesLastSyncDateTime"),
    createdDateTime: str(o, "createdDateTime"),
    accountEnabled: bool(o, "accountEnabled"),
    userType: str(o, "userType"),
    mailNickname: str(o, "mailNickname"),
    assignedPlans: assignedPlans(o),
  };
}

function toDeletedUser(value: unknown, index: number): DeletedEntraUser {
  const user = toEntraUser(value, index);
  return { ...user, deletedDateTime: str(object(value, `deleted user #${index + 1}`), "deletedDateTime") };
}

function toGroup(value: unknown, index: number): EntraGroup {
  const what = `group #${index + 1}`;
  const o = object(value, what);
  return {
    id: requiredString(o, "id", what),
    displayName: str(o, "displayName"),
    mail: str(o, "mail"),
    mailEnabled: o.mailEnabled === true,
    securityEnabled: bool(o, "securityEnabled"),
    proxyAddresses: strings(o, "proxyAddresses"),
    onPremisesSyncEnabled: bool(o, "onPremisesSyncEnabled"),
    onPremisesProvisioningErrors: provisioningErrors(o),
    serviceProvisioningErrors: serviceErrors(o),
  };
}

function toContact(value: unknown, index: number): EntraContact {
  const what = `contact #${index + 1}`;
  const o = object(value, what);
  return {
    id: requiredString(o, "id", what),
    displayName: str(o, "displayName"),
    mail: str(o, "mail"),
    proxyAddresses: strings(o, "proxyAddresses"),
    onPremisesSyncEnabled: bool(o, "onPremisesSyncEnabled"),
    onPremisesProvisioningErrors: provisioningErrors(o),
    serviceProvisioningErrors: serviceErrors(o),
  };
}

function toDomain(value: unknown, index: number): EntraDomain {
  const what = `domain #${index + 1}`;
  const o = object(value, what);
  return {
    id: requiredString(o, "id", what),
    isVerified: o.isVerified === true,
    isInitial: o.isInitial === true,
  };
}

function toRoleAssignment(value: unknown, index: number): RoleAssignment {
  const what = `role assignment #${index + 1}`;
  const o = object(value, what);
  return {
    principalId: requiredString(o, "principalId", what),
    roleDefinitionId: requiredString(o, "roleDefinitionId", what),
  };
}

export function toSyncFeatures(value: unknown): SyncFeatures {
  const o = isObject(value) ? value : {};
  const pick = (key: keyof SyncFeatures): boolean => {
    const value = o[key];
    return typeof value === "boolean" ? value : DEFAULT_SYNC_FEATURES[key];
  };
  return {
    blockCloudObjectTakeoverThroughHardMatchEnabled: pick("blockCloudObjectTakeoverThroughHardMatchEnabled"),
    blockSoftMatchEnabled: pick("blockSoftMatchEnabled"),
    softMatchOnUpnEnabled: pick("softMatchOnUpnEnabled"),
    quarantineUponProxyAddressesConflictEnabled: pick("quarantineUponProxyAddressesConflictEnabled"),
    quarantineUponUpnConflictEnabled: pick("quarantineUponUpnConflictEnabled"),
    passwordSyncEnabled: pick("passwordSyncEnabled"),
    synchronizeUpnForManagedUsersEnabled: pick("synchronizeUpnForManagedUsersEnabled"),
  };
}

export function toEntraState(raw: GraphCollections): EntraState {
  return {
    users: (raw.users ?? []).map(toEntraUser),
    // Groups without mail are kept: they never match, but the YAML may name one (DESIGN 2b).
    groups: (raw.groups ?? []).map(toGroup),
    contacts: (raw.contacts ?? []).map(toContact),
    features: toSyncFeatures(raw.features),
    domains: (raw.domains ?? []).map(toDomain),
    roleAssignments: (raw.roleAssignments ?? []).map(toRoleAssignment),
    deletedUsers: (raw.deletedUsers ?? []).map(toDeletedUser),
  };
}

/** The snapshot form of a state: Graph objects with Graph's property names (DESIGN 4). */
export function toGraphCollections(state: EntraState): Required<GraphCollections> {
  return {
    users: state.users,
    groups: state.groups,
    contacts: state.contacts,
    features: state.features,
    domains: state.domains,
    roleAssignments: state.roleAssignments,
    deletedUsers: state.deletedUsers,
  };
}
