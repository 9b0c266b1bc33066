/**
 * The keys under which values must be unique (pure): spaces and lower-cased texts, and the table of
 * every checked object's keys that the duplicate rules (duplicates.ts) work on.
 */
import type { ProxyAddress } from "../address/proxy-address.js";
import type { AdObject } from "../model/directory.js";
import type { HygieneAttribute } from "./types.js";

/**
 * The spaces values are unique in: mail with SMTP addresses, UPNs, and every other proxy type by
 * its whole value. A key is a space and a lower-cased text: "upn:" + the UPN, "smtp:" + the
 * address, the other value itself, were they written as one string. So another type's value that
 * reads "upn:..." shares the UPNs' space, as that one string would.
 */
export const SMTP = 0;
export const UPN = 1;
const OTHER = 2;
export type Space = typeof SMTP | typeof UPN | typeof OTHER;

export interface Key {
  space: Space;
  text: string;
}

/** Characters toLowerCase may change: without them (most addresses) the text is its own lower case. */
const MAY_LOWER = /[A-Z\u0080-\uffff]/;

/** `text.toLowerCase()`, without a copy of text that has nothing to lower. */
export function lower(text: string): string {
  return MAY_LOWER.test(text) ? text.toLowerCase() : text;
}

/** The key of a proxy address that is not SMTP: by its whole value, lower-cased. */
function otherKey(raw: string): Key {
  const lower = raw.toLowerCase();
  if (lower.startsWith("upn:")) return { space: UPN, text: lower.slice("upn:".length) };
  if (lower.startsWith("smtp:")) return { space: SMTP, text: lower.slice("smtp:".length) };
  return { space: OTHER, text: lower };
}

export function proxyKey(parsed: ProxyAddress): Key {
  return parsed.kind === "smtp" ? { space: SMTP, text: lower(parsed.address) } : otherKey(parsed.raw);
}

/** A map by key: one Map per space, so no key is ever built by concatenation. */
export class KeyMap<T> {
  private readonly spaces = [new Map<string, T>(), new Map<string, T>(), new Map<string, T>()] as const;

  get(space: Space, text: string): T | undefined {
    return this.spaces[space].get(text);
  }

  set(space: Space, text: string, value: T): void {
    this.spaces[space].set(text, value);
  }

  clear(): void {
    for (const map of this.spaces) map.clear();
  }
}

/**
 * The uniqueness keys of every checked object's values, each once per object (the first value
 * with that key), in object order: object i's uses are `start[i]` to `start[i + 1] - 1`. Uses of
 * one key are chained from its first use, so duplicates are found without one list per key.
 */
export class KeyTable {
  /** Index of the object (in the checked list) the use belongs to. */
  readonly owner: number[] = [];
  readonly attribute: HygieneAttribute[] = [];
  readonly value: string[] = [];
  readonly start: number[] = [0];
  /** First use of each key. */
  readonly first = new KeyMap<number>();
  /** The next use of the same key, -1 after the last. */
  readonly next: number[] = [];
  /** The first use of the same key: a key's uses are filed under it, and keys appear in its order. */
  readonly head: number[] = [];
  /** For a key's first use: its last use and how many uses the key has. */
  private readonly last: number[] = [];
  readonly count: number[] = [];

  /**
   * Adds the next object's keys (objects in order: `owner` is the index of this one). `proxies`:
   * its proxyAddresses parsed. Returns where its UPN, its mail and its first primary SMTP address
   * are filed (-1: not in the table, being blank), which is what finds its join target.
   */
  addObject(owner: number, object: AdObject, proxies: readonly ProxyAddress[]): FiledKeys {
    const filed = { upn: -1, mail: -1, primary: -1 };
    const upn = object.userPrincipalName;
    if (upn && upn.trim() !== "") filed.upn = this.add(owner, UPN, lower(upn), "userPrincipalName", upn);
    const mail = object.mail;
    if (mail && mail.trim() !== "") filed.mail = this.add(owner, SMTP, lower(mail), "mail", mail);
    let primarySeen = false;
    for (const parsed of proxies) {
      const raw = parsed.raw;
      if (parsed.kind === "smtp") {
        const head =
          parsed.address.trim() !== ""
            ? this.add(owner, SMTP, lower(parsed.address), "proxyAddresses", raw)
            : -1;
        if (parsed.primary && !primarySeen) {
          primarySeen = true;
          filed.primary = head;
        }
      } else if (raw.includes(":") && raw.slice(raw.indexOf(":") + 1).trim() !== "") {
        const key = otherKey(raw);
        this.add(owner, key.space, key.text, "proxyAddresses", raw);
      }
    }
    this.start.push(this.owner.length);
    return filed;
  }

  /** How many uses the table holds. */
  get size(): number {
    return this.owner.length;
  }

  /** Files one value under its key, unless the object has that key already; returns the key's first use. */
  private add(owner: number, space: Space, text: string, attribute: HygieneAttribute, value: string): number {
    const head = this.first.get(space, text);
    // An object's uses are added together, so a key it already has ends the key's chain.
    if (head !== undefined && this.owner[this.last[head]!] === owner) return head;
    const use = this.owner.length;
    this.owner.push(owner);
    this.attribute.push(attribute);
    this.value.push(value);
    this.next.push(-1);
    this.last.push(use);
    this.count.push(1);
    this.head.push(head ?? use);
    if (head === undefined) {
      this.first.set(space, text, use);
      return use;
    }
    this.next[this.last[head]!] = use;
    this.last[head] = use;
    this.count[head]! += 1;
    return head;
  }
}

/** Where an object's UPN, mail and first primary SMTP address are filed in the table: a first use, or -1. */
export interface FiledKeys {
  upn: number;
  mail: number;
  primary: number;
}
