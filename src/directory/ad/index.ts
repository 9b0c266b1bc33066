/**
 * The Active Directory source: a live LDAP adapter (ldapts) and an LDIF snapshot reader, both
 * yielding the same AdState. The live adapter also carries apply's AD port (compare-and-set writes).
 */
import { LdapDirectory, type LdapConnectOptions } from "./ldap-directory.js";

export { LdapDirectory, type LdapConnectOptions } from "./ldap-directory.js";
export { readLdifSnapshot } from "./ldif-source.js";
export { formatLdifEntry, ldifChunks } from "./ldif-write.js";
export { escapeFilterValue, equalityFilter, SELECTION_FILTER } from "./filter.js";

/** Connects and binds as the Settings and environment say; throws InputError or DirectoryError. */
export function openLdap(options: LdapConnectOptions): Promise<LdapDirectory> {
  return LdapDirectory.open(options);
}
