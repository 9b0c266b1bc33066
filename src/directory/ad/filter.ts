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
 * The classes idanchor reads, a filter each: users (not computers, which are users too in AD),
 * contacts and groups. The LDIF reader applies the same selection by objectClass.
 */
const SELECTED_CLASSES = [
  { name: "users", filter: "(&(objectClass=user)(!(objectClass=computer)))" },
  { name: "contacts", filter: "(objectClass=contact)" },
  { name: "groups", filter: "(objectClass=group)" },
] as const;

/** The objects idanchor reads: any of SELECTED_CLASSES. */
export const SELECTION_FILTER = `(|${SELECTED_CLASSES.map((c) => c.filter).join("")})`;

export interface SelectionPart {
  /** What the part holds, for the log: "users", "users (2/2)", "contacts". */
  name: string;
  filter: string;
}

/**
 * SELECTION_FILTER cut into disjoint parts whose union is exactly it, so that they can be read at
 * the same time: each class without the classes before it. Every entry has objectClass, so each
 * term is true or false, never undefined, and every selected object is in exactly one part. A
 * class never changes, so an object modified during the read cannot move from one part to another.
 *
 * With `usnCut`, users (nearly all of a directory) come in two parts: created at or before that
 * update sequence number, and the rest. uSNCreated is set once, when the object comes to this DC,
 * so it cannot move either; where it were missing, `<=` is false and the object is in the second.
 */
export function selectionParts(usnCut?: number): SelectionPart[] {
  const parts = SELECTED_CLASSES.map((selected, index) => ({
    name: selected.name,
    filter:
      index === 0
        ? selected.filter
        : `(&${selected.filter}${SELECTED_CLASSES.slice(0, index)
            .map((before) => `(!${before.filter})`)
            .join("")})`,
  }));
  if (usnCut === undefined || !Number.isSafeInteger(usnCut) || usnCut < 0) return parts;
  const [users, ...rest] = parts;
  const created = `(uSNCreated<=${usnCut})`;
  return [
    { name: `${users!.name} (1/2)`, filter: `(&${users!.filter}${created})` },
    { name: `${users!.name} (2/2)`, filter: `(&${users!.filter}(!${created}))` },
    ...rest,
  ];
}
