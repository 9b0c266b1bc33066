/**
 * Uniqueness (pure): mail, proxyAddresses and userPrincipalName must be unique across users, groups
 * and contacts, compared case-insensitively, or the sync fails the value with
 * AttributeValueMustBeUnique (with duplicate attribute resiliency: the value is quarantined).
 * mail and the SMTP proxy addresses share one space (the cloud adds mail to proxyAddresses).
 */
import { parseProxyAddress } from "../address/proxy-address.js";
import { printable } from "../address/smtp.js";
import type { EntraState } from "../model/directory.js";
import type { SyncObject as AdObject } from "../plan/sync-object.js";
import { identityArg } from "./object-rules.js";
import type { HygieneAttribute, HygieneProblem } from "./types.js";

interface ValueUse {
  key: string;
  object: AdObject;
  attribute: HygieneAttribute;
  value: string;
}

/** An object with its uniqueness keys, worked out once for both the AD and the Entra comparison. */
export interface KeyedObject {
  object: AdObject;
  keys: ValueUse[];
}

/** The uniqueness keys of one object's values, each once per object. */
export function keysOf(object: AdObject): ValueUse[] {
  // An array, not a Map: an object has a handful of values, and 100k Maps keep the collector busy.
  const keys: ValueUse[] = [];
  const add = (key: string, attribute: HygieneAttribute, value: string): void => {
    if (!keys.some((k) => k.key === key)) keys.push({ key, object, attribute, value });
  };
  if (object.userPrincipalName && object.userPrincipalName.trim() !== "")
    add(`upn:${object.userPrincipalName.toLowerCase()}`, "userPrincipalName", object.userPrincipalName);
  if (object.mail && object.mail.trim() !== "") add(`smtp:${object.mail.toLowerCase()}`, "mail", object.mail);
  for (const raw of object.proxyAddresses) {
    const parsed = parseProxyAddress(raw);
    if (parsed.kind === "smtp") {
      if (parsed.address.trim() !== "") add(`smtp:${parsed.address.toLowerCase()}`, "proxyAddresses", raw);
    } else if (raw.includes(":") && raw.slice(raw.indexOf(":") + 1).trim() !== "")
      add(raw.toLowerCase(), "proxyAddresses", raw);
  }
  return keys;
}

function describe(object: AdObject): string {
  return `${object.type} '${object.dn}'`;
}

function removal(use: ValueUse): string {
  if (use.attribute === "proxyAddresses")
    return `${identityArg(use.object)} -Remove @{proxyAddresses='${use.value.replace(/'/g, "''")}'}`;
  if (use.attribute === "mail") return `${identityArg(use.object)} -Replace @{mail=<another address>}`;
  return `${identityArg(use.object)} -UserPrincipalName <another UPN>`;
}

/** The same SMTP address twice in one object's proxyAddresses (e.g. SMTP:a@x and smtp:A@x). */
function withinObject(object: AdObject): HygieneProblem[] {
  const seen = new Map<string, string>();
  const out: HygieneProblem[] = [];
  for (const raw of object.proxyAddresses) {
    const parsed = parseProxyAddress(raw);
    const key = parsed.kind === "smtp" ? `smtp:${parsed.address.toLowerCase()}` : raw.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, raw);
      continue;
    }
    out.push({
      dn: object.dn,
      objectClass: object.type,
      attribute: "proxyAddresses",
      value: raw,
      rule: "AttributeValueMustBeUnique",
      severity: "error",
      message: `proxyAddresses '${printable(raw)}' is the same address as '${printable(first)}' on the same object (compared case-insensitively): Entra ID keeps one and Exchange reports the other as a duplicate proxy address`,
      fix: `remove the extra value: ${removal({ key, object, attribute: "proxyAddresses", value: raw })}`,
      suggested: null,
    });
  }
  return out;
}

const MAX_NAMED = 3;

function others(all: readonly ValueUse[], self: ValueUse): string {
  const rest = all.filter((u) => u.object !== self.object);
  const named = rest
    .slice(0, MAX_NAMED)
    .map((u) => `${describe(u.object)} (${u.attribute})`)
    .join(", ");
  return rest.length > MAX_NAMED ? `${named} and ${rest.length - MAX_NAMED} more` : named;
}

/** Values two or more AD objects hold: every holder is named, each with the others. */
export function adDuplicates(objects: readonly KeyedObject[]): HygieneProblem[] {
  const byKey = new Map<string, ValueUse[]>();
  const out: HygieneProblem[] = [];
  for (const { object, keys } of objects) {
    if (object.proxyAddresses.length > 1) out.push(...withinObject(object));
    for (const use of keys) {
      const list = byKey.get(use.key);
      if (list) list.push(use);
      else byKey.set(use.key, [use]);
    }
  }
  for (const uses of byKey.values()) {
    if (uses.length < 2) continue;
    for (const use of uses)
      out.push({
        dn: use.object.dn,
        objectClass: use.object.type,
        attribute: use.attribute,
        value: use.value,
        rule: "AttributeValueMustBeUnique",
        severity: "error",
        message: `${use.attribute} '${printable(use.value)}' is also held by ${others(uses, use)} (compared case-insensitively): the next sync exports only one of them; the others fail with AttributeValueMustBeUnique, or with duplicate attribute resiliency on, have the value quarantined`,
        fix: `keep the value on the one object that should have it and remove it from the others, e.g. ${removal(use)}`,
        suggested: null,
      });
  }
  return out;
}

interface CloudHolder {
  id: string;
  kind: "user" | "group" | "contact";
  label: string;
  /** For users: the anchor of the on-prem object it is synchronised from, if any. */
  immutableId: string | null;
}

function cloudIndex(entra: EntraState): {
  index: Map<string, CloudHolder[]>;
  byAnchor: Map<string, CloudHolder>;
} {
  const index = new Map<string, CloudHolder[]>();
  const byAnchor = new Map<string, CloudHolder>();
  const add = (key: string, holder: CloudHolder): void => {
    const list = index.get(key);
    if (!list) index.set(key, [holder]);
    else if (!list.includes(holder)) list.push(holder);
  };
  const addresses = (holder: CloudHolder, mail: string | null, proxies: readonly string[]): void => {
    if (mail) add(`smtp:${mail.toLowerCase()}`, holder);
    for (const raw of proxies) {
      const parsed = parseProxyAddress(raw);
      add(parsed.kind === "smtp" ? `smtp:${parsed.address.toLowerCase()}` : raw.toLowerCase(), holder);
    }
  };
  for (const u of entra.users) {
    const holder: CloudHolder = {
      id: u.id,
      kind: "user",
      label: `cloud user '${u.userPrincipalName}' (${u.id})`,
      immutableId: u.onPremisesImmutableId,
    };
    if (holder.immutableId) byAnchor.set(holder.immutableId, holder);
    add(`upn:${u.userPrincipalName.toLowerCase()}`, holder);
    addresses(holder, u.mail, u.proxyAddresses);
  }
  for (const g of entra.groups)
    addresses(
      {
        id: g.id,
        kind: "group",
        label: `cloud group '${g.displayName ?? g.id}' (${g.id})`,
        immutableId: null,
      },
      g.mail,
      g.proxyAddresses,
    );
  for (const c of entra.contacts)
    addresses(
      {
        id: c.id,
        kind: "contact",
        label: `cloud contact '${c.displayName ?? c.id}' (${c.id})`,
        immutableId: null,
      },
      c.mail,
      c.proxyAddresses,
    );
  return { index, byAnchor };
}

/** How the cloud holder gives the value up: Graph for a UPN, Exchange Online for addresses (Graph cannot write proxyAddresses). */
function cloudRemoval(holder: CloudHolder, use: ValueUse): string {
  if (use.attribute === "userPrincipalName")
    return `Update-MgUser -UserId ${holder.id} -UserPrincipalName <another UPN>`;
  const address = use.attribute === "mail" ? use.value : use.value.replace(/^smtp:/i, "");
  const cmdlet =
    holder.kind === "user"
      ? "Set-Mailbox"
      : holder.kind === "group"
        ? "Set-DistributionGroup"
        : "Set-MailContact";
  return `Exchange Online: ${cmdlet} -Identity ${holder.id} -EmailAddresses @{remove='smtp:${address.replace(/'/g, "''")}'}`;
}

/**
 * Values that clash with the cloud: held by a cloud object other than the one this object will be
 * joined to. That one is the cloud user carrying its anchor, else the holder of its primary SMTP
 * address (the soft-match target), else, with soft match on UPN, of its UPN; any other holder keeps the value and the sync quarantines it here.
 */
export function entraDuplicates(objects: readonly KeyedObject[], entra: EntraState): HygieneProblem[] {
  const { index, byAnchor } = cloudIndex(entra);

  const out: HygieneProblem[] = [];
  for (const { object, keys } of objects) {
    const primary = object.proxyAddresses.map(parseProxyAddress).find((p) => p.kind === "smtp" && p.primary);
    const primaryKey =
      primary?.kind === "smtp"
        ? `smtp:${primary.address.toLowerCase()}`
        : object.mail
          ? `smtp:${object.mail.toLowerCase()}`
          : null;
    const unjoined = (key: string | null): CloudHolder | undefined =>
      key === null ? undefined : index.get(key)?.find((h) => h.immutableId === null);
    // Soft match on UPN only where the tenant enables it and SMTP found nothing (DESIGN.md 2).
    const upnKey =
      entra.features.softMatchOnUpnEnabled && object.type === "user" && object.userPrincipalName
        ? `upn:${object.userPrincipalName.toLowerCase()}`
        : null;
    const target = byAnchor.get(object.sourceAnchor) ?? unjoined(primaryKey) ?? unjoined(upnKey);
    for (const use of keys) {
      const clash =
        index.get(use.key)?.filter((h) => h !== target && h.immutableId !== object.sourceAnchor) ?? [];
      if (clash.length === 0) continue;
      const holder = clash[0]!;
      const why = holder.immutableId
        ? ", which is synchronised from another on-prem object"
        : target === undefined
          ? ` (no cloud object holds this object's primary SMTP address${upnKey ? " or UPN" : ""}, so the sync creates a new cloud object for it)`
          : "";
      const upn = use.attribute === "userPrincipalName";
      out.push({
        dn: object.dn,
        objectClass: object.type,
        attribute: use.attribute,
        value: use.value,
        rule: "AttributeValueMustBeUnique",
        severity: "error",
        message: `${use.attribute} '${printable(use.value)}' is already held in Entra ID by ${holder.label}${why}${clash.length > 1 ? ` and ${clash.length - 1} more` : ""}: ${upn ? "the next sync quarantines the UPN (it becomes prefix+NNNN@<initial domain>)" : "the next sync fails the value with AttributeValueMustBeUnique (with duplicate attribute resiliency on, it is quarantined)"}`,
        fix: `remove it from ${holder.label} (${cloudRemoval(holder, use)}) or from this object (${removal(use)})`,
        suggested: null,
      });
    }
  }
  return out;
}
