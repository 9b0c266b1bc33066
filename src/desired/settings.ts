/** The normalized `kind: Settings` document. Credentials never live here, only in the environment. */

export type SourceAnchorAttribute = "mS-DS-ConsistencyGuid" | "objectGUID";
export type CloudName = "public" | "usgov" | "usgovdod" | "china";
export type AliasPolicy = "additive" | "exact";

export interface ActiveDirectorySettings {
  /** ldaps://host[:port] (default) or ldap://host[:port] with startTls or allowInsecure. */
  url: string;
  baseDN: string;
  /** The OUs (subtrees) Entra Connect synchronises. */
  syncScope: string[];
  sourceAnchor: SourceAnchorAttribute;
  /** PEM file trusted in addition to the system CAs; resolved relative to the Settings file. */
  caFile: string | null;
  startTls: boolean;
  allowInsecure: boolean;
  /** Names of the environment variables holding the bind DN and password. */
  bindDnEnv: string;
  passwordEnv: string;
}

export interface EntraSettings {
  tenantId: string;
  clientId: string;
  cloud: CloudName;
  graphUrl: string;
  authorityHost: string;
  /** The tenant's verified domains as the repo declares them (for offline validation). Null when not given. */
  verifiedDomains: string[] | null;
}

export interface PolicySettings {
  aliases: AliasPolicy;
  maxChangesPerApply: number;
}

export interface Settings {
  activeDirectory: ActiveDirectorySettings;
  entra: EntraSettings;
  policy: PolicySettings;
}

export const CLOUD_HOSTS: Record<CloudName, { graphUrl: string; authorityHost: string }> = {
  public: { graphUrl: "https://graph.microsoft.com", authorityHost: "https://login.microsoftonline.com" },
  usgov: { graphUrl: "https://graph.microsoft.us", authorityHost: "https://login.microsoftonline.us" },
  usgovdod: { graphUrl: "https://dod-graph.microsoft.us", authorityHost: "https://login.microsoftonline.us" },
  china: {
    graphUrl: "https://microsoftgraph.chinacloudapi.cn",
    authorityHost: "https://login.chinacloudapi.cn",
  },
};
