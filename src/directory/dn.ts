/** Distinguished names: escaping a value (RFC 4514), comparing, and the sync-scope test. Pure. */

/** Escapes one RDN value, e.g. the cn of a new object: `Smith, Alice` -> `Smith\, Alice`. */
export function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^([ #])/, "\\$1")
    .replace(/ $/, "\\ ");
}

/** A canonical form for comparing DNs: case and spaces around separators do not matter. */
export function normalizeDn(dn: string): string {
  return dn
    .replace(/\s*([,=+])\s*/g, "$1")
    .trim()
    .toLowerCase();
}

/** Whether `dn` is `base` or lies below it (subtree). */
export function dnWithin(dn: string, base: string): boolean {
  const d = normalizeDn(dn);
  const b = normalizeDn(base);
  return d === b || d.endsWith(`,${b}`);
}

/** Whether the object lies inside one of the OUs Entra Connect synchronises. */
export function inSyncScope(dn: string, syncScope: readonly string[]): boolean {
  return syncScope.some((ou) => dnWithin(dn, ou));
}
