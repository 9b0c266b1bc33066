/**
 * Uniqueness (pure): mail, proxyAddresses and userPrincipalName must be unique across users, groups
 * and contacts, compared case-insensitively, or the sync fails the value with
 * AttributeValueMustBeUnique (with duplicate attribute resiliency: the value is quarantined).
 * mail and the SMTP proxy addresses share one space (the cloud adds mail to proxyAddresses).
 *
 * Linear in the number of values: one table of every value's key, each key's holders chained in
 * it, and messages that name at most a few other holders whatever their number.
 */
import type { ProxyAddress } from "../address/proxy-address.js";
import { parseProxyAddress } from "../address/proxy-address.js";
import { printable } from "../address/smtp.js";
import type { AdObject, EntraState } from "../model/directory.js";
import { KeyMap, lower, proxyKey, SMTP, UPN } from "./key-table.js";
import type { FiledKeys, Key, KeyTable, Space } from "./key-table.js";
import { identityArg } from "./object-rules.js";
import type { HygieneAttribute, HygieneProblem } from "./types.js";

/** One value that must be unique, as `removal` needs it. */
interface ValueUse {
  object: AdObject;
  attribute: HygieneAttribute;
  value: string;
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

/**
 * The same SMTP address twice in one object's proxyAddresses (e.g. SMTP:a@x and smtp:A@x).
 * `proxies`: its proxyAddresses parsed; `seen`: a map to work in (cleared first).
 */
export function repeatedAddresses(
  object: AdObject,
  proxies: readonly ProxyAddress[],
  seen: KeyMap<string>,
  emit: (problem: HygieneProblem) => void,
): void {
  seen.clear();
  for (const parsed of proxies) {
    const raw = parsed.raw;
    const { space, text } = proxyKey(parsed);
    const first = seen.get(space, text);
    if (first === undefined) {
      seen.set(space, text, raw);
      continue;
    }
    emit({
      dn: object.dn,
      objectClass: object.type,
      attribute: "proxyAddresses",
      value: raw,
      rule: "AttributeValueMustBeUnique",
      severity: "error",
      message: `proxyAddresses '${printable(raw)}' is the same address as '${printable(first)}' on the same object (compared case-insensitively): Entra ID keeps one and Exchange reports the other as a duplicate proxy address`,
      fix: `remove the extra value: ${removal({ object, attribute: "proxyAddresses", value: raw })}`,
      suggested: null,
    });
  }
}

const MAX_NAMED = 3;

/** The other holders of a key, named: the first few in order, then how many more. */
function others(
  holders: readonly number[],
  self: number,
  table: KeyTable,
  objects: readonly AdObject[],
): string {
  const named: string[] = [];
  for (let i = 0; i < holders.length && named.length < MAX_NAMED; i++) {
    const use = holders[i]!;
    if (table.owner[use] === self) continue;
    named.push(`${describe(objects[table.owner[use]!]!)} (${table.attribute[use]})`);
  }
  const rest = holders.length - 1;
  return rest > MAX_NAMED ? `${named.join(", ")} and ${rest - MAX_NAMED} more` : named.join(", ");
}

/**
 * Values two or more AD objects hold: every holder is named, each with the others. `emit` gets
 * each problem with the index of its object, key by key in the order the keys first appear.
 */
export function sharedValues(
  objects: readonly AdObject[],
  table: KeyTable,
  emit: (problem: HygieneProblem, owner: number) => void,
): void {
  for (let head = 0; head < table.size; head++) {
    if (table.head[head] !== head || table.count[head]! < 2) continue;
    const holders: number[] = [];
    for (let use = head; use !== -1; use = table.next[use]!) holders.push(use);
    for (const use of holders) {
      const owner = table.owner[use]!;
      const attribute = table.attribute[use]!;
      const value = table.value[use]!;
      const object = objects[owner]!;
      emit(
        {
          dn: object.dn,
          objectClass: object.type,
          attribute,
          value,
          rule: "AttributeValueMustBeUnique",
          severity: "error",
          message: `${attribute} '${printable(value)}' is also held by ${others(holders, owner, table, objects)} (compared case-insensitively): the next sync exports only one of them; the others fail with AttributeValueMustBeUnique, or with duplicate attribute resiliency on, have the value quarantined`,
          fix: `keep the value on the one object that should have it and remove it from the others, e.g. ${removal({ object, attribute, value })}`,
          suggested: null,
        },
        owner,
      );
    }
  }
}

interface CloudHolder {
  id: string;
  kind: "user" | "group" | "contact";
  /** What the label calls it: a user's UPN, a group's or contact's display name (else its id). */
  name: string;
  /** For users: the anchor of the on-prem object it is synchronised from, if any. */
  immutableId: string | null;
}

/** Built for the problems only: most cloud objects are never named. */
function label(holder: CloudHolder): string {
  return `cloud ${holder.kind} '${holder.name}' (${holder.id})`;
}

/** The cloud objects holding a key, in the order read: one holder alone (most keys), or a list. */
type Holders = CloudHolder | CloudHolder[];

/**
 * The cloud holders of the keys the check looks up: those of AD values, filed under the key's first
 * use in the table (no second map of every cloud value), and `lookups`, keys no AD value has.
 */
class CloudIndex {
  private readonly byUse: (Holders | undefined)[];
  private readonly byKey = new KeyMap<Holders>();
  /** The synchronised cloud user of each anchor (the last one read, should two share one). */
  readonly byAnchor = new Map<string, CloudHolder>();

  constructor(
    entra: EntraState,
    private readonly table: KeyTable,
    lookups: KeyMap<true>,
  ) {
    this.byUse = new Array<Holders | undefined>(table.size).fill(undefined);
    // A holder adds its keys together, so one it already has is the last holder of that key.
    const add = (space: Space, text: string, holder: CloudHolder): void => {
      const use = table.first.get(space, text);
      if (use === undefined && lookups.get(space, text) === undefined) return; // nothing looks it up
      const held = use === undefined ? this.byKey.get(space, text) : this.byUse[use];
      let next: Holders | undefined;
      if (held === undefined) next = holder;
      else if (!Array.isArray(held)) {
        if (held !== holder) next = [held, holder];
      } else if (held[held.length - 1] !== holder) held.push(holder);
      if (next === undefined) return;
      if (use === undefined) this.byKey.set(space, text, next);
      else this.byUse[use] = next;
    };
    const addresses = (holder: CloudHolder, mail: string | null, proxies: readonly string[]): void => {
      if (mail) add(SMTP, lower(mail), holder);
      for (const raw of proxies) {
        const { space, text } = proxyKey(parseProxyAddress(raw));
        add(space, text, holder);
      }
    };
    for (const u of entra.users) {
      const holder: CloudHolder = {
        id: u.id,
        kind: "user",
        name: u.userPrincipalName,
        immutableId: u.onPremisesImmutableId,
      };
      if (holder.immutableId) this.byAnchor.set(holder.immutableId, holder);
      add(UPN, lower(u.userPrincipalName), holder);
      addresses(holder, u.mail, u.proxyAddresses);
    }
    for (const g of entra.groups)
      addresses(
        { id: g.id, kind: "group", name: g.displayName ?? g.id, immutableId: null },
        g.mail,
        g.proxyAddresses,
      );
    for (const c of entra.contacts)
      addresses(
        { id: c.id, kind: "contact", name: c.displayName ?? c.id, immutableId: null },
        c.mail,
        c.proxyAddresses,
      );
  }

  /** The holders of the key of a use in the table. */
  ofUse(use: number): Holders | undefined {
    return this.byUse[this.table.head[use]!];
  }

  /** The holders of a key: one of the table's (by its first use) or one of the lookups. */
  ofKey(key: KeyRef): Holders | undefined {
    return typeof key === "number" ? this.byUse[key] : this.byKey.get(key.space, key.text);
  }
}

/** The first holder with no anchor yet (a soft-match candidate). */
function firstUnjoined(held: Holders | undefined): CloudHolder | undefined {
  if (held === undefined) return undefined;
  if (!Array.isArray(held)) return held.immutableId === null ? held : undefined;
  return held.find((h) => h.immutableId === null);
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

/** A key as the table knows it (its first use), or the key itself where no AD value has it. */
type KeyRef = number | Key;

/** What finds an object's join target: its anchor, and the keys of its primary SMTP address and of its UPN. */
export interface TargetKeys {
  anchor: string;
  primary: KeyRef | null;
  /** Only where the tenant soft-matches on UPN (DESIGN.md 2). */
  upn: KeyRef | null;
}

/**
 * `filed`: what table.addObject returned for the object; `anchor`: its source anchor
 * (plan/sync-object); `proxies`: its proxyAddresses parsed.
 */
export function targetKeysOf(
  object: AdObject,
  proxies: readonly ProxyAddress[],
  filed: FiledKeys,
  anchor: string,
  features: EntraState["features"],
): TargetKeys {
  // A blank value is not in the table; its key is looked up in the cloud as it is.
  const ref = (use: number, space: Space, text: string): KeyRef =>
    use === -1 ? { space, text: lower(text) } : use;
  const primary = proxies.find((p) => p.kind === "smtp" && p.primary);
  return {
    anchor,
    primary:
      primary?.kind === "smtp"
        ? ref(filed.primary, SMTP, primary.address)
        : object.mail
          ? ref(filed.mail, SMTP, object.mail)
          : null,
    upn:
      features.softMatchOnUpnEnabled && object.type === "user" && object.userPrincipalName
        ? ref(filed.upn, UPN, object.userPrincipalName)
        : null,
  };
}

/**
 * Values that clash with the cloud: held by a cloud object other than the one this object will be
 * joined to. That one is the cloud user carrying its anchor, else the holder of its primary SMTP
 * address (the soft-match target), else, with soft match on UPN, of its UPN; any other holder keeps
 * the value and the sync quarantines it here. `targetKeys[i]`: those of object i (targetKeysOf).
 */
export function entraDuplicates(
  objects: readonly AdObject[],
  targetKeys: readonly TargetKeys[],
  table: KeyTable,
  entra: EntraState,
  emit: (problem: HygieneProblem, owner: number) => void,
): void {
  const lookups = new KeyMap<true>();
  const lookUp = (key: KeyRef | null): void => {
    if (key !== null && typeof key !== "number") lookups.set(key.space, key.text, true);
  };
  for (const { primary, upn } of targetKeys) {
    lookUp(primary);
    lookUp(upn);
  }
  const index = new CloudIndex(entra, table, lookups);

  objects.forEach((object, owner) => {
    const { anchor, primary, upn: upnKey } = targetKeys[owner]!;
    const target =
      index.byAnchor.get(anchor) ??
      firstUnjoined(primary === null ? undefined : index.ofKey(primary)) ??
      firstUnjoined(upnKey === null ? undefined : index.ofKey(upnKey));
    for (let use = table.start[owner]!; use < table.start[owner + 1]!; use++) {
      const held = index.ofUse(use);
      if (held === undefined) continue;
      // The holders other than the join target and than cloud objects already joined to this one.
      let holder: CloudHolder | undefined;
      let count = 0;
      for (let i = 0, n = Array.isArray(held) ? held.length : 1; i < n; i++) {
        const h = Array.isArray(held) ? held[i]! : held;
        if (h === target || h.immutableId === anchor) continue;
        holder ??= h;
        count++;
      }
      if (holder === undefined) continue;
      const attribute = table.attribute[use]!;
      const value = table.value[use]!;
      const why = holder.immutableId
        ? ", which is synchronised from another on-prem object"
        : target === undefined
          ? ` (no cloud object holds this object's primary SMTP address${upnKey !== null ? " or UPN" : ""}, so the sync creates a new cloud object for it)`
          : "";
      const upn = attribute === "userPrincipalName";
      const valueUse = { object, attribute, value };
      emit(
        {
          dn: object.dn,
          objectClass: object.type,
          attribute,
          value,
          rule: "AttributeValueMustBeUnique",
          severity: "error",
          message: `${attribute} '${printable(value)}' is already held in Entra ID by ${label(holder)}${why}${count > 1 ? ` and ${count - 1} more` : ""}: ${upn ? "the next sync quarantines the UPN (it becomes prefix+NNNN@<initial domain>)" : "the next sync fails the value with AttributeValueMustBeUnique (with duplicate attribute resiliency on, it is quarantined)"}`,
          fix: `remove it from ${label(holder)} (${cloudRemoval(holder, valueUse)}) or from this object (${removal(valueUse)})`,
          suggested: null,
        },
        owner,
      );
    }
  });
}
