/** Schema-valid documents -> typed DesiredState. Defaults are filled here, in one place. */
import { isGuid } from "../address/guid.js";
import { none } from "../model/arrays.js";
import { escapeDnValue } from "../model/dn.js";
import type { MatchStrategy, ObjectType } from "../model/directory.js";
import { checkCreateFields } from "./create-rules.js";
import { CLOUD_HOSTS } from "./settings.js";
import type { Settings, SourceAnchorAttribute, CloudName, AliasPolicy } from "./settings.js";
import type {
  AdRef,
  CloudRef,
  DesiredIdentity,
  FieldPositions,
  Position,
  ValidationFinding,
} from "./types.js";
import type { ParsedDocument } from "./yaml-files.js";

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

interface RawCreate {
  ou: string;
  sAMAccountName?: string;
  cn?: string;
  givenName?: string;
  sn?: string;
  displayName?: string;
  userPrincipalName?: string;
}

interface RawIdentity {
  ad: string | { dn: string } | { guid: string } | { create: RawCreate };
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

/** The object to create, or why the entry cannot say which (a message for `ad.create`). */
function createRef(raw: RawCreate, type: ObjectType): AdRef | string {
  const sam = raw.sAMAccountName ?? null;
  if (type !== "contact" && !sam)
    return `a ${type} needs a sAMAccountName; add 'sAMAccountName:' under 'create:'`;
  if (type === "contact" && sam)
    return "a contact has no sAMAccountName; remove it and give 'cn:' or 'displayName:'";
  const cn = raw.cn ?? raw.displayName ?? sam;
  if (!cn) return "give the contact a 'cn:' or 'displayName:' (it names the object in its OU)";
  if (type === "group" && (raw.givenName || raw.sn || raw.userPrincipalName))
    return "a group has no givenName, sn or userPrincipalName; remove them";
  const spec = {
    ou: raw.ou,
    sAMAccountName: sam,
    cn,
    givenName: raw.givenName ?? null,
    sn: raw.sn ?? null,
    displayName: raw.displayName ?? null,
    userPrincipalName: raw.userPrincipalName ?? null,
  };
  return { kind: "create", dn: `CN=${escapeDnValue(cn)},${raw.ou}`, spec };
}

function adRef(raw: RawIdentity["ad"], type: ObjectType): AdRef | string {
  if (typeof raw === "string") return { kind: "sam", sam: raw };
  if ("dn" in raw) return { kind: "dn", dn: raw.dn };
  if ("create" in raw) return createRef(raw.create, type);
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
    case "create":
      return ref.spec.sAMAccountName ?? ref.dn;
  }
}

/**
 * Where an entry's fields stand, kept as offsets into its file and turned into line:column when a
 * finding asks (a handful do): 100,000 entries held ~500,000 position objects that way before.
 */
class EntryPositions implements FieldPositions {
  constructor(
    private readonly positionOf: (offset: number) => Position,
    private readonly adAt: number,
    private readonly cloudAt: number,
    private readonly smtpAt: number,
    private readonly aliasesAt: readonly number[],
  ) {}

  get ad(): Position {
    return this.positionOf(this.adAt);
  }

  get cloud(): Position {
    return this.positionOf(this.cloudAt);
  }

  get smtp(): Position {
    return this.positionOf(this.smtpAt);
  }

  get aliases(): readonly Position[] {
    return this.aliasesAt.map((offset) => this.positionOf(offset));
  }
}

/** Where the entry at `index`, or a field of it, stands (a field's only for a finding). */
function entryAt(parsed: ParsedDocument, index: number, ...rest: (string | number)[]): Position {
  return parsed.at(["identities", index, ...rest]);
}

/** Only call on a document that passed the IdentityMap schema. */
export function normalizeIdentities(parsed: ParsedDocument): {
  identities: DesiredIdentity[];
  findings: ValidationFinding[];
} {
  const raw = (parsed.value as { identities: RawIdentity[] }).identities;
  const identities: DesiredIdentity[] = [];
  const findings: ValidationFinding[] = [];
  // One path array for every field's offset: the offsets of 100,000 entries made ~400,000 of them.
  const path: (string | number)[] = ["identities", 0, ""];
  const offset = (field: string, item?: number): number => {
    path[2] = field;
    path.length = item === undefined ? 3 : 4;
    if (item !== undefined) path[3] = item;
    return parsed.offsetAt(path);
  };
  raw.forEach((item, index) => {
    path[1] = index;
    const type = item.type ?? "user";
    if (typeof item.ad === "object" && "create" in item.ad) {
      const bad = checkCreateFields(item.ad.create, type, index, (field) =>
        entryAt(parsed, index, "ad", "create", field),
      );
      findings.push(...bad);
      if (bad.some((f) => f.severity === "error")) return;
    }
    const ad = adRef(item.ad, type);
    if (typeof ad === "string") {
      findings.push({
        ...entryAt(parsed, index, "ad", "create"),
        severity: "error",
        code: "InvalidCreate",
        message: `identities[${index}].ad.create: ${ad}`,
      });
      return;
    }
    let cloud: CloudRef;
    if (isGuid(item.cloud)) cloud = { kind: "id", id: item.cloud.toLowerCase() };
    else if (type === "user" && item.cloud.includes("@")) cloud = { kind: "upn", upn: item.cloud };
    else {
      const expected =
        type === "user" ? "a userPrincipalName or an object id (GUID)" : `the ${type}'s object id (GUID)`;
      findings.push({
        ...entryAt(parsed, index, "cloud"),
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
      aliases: item.aliases?.length ? item.aliases : none(),
      match: item.match ?? "smtp",
      rebind: item.rebind ?? false,
      source: entryAt(parsed, index),
      positions: new EntryPositions(
        parsed.positionOf,
        offset("ad"),
        offset("cloud"),
        offset("smtp"),
        item.aliases?.length ? item.aliases.map((_, i) => offset("aliases", i)) : none(),
      ),
    });
  });
  return { identities, findings };
}
