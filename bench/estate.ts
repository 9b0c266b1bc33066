/**
 * A synthetic, deterministic estate of N identities: the AD objects (as LDIF for ldbadd), the Graph
 * tenant (for the Graph test server) and the desired state (IdentityMap YAML). Mostly healthy
 * (joined, or about to join by SMTP), with ~5% of the conflicts that make planning non-trivial.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { mulberry32 } from "../test/support/graph-server-faults.js";
import { GRAPH_PROPERTIES } from "../src/directory/entra/to-entra-state.js";

export const DOMAIN = "contoso.com";
export const CLOUD_DOMAIN = "contoso.onmicrosoft.com";

type Json = Record<string, unknown>;

/** The situation an identity is generated in; the bench reports how many of each it made. */
export type Scenario =
  | "joined"
  | "joined-new-alias"
  | "will-join"
  | "contact-joined"
  | "contact-will-join"
  | "group-joined"
  | "group-will-join"
  | "duplicate-address"
  | "wrong-match"
  | "cloud-has-immutable-id"
  | "admin-role"
  | "hard-match"
  | "out-of-scope";

export interface Estate {
  /** LDIF records, OUs first; each record is one string ending in a newline. */
  adRecords: string[];
  tenant: {
    users: Json[];
    groups: Json[];
    contacts: Json[];
    domains: Json[];
    roleAssignments: Json[];
  };
  /** IdentityMap entries as one-line YAML flow mappings (fast to write and to read back). */
  identityLines: string[];
  scenarios: Record<string, number>;
}

export interface EstateLayout {
  baseDN: string;
  staff: string;
  shared: string;
  former: string;
}

export function layoutFor(baseDN: string): EstateLayout {
  return {
    baseDN,
    staff: `OU=Staff,${baseDN}`,
    shared: `OU=Shared,${baseDN}`,
    former: `OU=Former,${baseDN}`,
  };
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

/** A stable object id per index; `space` keeps the id families (users, stale users ...) apart. */
export function cloudId(space: number, i: number): string {
  return `${hex(space, 8)}-0000-4000-8000-${hex(i, 12)}`;
}

/** A stable GUID (as text) for the mS-DS-ConsistencyGuid of object i. */
function consistencyGuid(i: number): string {
  return `c0ffee00-${hex(i >>> 16, 4)}-4${hex(i & 0xfff, 3)}-8000-${hex(i, 12)}`;
}

/** The stored bytes of a GUID (.NET ToByteArray order): what AD holds and the immutableId encodes. */
function guidBytes(guid: string): Buffer {
  const b = Buffer.from(guid.replace(/-/g, ""), "hex");
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  return b;
}

const X500 = (name: string): string =>
  `X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${name}`;

interface AdSpec {
  dn: string;
  objectClass: "user" | "contact" | "group";
  sam?: string;
  upn?: string;
  mail: string;
  proxyAddresses: string[];
  guid?: string;
  displayName: string;
}

function ldif(spec: AdSpec): string {
  const lines = [`dn: ${spec.dn}`, `objectClass: ${spec.objectClass}`, `displayName: ${spec.displayName}`];
  if (spec.sam) lines.push(`sAMAccountName: ${spec.sam}`);
  if (spec.upn) lines.push(`userPrincipalName: ${spec.upn}`);
  lines.push(`mail: ${spec.mail}`);
  for (const p of spec.proxyAddresses) lines.push(`proxyAddresses: ${p}`);
  if (spec.guid) lines.push(`mS-DS-ConsistencyGuid:: ${guidBytes(spec.guid).toString("base64")}`);
  return `${lines.join("\n")}\n`;
}

type FlowValue = string | string[] | { dn: string } | undefined;

function flow(entry: Record<string, FlowValue>): string {
  const text = (v: Exclude<FlowValue, undefined>): string =>
    typeof v === "string"
      ? quote(v)
      : Array.isArray(v)
        ? `[${v.map(quote).join(", ")}]`
        : `{dn: ${quote(v.dn)}}`;
  const parts = Object.entries(entry)
    .filter((e): e is [string, Exclude<FlowValue, undefined>] => e[1] !== undefined)
    .map(([k, v]) => `${k}: ${text(v)}`);
  return `  - {${parts.join(", ")}}`;
}

/** YAML scalars here are plain ASCII; DNs hold "," and "=", so quote anything beyond [\w.@-]. */
function quote(value: string): string {
  return /^[\w.@-]+$/.test(value) ? value : JSON.stringify(value);
}

/** Which situation identity i is in: 80% users, 10% contacts, 10% groups, ~5% of them conflicts. */
function scenarioOf(i: number, r: number): Scenario {
  if (i % 10 === 3) return r < 0.7 ? "contact-joined" : "contact-will-join";
  if (i % 10 === 7) return r < 0.7 ? "group-joined" : "group-will-join";
  // Users: r in [0, 1); the top 6.25% (5% of all identities) are the conflicts.
  if (r < 0.45) return "joined";
  if (r < 0.5) return "joined-new-alias";
  if (r < 0.9375) return "will-join";
  const conflicts: Scenario[] = [
    "duplicate-address",
    "wrong-match",
    "cloud-has-immutable-id",
    "admin-role",
    "hard-match",
    "out-of-scope",
  ];
  return conflicts[Math.floor(((r - 0.9375) / 0.0625) * conflicts.length)] ?? "out-of-scope";
}

const COLLECTIONS = new Set([
  "proxyAddresses",
  "onPremisesProvisioningErrors",
  "serviceProvisioningErrors",
  "assignedPlans",
]);

/** The object with each missing property set as Graph returns an unset one: null, [] for collections. */
function complete(object: Json, properties: readonly string[]): Json {
  const out: Json = { ...object };
  for (const key of properties)
    if (!(key in out))
      out[key] = COLLECTIONS.has(key) ? [] : key === "isInitial" ? out.id === CLOUD_DOMAIN : null;
  return out;
}

export function generateEstate(n: number, layout: EstateLayout, seed = 9): Estate {
  const rng = mulberry32(seed);
  const adRecords = [layout.staff, layout.shared, layout.former].map(
    (dn) => `dn: ${dn}\nobjectClass: organizationalUnit\n`,
  );
  const tenant: Estate["tenant"] = {
    users: [],
    groups: [],
    contacts: [],
    domains: [
      { id: DOMAIN, isVerified: true },
      { id: CLOUD_DOMAIN, isVerified: true },
      { id: `corp.${DOMAIN}`, isVerified: true },
    ],
    roleAssignments: [],
  };
  const identityLines: string[] = [];
  const scenarios: Record<string, number> = {};
  // The address each user identity wants as its primary; "duplicate-address" reuses a neighbour's.
  const primaryOf = (i: number): string => `first.last${i}@${DOMAIN}`;

  for (let i = 0; i < n; i++) {
    const scenario = scenarioOf(i, rng());
    scenarios[scenario] = (scenarios[scenario] ?? 0) + 1;
    // 1-5 proxy addresses in all: the primary, up to 3 aliases, an X500 on about half.
    const aliasCount = Math.floor(rng() * 4);
    const withX500 = rng() < 0.5 && aliasCount < 4;
    const aliases = Array.from({ length: aliasCount }, (_, k) => `a${k}.user${i}@${DOMAIN}`);
    const id = cloudId(1, i);

    if (scenario.startsWith("contact")) {
      const mail = `ext${i}@fabrikam.net`;
      const dn = `CN=Contact ${i},${layout.shared}`;
      const proxies = [`SMTP:${mail}`, ...(withX500 ? [X500(`c${i}`)] : [])];
      adRecords.push(
        ldif({ dn, objectClass: "contact", mail, proxyAddresses: proxies, displayName: `C${i}` }),
      );
      tenant.contacts.push({
        id,
        displayName: `C${i}`,
        mail,
        proxyAddresses: [`SMTP:${mail}`],
        onPremisesSyncEnabled: scenario === "contact-joined" ? true : null,
      });
      identityLines.push(flow({ ad: { dn }, type: "contact", cloud: id, smtp: mail }));
      continue;
    }
    if (scenario.startsWith("group")) {
      const mail = `team${i}@${DOMAIN}`;
      const proxies = [`SMTP:${mail}`, ...aliases.map((a) => `smtp:${a}`)];
      adRecords.push(
        ldif({
          dn: `CN=Team ${i},${layout.shared}`,
          objectClass: "group",
          sam: `team${i}`,
          mail,
          proxyAddresses: proxies,
          displayName: `Team ${i}`,
        }),
      );
      tenant.groups.push({
        id,
        displayName: `Team ${i}`,
        mail,
        mailEnabled: true,
        securityEnabled: false,
        proxyAddresses: proxies,
        onPremisesSyncEnabled: scenario === "group-joined" ? true : null,
      });
      identityLines.push(flow({ ad: `team${i}`, type: "group", cloud: id, smtp: mail, aliases }));
      continue;
    }

    // Users.
    const sam = `u${i}`;
    const upn = `${sam}@${CLOUD_DOMAIN}`;
    const guid = consistencyGuid(i);
    const immutableId = guidBytes(guid).toString("base64");
    const primary = primaryOf(i);
    const x500 = withX500 ? [X500(sam)] : [];
    const joined = scenario === "joined" || scenario === "joined-new-alias";
    // Not yet joined: on-prem still carries the old corp address; the cloud mailbox has the new one.
    const adPrimary = joined ? primary : `${sam}@corp.${DOMAIN}`;
    const adAliases = scenario === "duplicate-address" ? [...aliases, primaryOf(i + 1)] : aliases;
    const ou = scenario === "out-of-scope" ? layout.former : layout.staff;
    adRecords.push(
      ldif({
        dn: `CN=User ${i},${ou}`,
        objectClass: "user",
        sam,
        upn: `${sam}@corp.${DOMAIN}`,
        mail: adPrimary,
        proxyAddresses: [`SMTP:${adPrimary}`, ...adAliases.map((a) => `smtp:${a}`), ...x500],
        guid,
        displayName: `User ${i}`,
      }),
    );
    const cloudProxies = [`SMTP:${primary}`, ...aliases.map((a) => `smtp:${a}`)];
    const user: Json = {
      id,
      userPrincipalName: upn,
      displayName: `User ${i}`,
      mail: primary,
      proxyAddresses: cloudProxies,
      onPremisesImmutableId: joined ? immutableId : null,
      onPremisesSyncEnabled: joined ? true : null,
      accountEnabled: true,
      userType: "Member",
    };
    if (scenario === "wrong-match") {
      // A stale cloud account holds the address; the intended target does not carry it.
      user.mail = `${sam}.cloud@${DOMAIN}`;
      user.proxyAddresses = [`SMTP:${sam}.cloud@${DOMAIN}`];
      tenant.users.push({
        id: cloudId(2, i),
        userPrincipalName: `stale.${sam}@${CLOUD_DOMAIN}`,
        displayName: `Stale ${i}`,
        mail: primary,
        proxyAddresses: [`SMTP:${primary}`],
        onPremisesImmutableId: null,
        onPremisesSyncEnabled: null,
      });
    }
    if (scenario === "cloud-has-immutable-id")
      user.onPremisesImmutableId = guidBytes(consistencyGuid(n + i)).toString("base64");
    if (scenario === "admin-role")
      tenant.roleAssignments.push({
        principalId: id,
        roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10",
      });
    tenant.users.push(user);
    const wanted = scenario === "joined-new-alias" ? [...aliases, `new.user${i}@${DOMAIN}`] : aliases;
    identityLines.push(
      flow({
        ad: sam,
        cloud: upn,
        smtp: primary,
        aliases: wanted.length > 0 ? wanted : undefined,
        match: scenario === "hard-match" ? "hard" : undefined,
      }),
    );
  }
  // Every property idanchor $selects is present, as in an export: an absent one is refused (DESIGN 2b).
  for (const collection of ["users", "groups", "contacts", "domains"] as const)
    tenant[collection] = tenant[collection].map((o) => complete(o, GRAPH_PROPERTIES[collection]));
  return { adRecords, tenant, identityLines, scenarios };
}

/** Settings for the bench DC and Graph server (paths and ids are filled in by the caller). */
export function settingsYaml(opts: {
  url: string;
  layout: EstateLayout;
  caFile: string;
  tenantId: string;
  clientId: string;
  graphUrl: string;
}): string {
  return `kind: Settings
activeDirectory:
  url: ${opts.url}
  baseDN: ${opts.layout.baseDN}
  syncScope: [${JSON.stringify(opts.layout.staff)}, ${JSON.stringify(opts.layout.shared)}]
  sourceAnchor: mS-DS-ConsistencyGuid
  caFile: ${JSON.stringify(opts.caFile)}
entra:
  tenantId: ${opts.tenantId}
  clientId: ${opts.clientId}
  graphUrl: ${opts.graphUrl}
  authorityHost: ${opts.graphUrl}
policy:
  aliases: additive
  maxChangesPerApply: 1000000
`;
}

const IDENTITIES_PER_FILE = 5000;

/** The desired state as an admin would keep it: Settings plus IdentityMap files of 5,000 entries. */
export function writeDesiredState(
  dir: string,
  lines: string[],
  settings: string,
  perFile: number = IDENTITIES_PER_FILE,
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "settings.yaml"), settings);
  for (let at = 0, file = 0; at < lines.length; at += perFile, file++) {
    const body = lines.slice(at, at + perFile).join("\n");
    writeFileSync(
      path.join(dir, `identities-${String(file).padStart(3, "0")}.yaml`),
      `kind: IdentityMap\nidentities:\n${body}\n`,
    );
  }
}

/** A stable objectGUID for record i of a snapshot (the DC assigns one when seeded live). */
export function snapshotGuid(i: number): string {
  return `0b1ec700-${hex(i >>> 16, 4)}-4${hex(i & 0xfff, 3)}-9000-${hex(i, 12)}`;
}

/** The AD records as an `ldapsearch -LLL` export would hold them: with binary objectGUIDs. */
export function snapshotLdif(records: readonly string[]): string {
  return records
    .map((record, i) =>
      record.includes("objectClass: organizationalUnit")
        ? record
        : `${record}objectGUID:: ${guidBytes(snapshotGuid(i)).toString("base64")}\n`,
    )
    .join("\n");
}

/** Where writeSnapshotEstate put the estate: `dir` holds ad.ldif, entra.json and identities/. */
export interface SnapshotEstate {
  estate: Estate;
  ad: string;
  entra: string;
  identities: string;
  /** Bytes of the two snapshots. */
  snapshotBytes: number;
}

/**
 * The estate as `plan --ad-snapshot --entra-snapshot` reads it: the LDIF and Graph snapshots, the
 * Settings (offline: nothing connects, so caFile is an empty file) and, unless `identityMap` is
 * false (hygiene, before a first sync), the IdentityMap files of `perFile` entries.
 */
export function writeSnapshotEstate(
  dir: string,
  n: number,
  opts: { perFile?: number; identityMap?: boolean; features?: Record<string, boolean> } = {},
): SnapshotEstate {
  const layout = layoutFor("DC=bench,DC=test");
  const estate = generateEstate(n, layout);
  const ad = path.join(dir, "ad.ldif");
  const entra = path.join(dir, "entra.json");
  const ldif = snapshotLdif(estate.adRecords);
  // A snapshot must carry the tenant's features (an empty object: Graph's defaults).
  const tenant = JSON.stringify({ ...estate.tenant, features: opts.features ?? {} });
  mkdirSync(dir, { recursive: true });
  writeFileSync(ad, ldif);
  writeFileSync(entra, tenant);
  const settings = settingsYaml({
    url: "ldaps://dc.bench.test",
    layout,
    caFile: "unused.pem",
    tenantId: "00000000-0000-0000-0000-000000000001",
    clientId: "00000000-0000-0000-0000-000000000002",
    graphUrl: "https://graph.bench.test",
  });
  const identities = path.join(dir, "identities");
  if (opts.identityMap === false) {
    mkdirSync(identities, { recursive: true });
    writeFileSync(path.join(identities, "settings.yaml"), settings);
  } else writeDesiredState(identities, estate.identityLines, settings, opts.perFile);
  writeFileSync(path.join(identities, "unused.pem"), "");
  return { estate, ad, entra, identities, snapshotBytes: ldif.length + tenant.length };
}
