/**
 * The Active Directory source: a live LDAP adapter (ldapts) and an LDIF snapshot reader, both
 * yielding the same AdState. The live adapter also carries apply's AD port (compare-and-set writes).
 */
import type { ApplyPorts } from "../../apply/types.js";
import type { ActiveDirectorySettings } from "../../desired/settings.js";
import type { Logger } from "../../log.js";
import type { AdSource, AdState } from "../types.js";

export interface LdapConnectOptions {
  settings: ActiveDirectorySettings;
  /** Folder of the Settings file: a relative caFile resolves against it. */
  settingsDir: string;
  /** Where the bind DN and password are read from (the variables the Settings name). */
  env: Record<string, string | undefined>;
  logger?: Logger;
  /** Connect and operation timeout; the default keeps "DC unreachable" under 10 s. */
  timeoutMs?: number;
}

/** A bound LDAP connection: reads the whole directory, and writes with compare-and-set. */
export interface LdapDirectory extends AdSource {
  readonly description: string;
  readValues: ApplyPorts["ad"]["readValues"];
  writeAddresses: ApplyPorts["ad"]["writeAddresses"];
  /** One LDAP add (used by `ad: {create: ...}`); entryAlreadyExists is a conflict. */
  createObject: ApplyPorts["ad"]["createObject"];
  close(): Promise<void>;
}

export function openLdap(_options: LdapConnectOptions): Promise<LdapDirectory> {
  return Promise.reject(new Error("the LDAP adapter is not built yet"));
}

/** Reads an `ldapsearch -LLL` / `ldifde` export; a malformed file is an InputError at file:line. */
export function readLdifSnapshot(_file: string, _settings: ActiveDirectorySettings): Promise<AdState> {
  return Promise.reject(new Error("the LDIF reader is not built yet"));
}
