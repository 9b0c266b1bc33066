/**
 * What Entra Connect derives from a raw AD object under the Settings: its source anchor and
 * whether it lies in the sync scope. The one place these rules live; the planner and import both
 * read objects through it, and the adapters return raw attributes only.
 */
import { guidToImmutableId } from "../address/guid.js";
import type { ActiveDirectorySettings, SourceAnchorAttribute } from "../desired/settings.js";
import { componentsWithinAnyOf, dnComponents, keyOfComponents, withinAny } from "../model/dn.js";
import type { AdObject, AdState } from "../model/directory.js";

/** An AD object as the next sync sees it. */
export interface SyncObject extends AdObject {
  /** Base64 immutableId Entra Connect uses: of the consistency GUID (when the Settings say so and it is set), else of objectGUID. */
  sourceAnchor: string;
  /** Whether the object lies inside one of the Settings' sync-scope OUs. */
  inSyncScope: boolean;
  /** normalizeDn(dn), from the parse that decided inSyncScope: the AD index's key. */
  dnKey: string;
}

/** The scope-and-anchor part of the Settings that the derivation needs. */
export type SyncRules = Pick<ActiveDirectorySettings, "sourceAnchor" | "syncScope">;

/** The immutableId Entra Connect gives the object: Base64 of the GUID's stored bytes. */
export function sourceAnchorOf(
  object: Pick<AdObject, "objectGuid" | "consistencyGuid">,
  attribute: SourceAnchorAttribute,
): string {
  const guid =
    attribute === "mS-DS-ConsistencyGuid" && object.consistencyGuid
      ? object.consistencyGuid
      : object.objectGuid;
  return guid === "" ? "" : guidToImmutableId(guid);
}

/** Whether `dn` lies inside one of the OUs Entra Connect synchronises (subtrees). */
export function inSyncScope(dn: string, syncScope: readonly string[]): boolean {
  return withinAny(dn, syncScope);
}

export function toSyncObject(
  object: AdObject,
  rules: SyncRules,
  inScope: (components: readonly string[]) => boolean = componentsWithinAnyOf(rules.syncScope),
): SyncObject {
  // One parse of the DN for the scope and the key (a DN the reader let through always parses).
  const components = dnComponents(object.dn);
  // Written out, not spread: a spread of these objects gave each copy a hidden class of its own
  // (100,000 maps and descriptor arrays, ~0.5 KB per object).
  const out: SyncObject = {
    dn: object.dn,
    type: object.type,
    objectClass: object.objectClass,
    sAMAccountName: object.sAMAccountName,
    userPrincipalName: object.userPrincipalName,
    mail: object.mail,
    mailNickname: object.mailNickname,
    displayName: object.displayName,
    givenName: object.givenName,
    sn: object.sn,
    proxyAddresses: object.proxyAddresses,
    objectGuid: object.objectGuid,
    consistencyGuid: object.consistencyGuid,
    sourceAnchor: sourceAnchorOf(object, rules.sourceAnchor),
    inSyncScope: inScope(components),
    dnKey: keyOfComponents(components),
  };
  if (object.exchange !== undefined) out.exchange = object.exchange;
  if (object.isCriticalSystemObject !== undefined) out.isCriticalSystemObject = object.isCriticalSystemObject;
  return out;
}

export function toSyncObjects(state: AdState, rules: SyncRules): SyncObject[] {
  const inScope = componentsWithinAnyOf(rules.syncScope);
  return state.objects.map((object) => toSyncObject(object, rules, inScope));
}
