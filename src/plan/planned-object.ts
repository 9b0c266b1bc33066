/** The AD object an entry's `create:` asks for, as the planner sees it before apply creates it. Pure. */
import type { AdRef, DesiredIdentity } from "../desired/types.js";
import type { ObjectType } from "../model/directory.js";
import { normalizeDn } from "../model/dn.js";
import { inSyncScope } from "./sync-object.js";
import type { SyncObject } from "./sync-object.js";
import type { Change } from "./types.js";

export function describeAdRef(identity: DesiredIdentity): string {
  const ref = identity.ad;
  switch (ref.kind) {
    case "sam":
      return `with sAMAccountName '${ref.sam}'`;
    case "dn":
    case "create":
      return `'${ref.dn}'`;
    case "guid":
      return `with objectGUID ${ref.guid}`;
  }
}

const CREATE_CLASS: Record<ObjectType, string> = { user: "user", contact: "contact", group: "group" };

/** The object `create:` asks for, as it will stand once apply has created it (its GUID is not known yet). */
export function plannedObject(
  ref: Extract<AdRef, { kind: "create" }>,
  type: ObjectType,
  syncScope: readonly string[],
): { object: SyncObject; change: Change } {
  const { spec } = ref;
  const object: SyncObject = {
    dn: ref.dn,
    type,
    objectClass: ["top", CREATE_CLASS[type]],
    sAMAccountName: spec.sAMAccountName,
    userPrincipalName: spec.userPrincipalName,
    mail: null,
    mailNickname: null,
    displayName: spec.displayName,
    givenName: spec.givenName,
    sn: spec.sn,
    proxyAddresses: [],
    objectGuid: "",
    consistencyGuid: null,
    sourceAnchor: "",
    inSyncScope: inSyncScope(ref.dn, syncScope),
    dnKey: normalizeDn(ref.dn),
  };
  const attributes: Record<string, string | null> = {
    cn: spec.cn,
    sAMAccountName: spec.sAMAccountName,
    userPrincipalName: spec.userPrincipalName,
    givenName: spec.givenName,
    sn: spec.sn,
    displayName: spec.displayName,
    // A new user is disabled (ACCOUNTDISABLE | NORMAL_ACCOUNT) and has no password; a group is a universal distribution group.
    userAccountControl: type === "user" ? "514" : null,
    groupType: type === "group" ? "8" : null,
  };
  const create = Object.fromEntries(
    Object.entries(attributes).filter((e): e is [string, string] => e[1] !== null),
  );
  const change: Change = {
    target: "ad",
    dn: ref.dn,
    attribute: "objectClass",
    add: [CREATE_CLASS[type]],
    remove: [],
    create,
  };
  return { object, change };
}
