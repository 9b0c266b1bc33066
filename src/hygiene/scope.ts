/**
 * The objects inside the sync scope, as plan/sync-object's inSyncScope decides, asked once per
 * parent rather than once per object: a DN whose parent lies inside one of the OUs lies inside it
 * too. inSyncScope parses the DN and every OU for each call, which for 100,000 objects was most of
 * what the check allocated.
 */
import { dnComponents } from "../model/dn.js";
import type { AdObject } from "../model/directory.js";
import { inSyncScope } from "../plan/sync-object.js";
import { BACKSLASH, COMMA } from "../model/char-codes.js";

/** Where the first RDN of a DN ends: its first ',' not escaped by a '\' (RFC 4514), or -1. */
function leafEnd(dn: string): number {
  for (let i = 0; i < dn.length; i++) {
    const c = dn.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === COMMA) return i;
  }
  return -1;
}

/** Whether the RDN parses as one of a DN (a DN's RDNs are parsed one by one, so it parses alike). */
function parsesAsRdn(rdn: string): boolean {
  if (rdn.trim() === "") return false;
  try {
    dnComponents(rdn);
    return true;
  } catch {
    return false;
  }
}

/**
 * `objects` filtered by inSyncScope(dn, syncScope), in order. Where the parent is outside (the
 * object may be one of the OUs itself) or anything fails to parse, inSyncScope decides for the
 * object itself, and throws as it would have.
 */
export function inSyncScopeObjects(objects: readonly AdObject[], syncScope: readonly string[]): AdObject[] {
  const parents = new Map<string, boolean>();
  const parentInScope = (parent: string): boolean => {
    let inside = parents.get(parent);
    if (inside === undefined) {
      try {
        inside = inSyncScope(parent, syncScope);
      } catch {
        inside = false; // asked again for the object, which fails as it would have
      }
      parents.set(parent, inside);
    }
    return inside;
  };
  return objects.filter(({ dn }) => {
    const end = leafEnd(dn);
    // A blank parent is no DN's tail: dnComponents reads it as the empty DN, the object's DN as malformed.
    const parent = end === -1 ? "" : dn.slice(end + 1);
    if (parent.trim() !== "" && parentInScope(parent) && parsesAsRdn(dn.slice(0, end))) return true;
    return inSyncScope(dn, syncScope);
  });
}
