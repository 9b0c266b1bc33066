/** Lookup tables over LiveState, built once per plan. */
import { addressKey } from "../address/smtp.js";
import { parseProxyAddress } from "../address/proxy-address.js";
import type { AdRef } from "../desired/types.js";
import { none } from "../model/arrays.js";
import { normalizeDn } from "../model/dn.js";
import type {
  AdObject,
  AdState,
  DeletedEntraUser,
  EntraState,
  EntraUser,
  ObjectType,
} from "../model/directory.js";
import { notExportedReason } from "./connect-filters.js";
import { toSyncObjects } from "./sync-object.js";
import type { SyncObject, SyncRules } from "./sync-object.js";

/** A cloud user, group or contact seen through the properties that matching uses. */
export interface CloudObject {
  id: string;
  type: ObjectType;
  /** UPN for users, display name or mail for the rest: what a human recognises. */
  name: string;
  userPrincipalName: string | null;
  mail: string | null;
  proxyAddresses: string[];
  onPremisesImmutableId: string | null;
  /** Synchronised from on-prem (true) or cloud-managed (false / null). */
  synced: boolean;
  isAdmin: boolean;
  /** False for a group that is not mail-enabled: Entra Connect never matches one (DESIGN 2b). */
  matchable: boolean;
  /** A soft-deleted user in the recycle bin: restorable by a hard match, matched by nothing else. */
  deleted: boolean;
}

/** The Graph object behind a CloudObject. */
export type SourceObject =
  EntraState["users"][number] | EntraState["groups"][number] | EntraState["contacts"][number];

/** Every SMTP address an object holds, from proxyAddresses and mail. */
export function addressesOf(proxyAddresses: readonly string[], mail: string | null): string[] {
  const out: string[] = [];
  for (const raw of proxyAddresses) {
    const parsed = parseProxyAddress(raw);
    if (parsed.kind === "smtp") out.push(parsed.address);
  }
  if (mail) out.push(mail);
  return out;
}

/**
 * Address key -> the objects holding it, in the order they were added. Nearly every address has
 * one holder: that one is kept as is, a list only from the second (at 100,000 objects, ~300,000
 * arrays fewer in each index).
 */
class Holders<V extends object> {
  private readonly byKey = new Map<string, V | V[]>();

  add(key: string, value: V): void {
    const known = this.byKey.get(key);
    if (known === undefined) this.byKey.set(key, value);
    else if (Array.isArray(known)) {
      if (!known.includes(value)) known.push(value);
    } else if (known !== value) this.byKey.set(key, [known, value]);
  }

  get(key: string): readonly V[] {
    const known = this.byKey.get(key);
    // No holder: the one shared empty list (asked for every address planned, most of them new).
    return known === undefined ? none() : Array.isArray(known) ? known : [known];
  }
}

export class AdIndex {
  private readonly bySam = new Map<string, SyncObject>();
  private readonly byDn = new Map<string, SyncObject>();
  private readonly byGuid = new Map<string, SyncObject>();
  private readonly byAddress = new Holders<SyncObject>();

  constructor(objects: readonly SyncObject[]) {
    for (const object of objects) {
      if (object.sAMAccountName) this.bySam.set(object.sAMAccountName.toLowerCase(), object);
      this.byDn.set(object.dnKey, object);
      this.byGuid.set(object.objectGuid.toLowerCase(), object);
      for (const address of addressesOf(object.proxyAddresses, object.mail))
        this.byAddress.add(addressKey(address), object);
    }
  }

  find(ref: AdRef): SyncObject | undefined {
    switch (ref.kind) {
      case "sam":
        return this.bySam.get(ref.sam.toLowerCase());
      case "dn":
        return this.byDn.get(normalizeDn(ref.dn));
      case "guid":
        return this.byGuid.get(ref.guid.toLowerCase());
      case "create":
        return this.byDn.get(normalizeDn(ref.dn));
    }
  }

  findSam(sam: string): SyncObject | undefined {
    return this.bySam.get(sam.toLowerCase());
  }

  /** Holders of an address already folded by addressKey. */
  holdersByKey(key: string): readonly SyncObject[] {
    return this.byAddress.get(key);
  }
}

export class CloudIndex {
  readonly objects: CloudObject[];
  /** Object id -> position in `objects` (and in `sourceList`): answers "the first such object" as a scan would. */
  private readonly byId = new Map<string, number>();
  private readonly byUpn = new Map<string, CloudObject>();
  private readonly byImmutableId = new Map<string, CloudObject>();
  private readonly byAddress = new Holders<CloudObject>();
  /** The Graph object behind each of `objects`, at the same position. */
  private readonly sourceList: SourceObject[];
  private readonly deletedById = new Map<string, { object: CloudObject; user: DeletedEntraUser }>();
  private readonly deletedByImmutableId = new Map<string, CloudObject>();
  private readonly deletedByUpn = new Map<string, CloudObject>();

  constructor(state: EntraState) {
    const admins = new Set(state.roleAssignments.map((r) => r.principalId.toLowerCase()));
    const users: CloudObject[] = state.users.map((u) => ({
      id: u.id.toLowerCase(),
      type: "user",
      name: u.userPrincipalName,
      userPrincipalName: u.userPrincipalName,
      mail: u.mail,
      proxyAddresses: u.proxyAddresses,
      onPremisesImmutableId: u.onPremisesImmutableId,
      synced: u.onPremisesSyncEnabled === true,
      isAdmin: admins.has(u.id.toLowerCase()),
      matchable: true,
      deleted: false,
    }));
    const others: CloudObject[] = [
      ...state.groups.map((g) => ({ ...g, type: "group" as const, matchable: g.mailEnabled })),
      ...state.contacts.map((c) => ({ ...c, type: "contact" as const, matchable: true })),
    ].map((o) => ({
      id: o.id.toLowerCase(),
      type: o.type,
      name: o.mail ?? o.displayName ?? o.id,
      userPrincipalName: null,
      mail: o.mail,
      proxyAddresses: o.proxyAddresses,
      onPremisesImmutableId: null,
      synced: o.onPremisesSyncEnabled === true,
      isAdmin: admins.has(o.id.toLowerCase()),
      matchable: o.matchable,
      deleted: false,
    }));
    this.objects = [...users, ...others];
    this.sourceList = [...state.users, ...state.groups, ...state.contacts];
    // Deleted users are kept out of the lookups above: only a hard match on their anchor reaches them.
    for (const user of state.deletedUsers) {
      // A deleted user's UPN is prefixed with its object id without dashes; restored, it gets the original back.
      const prefix = user.id.toLowerCase().replace(/-/g, "");
      const upn = user.userPrincipalName.toLowerCase().startsWith(prefix)
        ? user.userPrincipalName.slice(prefix.length)
        : user.userPrincipalName;
      const object: CloudObject = {
        id: user.id.toLowerCase(),
        type: "user",
        name: upn,
        userPrincipalName: upn,
        mail: user.mail,
        proxyAddresses: user.proxyAddresses,
        onPremisesImmutableId: user.onPremisesImmutableId,
        synced: user.onPremisesSyncEnabled === true,
        isAdmin: false,
        matchable: true,
        deleted: true,
      };
      this.deletedById.set(object.id, { object, user });
      if (user.onPremisesImmutableId) this.deletedByImmutableId.set(user.onPremisesImmutableId, object);
      this.deletedByUpn.set(upn.toLowerCase(), object);
    }
    for (const [index, object] of this.objects.entries()) {
      this.byId.set(object.id, index);
      if (object.userPrincipalName) this.byUpn.set(object.userPrincipalName.toLowerCase(), object);
      if (object.onPremisesImmutableId) this.byImmutableId.set(object.onPremisesImmutableId, object);
      for (const address of addressesOf(object.proxyAddresses, object.mail))
        this.byAddress.add(addressKey(address), object);
    }
  }

  findById(id: string): CloudObject | undefined {
    const at = this.byId.get(id.toLowerCase());
    return at === undefined ? undefined : this.objects[at];
  }

  findByUpn(upn: string): CloudObject | undefined {
    return this.byUpn.get(upn.toLowerCase());
  }

  findByImmutableId(immutableId: string): CloudObject | undefined {
    return this.byImmutableId.get(immutableId);
  }

  holders(address: string): readonly CloudObject[] {
    return this.byAddress.get(addressKey(address));
  }

  /** The Graph user behind a cloud object id (any case), deleted ones included. */
  findUser(id: string): EntraUser | undefined {
    const key = id.toLowerCase();
    const at = this.byId.get(key);
    if (at !== undefined && this.objects[at]!.type === "user") return this.sourceList[at] as EntraUser;
    return this.deletedById.get(key)?.user;
  }

  /** The Graph object (user, group or contact) behind a cloud object id, for its provisioning errors. */
  findSource(id: string): SourceObject | undefined {
    const at = this.byId.get(id.toLowerCase());
    return at === undefined ? undefined : this.sourceList[at];
  }

  /** A soft-deleted user carrying this anchor: the next sync restores it instead of creating one. */
  findDeletedByImmutableId(immutableId: string): CloudObject | undefined {
    return this.deletedByImmutableId.get(immutableId);
  }

  findDeletedUser(id: string): DeletedEntraUser | undefined {
    return this.deletedById.get(id.toLowerCase())?.user;
  }

  /** A deleted user by id or by the UPN it had before deletion. */
  findDeleted(ref: { id?: string; upn?: string }): CloudObject | undefined {
    if (ref.id !== undefined) return this.deletedById.get(ref.id.toLowerCase())?.object;
    return ref.upn === undefined ? undefined : this.deletedByUpn.get(ref.upn.toLowerCase());
  }

  /** The first object in `objects` holding one of the addresses and accepted by `accept`. */
  firstHolder(
    addresses: readonly string[],
    accept: (object: CloudObject) => boolean,
  ): CloudObject | undefined {
    let first = -1;
    for (const address of addresses)
      for (const holder of this.holders(address)) {
        const at = this.byId.get(holder.id)!;
        if ((first === -1 || at < first) && accept(holder)) first = at;
      }
    return first === -1 ? undefined : this.objects[first];
  }
}

/** The cloud primary SMTP address, if the object has one. */
export function cloudPrimary(object: CloudObject): string | null {
  for (const raw of object.proxyAddresses) {
    const parsed = parseProxyAddress(raw);
    if (parsed.kind === "smtp" && parsed.primary) return parsed.address;
  }
  return object.mail;
}

export function describeCloud(object: CloudObject): string {
  return `cloud ${object.type} '${object.name}' (${object.id})`;
}

export function describeAd(object: AdObject): string {
  return `AD ${object.type} '${object.dn}'`;
}

/** The AD side as the sync sees it under one set of sync rules. */
export interface ScopedAd {
  objects: readonly SyncObject[];
  index: AdIndex;
  /** The objects Entra Connect exports that hold the address today, in `objects` order. */
  exportedHolders(addressKey: string): readonly SyncObject[];
  /** Position in `objects`. */
  order: ReadonlyMap<SyncObject, number>;
}

/**
 * The live state indexed once for every plan made against it: `plan --base` plans the base and
 * the working tree against one directory read, and builds these tables once, not twice.
 */
export class LiveIndex {
  readonly cloud: CloudIndex;
  /** The tenant's verified domains, lower case. */
  readonly verified: ReadonlySet<string>;
  private readonly scoped = new Map<string, ScopedAd>();

  constructor(
    readonly ad: AdState,
    readonly entra: EntraState,
  ) {
    this.cloud = new CloudIndex(entra);
    this.verified = new Set(entra.domains.filter((d) => d.isVerified).map((d) => d.id.toLowerCase()));
  }

  /** The AD side under these rules (the Settings of the base and of the tree may differ). */
  forRules(rules: SyncRules): ScopedAd {
    const key = JSON.stringify([rules.sourceAnchor, rules.syncScope]);
    const known = this.scoped.get(key);
    if (known) return known;
    const objects = toSyncObjects(this.ad, rules);
    const order = new Map<SyncObject, number>();
    // An object Entra Connect never exports never clashes in the cloud (a handful: built-in accounts).
    const silent = new Set<SyncObject>();
    for (const [position, object] of objects.entries()) {
      order.set(object, position);
      if (notExportedReason(object) !== null) silent.add(object);
    }
    const index = new AdIndex(objects);
    const scoped: ScopedAd = {
      objects,
      index,
      exportedHolders: (address) => {
        const holders = index.holdersByKey(address);
        // A new list only when one of them is silent (nearly never): this runs for every address planned.
        return holders.some((object) => silent.has(object))
          ? holders.filter((object) => !silent.has(object))
          : holders;
      },
      order,
    };
    this.scoped.set(key, scoped);
    return scoped;
  }
}
