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
import { identityArg } from "./object-rules.js";
import type { HygieneAttribute, HygieneProblem } from "./types.js";

/** A checked object with its proxyAddresses parsed once, for every rule that reads them. */
export interface CheckedObject {
  object: AdObject;
  proxies: readonly ProxyAddress[];
}

/** One value that must be unique, as `removal` needs it. */
interface ValueUse {
  object: AdObject;
  attribute: HygieneAttribute;
  value: string;
}

/**
 * The uniqueness keys of every checked object's values, each once per object (the first value
 * with that key), in object order: object i's uses are `start[i]` to `start[i + 1] - 1`. Uses of
 * one key are chained from its first use, so duplicates are found without one list per key.
 */
export class KeyTable {
  readonly key: string[] = [];
  /** Index of the object (in the checked list) the use belongs to. */
  readonly owner: number[] = [];
  readonly attribute: HygieneAttribute[] = [];
  readonly value: string[] = [];
  readonly start: number[] = [0];
  /** First use of each key; insertion order is the order in which keys first appear. */
  readonly first = new Map<string, number>();
  /** The next use of the same key, -1 after the last. */
  readonly next: number[] = [];
  /** The first use of the same key: what the key's holders elsewhere (the cloud's) are filed under. */
  readonly head: number[] = [];
  /** For a key's first use: its last use and how many uses the key has. */
  private readonly last: number[] = [];
  readonly count: number[] = [];

  constructor(objects: readonly CheckedObject[]) {
    objects.forEach(({ object, proxies }, index) => {
      const upn = object.userPrincipalName;
      if (upn && upn.trim() !== "") this.add(index, `upn:${upn.toLowerCase()}`, "userPrincipalName", upn);
      const mail = object.mail;
      if (mail && mail.trim() !== "") this.add(index, `smtp:${mail.toLowerCase()}`, "mail", mail);
      for (const parsed of proxies) {
        const raw = parsed.raw;
        if (parsed.kind === "smtp") {
          if (parsed.address.trim() !== "")
            this.add(index, `smtp:${parsed.address.toLowerCase()}`, "proxyAddresses", raw);
        } else if (raw.includes(":") && raw.slice(raw.indexOf(":") + 1).trim() !== "")
          this.add(index, raw.toLowerCase(), "proxyAddresses", raw);
      }
      this.start.push(this.key.length);
    });
  }

  private add(owner: number, key: string, attribute: HygieneAttribute, value: string): void {
    const head = this.first.get(key);
    // An object's uses are added together, so a key it already has ends the key's chain.
    if (head !== undefined && this.owner[this.last[head]!] === owner) return;
    const use = this.key.length;
    this.key.push(key);
    this.owner.push(owner);
    this.attribute.push(attribute);
    this.value.push(value);
    this.next.push(-1);
    this.last.push(use);
    this.count.push(1);
    this.head.push(head ?? use);
    if (head === undefined) this.first.set(key, use);
    else {
      this.next[this.last[head]!] = use;
      this.last[head] = use;
      this.count[head]! += 1;
    }
  }
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

/** The key under which a proxy address counts twice on one object. */
function proxyKey(parsed: ProxyAddress): string {
  return parsed.kind === "smtp" ? `smtp:${parsed.address.toLowerCase()}` : parsed.raw.toLowerCase();
}

/** The same SMTP address twice in one object's proxyAddresses (e.g. SMTP:a@x and smtp:A@x). */
function withinObject(
  { object, proxies }: CheckedObject,
  seen: Map<string, string>,
  emit: (problem: HygieneProblem) => void,
): void {
  seen.clear();
  for (const parsed of proxies) {
    const raw = parsed.raw;
    const key = proxyKey(parsed);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, raw);
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
  objects: readonly CheckedObject[],
): string {
  const named: string[] = [];
  for (let i = 0; i < holders.length && named.length < MAX_NAMED; i++) {
    const use = holders[i]!;
    if (table.owner[use] === self) continue;
    named.push(`${describe(objects[table.owner[use]!]!.object)} (${table.attribute[use]})`);
  }
  const rest = holders.length - 1;
  return rest > MAX_NAMED ? `${named.join(", ")} and ${rest - MAX_NAMED} more` : named.join(", ");
}

/**
 * Values two or more AD objects hold: every holder is named, each with the others. `emit` gets
 * each problem with the index of its object: first the values repeated within one object (in
 * object order), then the shared ones, key by key in the order the keys first appear.
 */
export function adDuplicates(
  objects: readonly CheckedObject[],
  table: KeyTable,
  emit: (problem: HygieneProblem, owner: number) => void,
): void {
  const seen = new Map<string, string>();
  objects.forEach((checked, index) => {
    if (checked.proxies.length > 1) withinObject(checked, seen, (problem) => emit(problem, index));
  });
  for (const head of table.first.values()) {
    if (table.count[head]! < 2) continue;
    const holders: number[] = [];
    for (let use = head; use !== -1; use = table.next[use]!) holders.push(use);
    for (const use of holders) {
      const owner = table.owner[use]!;
      const attribute = table.attribute[use]!;
      const value = table.value[use]!;
      const object = objects[owner]!.object;
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
  private readonly byKey = new Map<string, Holders>();
  /** The synchronised cloud user of each anchor (the last one read, should two share one). */
  readonly byAnchor = new Map<string, CloudHolder>();

  constructor(
    entra: EntraState,
    private readonly table: KeyTable,
    lookups: ReadonlySet<string>,
  ) {
    this.byUse = new Array<Holders | undefined>(table.key.length).fill(undefined);
    // A holder adds its keys together, so one it already has is the last holder of that key.
    const add = (key: string, holder: CloudHolder): void => {
      const use = table.first.get(key);
      if (use === undefined && !lookups.has(key)) return; // no AD value, nothing looks it up
      const held = use === undefined ? this.byKey.get(key) : this.byUse[use];
      let next: Holders | undefined;
      if (held === undefined) next = holder;
      else if (!Array.isArray(held)) {
        if (held !== holder) next = [held, holder];
      } else if (held[held.length - 1] !== holder) held.push(holder);
      if (next === undefined) return;
      if (use === undefined) this.byKey.set(key, next);
      else this.byUse[use] = next;
    };
    const addresses = (holder: CloudHolder, mail: string | null, proxies: readonly string[]): void => {
      if (mail) add(`smtp:${mail.toLowerCase()}`, holder);
      for (const raw of proxies) add(proxyKey(parseProxyAddress(raw)), holder);
    };
    for (const u of entra.users) {
      const holder: CloudHolder = {
        id: u.id,
        kind: "user",
        name: u.userPrincipalName,
        immutableId: u.onPremisesImmutableId,
      };
      if (holder.immutableId) this.byAnchor.set(holder.immutableId, holder);
      add(`upn:${u.userPrincipalName.toLowerCase()}`, holder);
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

  /** The holders of a key, one of the table's or one of the lookups. */
  ofKey(key: string): Holders | undefined {
    const use = this.table.first.get(key);
    return use === undefined ? this.byKey.get(key) : this.byUse[use];
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

/**
 * Values that clash with the cloud: held by a cloud object other than the one this object will be
 * joined to. That one is the cloud user carrying its anchor, else the holder of its primary SMTP
 * address (the soft-match target), else, with soft match on UPN, of its UPN; any other holder keeps
 * the value and the sync quarantines it here. `anchors[i]`: the source anchor of object i.
 */
export function entraDuplicates(
  objects: readonly CheckedObject[],
  anchors: readonly string[],
  table: KeyTable,
  entra: EntraState,
  emit: (problem: HygieneProblem, owner: number) => void,
): void {
  // The keys that find each object's join target: of its primary SMTP address and (where the
  // tenant soft-matches on UPN, DESIGN.md 2) of its UPN.
  const targetKeys = objects.map(({ object, proxies }) => {
    const primary = proxies.find((p) => p.kind === "smtp" && p.primary);
    const primaryKey =
      primary?.kind === "smtp"
        ? `smtp:${primary.address.toLowerCase()}`
        : object.mail
          ? `smtp:${object.mail.toLowerCase()}`
          : null;
    const upnKey =
      entra.features.softMatchOnUpnEnabled && object.type === "user" && object.userPrincipalName
        ? `upn:${object.userPrincipalName.toLowerCase()}`
        : null;
    return { primaryKey, upnKey };
  });
  const lookups = new Set<string>();
  for (const { primaryKey, upnKey } of targetKeys)
    for (const key of [primaryKey, upnKey]) if (key !== null && !table.first.has(key)) lookups.add(key);
  const index = new CloudIndex(entra, table, lookups);

  objects.forEach(({ object }, owner) => {
    const anchor = anchors[owner]!;
    const { primaryKey, upnKey } = targetKeys[owner]!;
    const target =
      index.byAnchor.get(anchor) ??
      firstUnjoined(primaryKey === null ? undefined : index.ofKey(primaryKey)) ??
      firstUnjoined(upnKey === null ? undefined : index.ofKey(upnKey));
    for (let use = table.start[owner]!; use < table.start[owner + 1]!; use++) {
      const held = index.ofUse(use);
      if (held === undefined) continue;
      // The holders other than the join target and than cloud objects already joined to this one.
      let holder: CloudHolder | undefined;
      let clashes = 0;
      for (const h of Array.isArray(held) ? held : [held])
        if (h !== target && h.immutableId !== anchor) {
          holder ??= h;
          clashes++;
        }
      if (holder === undefined) continue;
      const attribute = table.attribute[use]!;
      const value = table.value[use]!;
      const why = holder.immutableId
        ? ", which is synchronised from another on-prem object"
        : target === undefined
          ? ` (no cloud object holds this object's primary SMTP address${upnKey ? " or UPN" : ""}, so the sync creates a new cloud object for it)`
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
          message: `${attribute} '${printable(value)}' is already held in Entra ID by ${label(holder)}${why}${clashes > 1 ? ` and ${clashes - 1} more` : ""}: ${upn ? "the next sync quarantines the UPN (it becomes prefix+NNNN@<initial domain>)" : "the next sync fails the value with AttributeValueMustBeUnique (with duplicate attribute resiliency on, it is quarantined)"}`,
          fix: `remove it from ${label(holder)} (${cloudRemoval(holder, valueUse)}) or from this object (${removal(valueUse)})`,
          suggested: null,
        },
        owner,
      );
    }
  });
}
