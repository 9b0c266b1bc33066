/** Small builders for planner tests: plain objects with sensible defaults. */
import { guidToImmutableId } from "../../src/address/guid.js";
import type { Settings } from "../../src/desired/settings.js";
import { DEFAULT_SYNC_FEATURES } from "../../src/directory/entra/to-entra-state.js";
import type { DesiredIdentity, DesiredState } from "../../src/desired/types.js";
import type {
  AdObject,
  AdState,
  EntraContact,
  EntraGroup,
  EntraState,
  EntraUser,
  SyncFeatures,
} from "../../src/model/directory.js";

export const BASE_DN = "DC=corp,DC=contoso,DC=com";
export const STAFF = `OU=Staff,${BASE_DN}`;

export function guid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

export function anchorOf(n: number): string {
  return guidToImmutableId(guid(n));
}

export function settings(): Settings {
  return {
    activeDirectory: {
      url: "ldaps://dc01.corp.contoso.com",
      baseDN: BASE_DN,
      syncScope: [STAFF],
      sourceAnchor: "mS-DS-ConsistencyGuid",
      caFile: null,
      startTls: false,
      allowInsecure: false,
      bindDnEnv: "IDANCHOR_AD_BIND_DN",
      passwordEnv: "IDANCHOR_AD_PASSWORD",
    },
    entra: {
      tenantId: "contoso.onmicrosoft.com",
      clientId: guid(999),
      cloud: "public",
      graphUrl: "https://graph.microsoft.com",
      authorityHost: "https://login.microsoftonline.com",
      verifiedDomains: null,
    },
    policy: { aliases: "additive", maxChangesPerApply: 50 },
  };
}

const at = { file: "identities/test.yaml", line: 1, column: 1 };

export function identity(
  fields: Partial<DesiredIdentity> & { sam?: string; upn?: string; smtp: string },
): DesiredIdentity {
  const { sam = "asmith", upn = "alice@contoso.onmicrosoft.com", ...rest } = fields;
  return {
    key: sam,
    ad: { kind: "sam", sam },
    type: "user",
    cloud: { kind: "upn", upn },
    aliases: [],
    match: "smtp",
    rebind: false,
    source: at,
    positions: { ad: at, cloud: at, smtp: at, aliases: [] },
    ...rest,
  };
}

export function desired(
  identities: DesiredIdentity[],
  policy: Settings["policy"]["aliases"] = "additive",
): DesiredState {
  const s = settings();
  s.policy.aliases = policy;
  return { settings: s, settingsSource: at, identities };
}

export function adObject(n: number, fields: Partial<AdObject> = {}): AdObject {
  const sam = fields.sAMAccountName ?? `user${n}`;
  return {
    dn: `CN=${sam},${STAFF}`,
    type: "user",
    objectClass: ["top", "person", "organizationalPerson", "user"],
    sAMAccountName: sam,
    userPrincipalName: `${sam}@contoso.com`,
    mail: null,
    mailNickname: null,
    displayName: null,
    givenName: null,
    sn: null,
    proxyAddresses: [],
    objectGuid: guid(n),
    consistencyGuid: null,
    ...fields,
  };
}

/** The anchor and scope rules of settings(): what the planner derives raw objects through. */
export function syncRules(): { sourceAnchor: "mS-DS-ConsistencyGuid"; syncScope: string[] } {
  return { sourceAnchor: "mS-DS-ConsistencyGuid", syncScope: [STAFF] };
}

/** Outside every sync-scope OU of settings(). */
export const FORMER = `OU=Former,${BASE_DN}`;

export function ad(...objects: AdObject[]): AdState {
  return { objects };
}

export function cloudUser(id: string, fields: Partial<EntraUser> = {}): EntraUser {
  return {
    id,
    userPrincipalName: `${id}@contoso.onmicrosoft.com`,
    displayName: null,
    givenName: null,
    surname: null,
    mail: null,
    proxyAddresses: [],
    onPremisesImmutableId: null,
    onPremisesSyncEnabled: null,
    onPremisesDistinguishedName: null,
    onPremisesSamAccountName: null,
    onPremisesProvisioningErrors: [],
    serviceProvisioningErrors: [],
    onPremisesLastSyncDateTime: null,
    createdDateTime: null,
    accountEnabled: true,
    userType: "Member",
    mailNickname: null,
    assignedPlans: [],
    ...fields,
  };
}

export function cloudGroup(id: string, fields: Partial<EntraGroup> = {}): EntraGroup {
  return {
    id,
    displayName: id,
    mail: null,
    mailEnabled: true,
    securityEnabled: false,
    proxyAddresses: [],
    onPremisesSyncEnabled: null,
    onPremisesProvisioningErrors: [],
    serviceProvisioningErrors: [],
    ...fields,
  };
}

export function cloudContact(id: string, fields: Partial<EntraContact> = {}): EntraContact {
  return {
    id,
    displayName: id,
    mail: null,
    proxyAddresses: [],
    onPremisesSyncEnabled: null,
    onPremisesProvisioningErrors: [],
    serviceProvisioningErrors: [],
    ...fields,
  };
}

/** Graph's defaults, as the Entra sources fill them in. */
export const FEATURES: SyncFeatures = DEFAULT_SYNC_FEATURES;

export function entra(
  fields: Partial<Omit<EntraState, "features">> & { features?: Partial<SyncFeatures> } = {},
): EntraState {
  return {
    users: [],
    groups: [],
    contacts: [],
    domains: [],
    roleAssignments: [],
    deletedUsers: [],
    ...fields,
    features: { ...FEATURES, ...fields.features },
  };
}
