/**
 * "Run a sync" for the Graph test server: applies Entra Connect's documented join and export
 * (DESIGN 2, 2b) to the server's tenant for the on-prem objects given, so tests see each verify
 * verdict through the real Graph SDK. Per object: an existing join (anchor) is updated; else hard
 * match by onPremisesImmutableId, soft match by primary SMTP (refused when blocked, when the candidate
 * already has an anchor, holds an admin role or is of another type), soft match by UPN when enabled;
 * otherwise a new cloud object is created. Exported values that another object holds are
 * quarantined with an onPremisesProvisioningErrors entry (duplicate attribute resiliency).
 * Objects not passed in are "not synced yet".
 */
import { randomUUID } from "node:crypto";

import { guidToImmutableId } from "../../src/address/guid.js";
import { parseProxyAddress, primarySmtp } from "../../src/address/proxy-address.js";
import type { AdObject } from "../../src/model/directory.js";
import type { GraphServer, Json } from "./graph-server.js";

export type SyncAction = "updated" | "hard-match" | "soft-match-smtp" | "soft-match-upn" | "created";

export interface SyncOutcome {
  dn: string;
  action: SyncAction;
  cloudId: string;
  /** Why a soft match was refused, when it was (InvalidSoftMatch, AdminRoleConflict ...). */
  refused: string | null;
  quarantined: string[];
}

export interface SyncOptions {
  /** The sync's time: onPremisesLastSyncDateTime, createdDateTime and occurredDateTime. */
  now: Date;
  sourceAnchor: "objectGUID" | "mS-DS-ConsistencyGuid";
}

const lower = (s: string): string => s.toLowerCase();
const COLLECTION = { user: "users", group: "groups", contact: "contacts" } as const;

function anchorOf(object: AdObject, sourceAnchor: SyncOptions["sourceAnchor"]): string {
  const guid =
    sourceAnchor === "mS-DS-ConsistencyGuid" && object.consistencyGuid
      ? object.consistencyGuid
      : object.objectGuid;
  return guidToImmutableId(guid);
}

function addressesOf(o: Json): string[] {
  const out: string[] = [];
  for (const raw of (o.proxyAddresses as string[] | undefined) ?? []) {
    const p = parseProxyAddress(raw);
    if (p.kind === "smtp") out.push(lower(p.address));
  }
  if (typeof o.mail === "string") out.push(lower(o.mail));
  return out;
}

function verifiedDomains(server: GraphServer): Set<string> {
  return new Set(server.data.domains.filter((d) => d.isVerified === true).map((d) => lower(String(d.id))));
}

function initialDomain(server: GraphServer): string {
  const d =
    server.data.domains.find((x) => x.isInitial === true) ??
    server.data.domains.find(
      (x) => /\.onmicrosoft\.com$/i.test(String(x.id)) && !/\.mail\./i.test(String(x.id)),
    );
  return typeof d?.id === "string" ? d.id : "tenant.onmicrosoft.com";
}

/** Runs one sync cycle for `objects` (in scope, in the order given) against the server's tenant. */
export function runSync(
  server: GraphServer,
  objects: readonly AdObject[],
  options: SyncOptions,
): SyncOutcome[] {
  const now = options.now.toISOString();
  const data = server.data;
  const features = (data.features ?? {}) as Record<string, unknown>;
  const all = (): Json[] => [...data.users, ...data.groups, ...data.contacts];
  const admins = new Set(data.roleAssignments.map((r) => String(r.principalId)));
  const verified = verifiedDomains(server);
  const outcomes: SyncOutcome[] = [];

  for (const ad of objects) {
    const collection = data[COLLECTION[ad.type]];
    const anchor = ad.type === "user" ? anchorOf(ad, options.sourceAnchor) : null;
    const primary = primarySmtp(ad.proxyAddresses) ?? ad.mail;
    let action: SyncAction;
    let refused: string | null = null;
    let target: Json | undefined =
      anchor !== null
        ? data.users.find((u) => u.onPremisesImmutableId === anchor)
        : collection.find(
            (o) =>
              o.onPremisesSyncEnabled === true &&
              typeof o.onPremisesDistinguishedName === "string" &&
              lower(o.onPremisesDistinguishedName) === lower(ad.dn),
          );
    if (target) action = target.onPremisesSyncEnabled === true ? "updated" : "hard-match";
    else {
      action = "created";
      const candidate =
        primary === null ? undefined : all().find((o) => addressesOf(o).includes(lower(primary)));
      if (candidate) {
        if (features.blockSoftMatchEnabled === true) refused = "SoftMatchBlocked";
        else if (!collection.includes(candidate)) refused = "ObjectTypeMismatch";
        else if (typeof candidate.onPremisesImmutableId === "string") refused = "InvalidSoftMatch";
        else if (admins.has(String(candidate.id))) refused = "AdminRoleConflict";
        else {
          target = candidate;
          action = "soft-match-smtp";
        }
      } else if (features.softMatchOnUpnEnabled === true && ad.type === "user" && ad.userPrincipalName) {
        const byUpn = data.users.find(
          (u) => lower(String(u.userPrincipalName)) === lower(ad.userPrincipalName!),
        );
        if (byUpn && typeof byUpn.onPremisesImmutableId !== "string" && !admins.has(String(byUpn.id))) {
          target = byUpn;
          action = "soft-match-upn";
        }
      }
    }
    if (!target) {
      target = { id: randomUUID(), createdDateTime: now, displayName: ad.displayName ?? ad.sAMAccountName };
      collection.push(target);
    }

    // Export: on-prem values overwrite cloud ones; values another object holds are quarantined.
    const others = all().filter((o) => o !== target);
    const taken = (address: string): boolean => others.some((o) => addressesOf(o).includes(lower(address)));
    const errors: Json[] = [];
    const quarantined: string[] = [];
    const proxies: string[] = [];
    for (const raw of ad.proxyAddresses) {
      const p = parseProxyAddress(raw);
      if (p.kind !== "smtp") {
        proxies.push(raw);
        continue;
      }
      const domain = lower(p.address.split("@").pop() ?? "");
      // Reserved and unverified suffixes never reach the cloud (contacts point outside: kept).
      if (ad.type !== "contact" && (!verified.has(domain) || /\.onmicrosoft\.com$/.test(domain))) continue;
      if (taken(p.address)) {
        quarantined.push(raw);
        errors.push({
          category: "PropertyConflict",
          propertyCausingError: "ProxyAddresses",
          value: raw,
          occurredDateTime: now,
          errorDetail: null,
        });
      } else proxies.push(raw);
    }
    target.proxyAddresses = proxies;
    target.mail = primarySmtp(proxies) ?? (ad.mail && !taken(ad.mail) ? ad.mail : null);
    target.onPremisesSyncEnabled = true;
    target.onPremisesLastSyncDateTime = now;
    if (ad.type === "user") {
      target.onPremisesImmutableId = anchor;
      target.onPremisesDistinguishedName = ad.dn;
      target.onPremisesSamAccountName = ad.sAMAccountName;
      if (action === "created") {
        const upn = ad.userPrincipalName ?? `${ad.sAMAccountName ?? "user"}@${initialDomain(server)}`;
        const suffixOk = verified.has(lower(upn.split("@").pop() ?? ""));
        const wanted = suffixOk
          ? upn
          : `${ad.mailNickname ?? (primary ?? upn).split("@")[0]}@${initialDomain(server)}`;
        const clash = data.users.some(
          (u) => u !== target && lower(String(u.userPrincipalName)) === lower(wanted),
        );
        if (clash) {
          // The UPN is quarantined: prefix+NNNN@initial domain, and the conflict is reported.
          target.userPrincipalName = `${wanted.split("@")[0]}${String(1000 + ((outcomes.length * 7919) % 9000))}@${initialDomain(server)}`;
          errors.push({
            category: "PropertyConflict",
            propertyCausingError: "UserPrincipalName",
            value: wanted,
            occurredDateTime: now,
            errorDetail: null,
          });
          quarantined.push(wanted);
        } else target.userPrincipalName = wanted;
      }
    } else target.onPremisesDistinguishedName = ad.dn;
    // Graph shows what the last export reported, so a clean export clears earlier errors.
    target.onPremisesProvisioningErrors = errors;
    outcomes.push({ dn: ad.dn, action, cloudId: String(target.id), refused, quarantined });
  }
  data.organization = { ...data.organization, onPremisesLastSyncDateTime: now };
  return outcomes;
}
