/**
 * LDAP search filters built from user values (RFC 4515), so that a name such as `*)(cn=*` matches
 * itself and never widens the filter.
 */

const SPECIAL: Record<string, string> = { "*": "\\2a", "(": "\\28", ")": "\\29", "\\": "\\5c", "\0": "\\00" };

/**
 * Escapes an assertion value. Text keeps non-ASCII characters as UTF-8 (RFC 4515 allows them, and
 * ldapts turns each `\XX` escape into one UTF-16 unit, which would corrupt multi-byte characters);
 * bytes (e.g. a GUID) are escaped one by one, which is what ldapsearch and AD expect.
 */
export function escapeFilterValue(value: string | Uint8Array): string {
  if (typeof value !== "string")
    return Array.from(value, (byte) => `\\${byte.toString(16).padStart(2, "0")}`).join("");
  return value.replace(/[*()\\\0]/g, (char) => SPECIAL[char]!);
}

/** `(attribute=value)` with the value escaped; the attribute name must be a plain descriptor. */
export function equalityFilter(attribute: string, value: string | Uint8Array): string {
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(attribute)) throw new TypeError(`not an attribute name: ${attribute}`);
  return `(${attribute}=${escapeFilterValue(value)})`;
}

/**
 * The objects idanchor reads: users (not computers, which are users too in AD), contacts and
 * groups. The LDIF reader applies the same selection by objectClass.
 */
export const SELECTION_FILTER =
  "(|(&(objectClass=user)(!(objectClass=computer)))(objectClass=contact)(objectClass=group))";
