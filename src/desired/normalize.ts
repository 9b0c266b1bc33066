/** Schema-valid documents -> typed DesiredState. Defaults are filled here, in one place. */
import { isGuid } from "../address/guid.js";
import type { ObjectType } from "../directory/types.js";
import { CLOUD_HOSTS } from "./settings.js";
import type { Settings, SourceAnchorAttribute, CloudName, AliasPolicy } from "./settings.js";
import type {
  AdRef,
  CloudRef,
  DesiredIdentity,
  MatchStrategy,
  Position,
  ValidationFinding,
} from "./types.js";
import type { ParsedDocument } from "./yaml-files.js";
import { nodeAt, positionOf } from "./yaml-files.js";

interface RawSettings {
  activeDirectory: {
    url: string;
    baseDN: string;
    syncScope: string[];
    sourceAnchor?: SourceAnchorAttribute;
    caFile?: string;
    startTls?: boolean;
    allowInsecure?: boolean;
    bindDnEnv?: string;
    passwordEnv?: string;
  };
  entra: {
    tenantId: string;
    clientId: string;
    cloud?: CloudName;
    graphUrl?: string;
    authorityHost?: string;
    verifiedDomains?: string[];
  };
  policy?: { aliases?: AliasPolicy; maxChangesPerApply?: number };
}

interface RawIdentity {
  ad: string | { dn: string } | { guid: string };
  type?: ObjectType;
  cloud: string;
  smtp: string;
  aliases?: string[];
  match?: MatchStrategy;
  rebind?: boolean;
}

/** Only call on a document that passed the Settings schema. */
export function normalizeSettings(parsed: ParsedDocument): Settings {
  const raw = parsed.value as RawSettings;
  const ad = raw.activeDirectory;
  const cloud = raw.entra.cloud ?? "public";
  return {
    activeDirectory: {
      url: ad.url.replace(/\/$/, ""),
      baseDN: ad.baseDN,
      syncScope: ad.syncScope,
      sourceAnchor: ad.sourceAnchor ?? "mS-DS-ConsistencyGuid",
      caFile: ad.caFile ?? null,
      startTls: ad.startTls ?? false,
      allowInsecure: ad.allowInsecure ?? false,
      bindDnEnv: ad.bindDnEnv ?? "IDANCHOR_AD_BIND_DN",
      passwordEnv: ad.passwordEnv ?? "IDANCHOR_AD_PASSWORD",
    },
    entra: {
      tenantId: raw.entra.tenantId,
      clientId: raw.entra.clientId,
      cloud,
      graphUrl: (raw.entra.graphUrl ?? CLOUD_HOSTS[cloud].graphUrl).replace(/\/$/, ""),
      authorityHost: (raw.entra.authorityHost ?? CLOUD_HOSTS[cloud].authorityHost).replace(/\/$/, ""),
      verifiedDomains: raw.entra.verifiedDomains ?? null,
    },
    policy: {
      aliases: raw.policy?.aliases ?? "additive",
      maxChangesPerApply: raw.policy?.maxChangesPerApply ?? 50,
    },
  };
}

function adRef(raw: RawIdentity["ad"]): AdRef {
  if (typeof raw === "string") return { kind: "sam", sam: raw };
  if ("dn" in raw) return { kind: "dn", dn: raw.dn };
  return { kind: "guid", guid: raw.guid.toLowerCase() };
}

export function adRefKey(ref: AdRef): string {
  switch (ref.kind) {
    case "sam":
      return ref.sam;
    case "dn":
      return ref.dn;
    case "guid":
      return ref.guid;
  }
}

/** Only call on a document that passed the IdentityMap schema. */
export function normalizeIdentities(parsed: ParsedDocument): {
  identities: DesiredIdentity[];
  findings: ValidationFinding[];
} {
  const raw = (parsed.value as { identities: RawIdentity[] }).identities;
  const identities: DesiredIdentity[] = [];
  const findings: ValidationFinding[] = [];
  raw.forEach((item, index) => {
    const at = (...path: (string | number)[]): Position =>
      positionOf(parsed, nodeAt(parsed.doc, ["identities", index, ...path]));
    const type = item.type ?? "user";
    const ad = adRef(item.ad);
    let cloud: CloudRef;
    if (isGuid(item.cloud)) cloud = { kind: "id", id: item.cloud.toLowerCase() };
    else if (type === "user" && item.cloud.includes("@")) cloud = { kind: "upn", upn: item.cloud };
    else {
      const expected =
        type === "user" ? "a userPrincipalName or an object id (GUID)" : `the ${type}'s object id (GUID)`;
      findings.push({
        ...at("cloud"),
        severity: "error",
        code: "InvalidCloudReference",
        message: `identities[${index}].cloud: '${item.cloud}' is not ${expected}`,
      });
      return;
    }
    identities.push({
      key: adRefKey(ad),
      ad,
      type,
      cloud,
      smtp: item.smtp,
      aliases: item.aliases ?? [],
      match: item.match ?? "smtp",
      rebind: item.rebind ?? false,
      source: at(),
      positions: {
        ad: at("ad"),
        cloud: at("cloud"),
        smtp: at("smtp"),
        aliases: (item.aliases ?? []).map((_, i) => at("aliases", i)),
      },
    });
  });
  return { identities, findings };
}
