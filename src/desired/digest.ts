/**
 * Digests that tie a saved plan to the desired entries it was made from (and, through plan/digest.ts,
 * to what it writes): apply recomputes them and refuses what does not match, so a plan file is a
 * claim that can be checked, never an authority.
 */
import { createHash, hash } from "node:crypto";

import type { DesiredIdentity } from "./types.js";

/**
 * The keys in the default sort's order (UTF-16 code units, as `<` compares). An object here has a
 * handful of keys, and Array.prototype.sort allocates working storage on every call: at 100,000
 * identities that was ~290 MB of garbage for the entry and write digests. Sorted by insertion, in place.
 */
function sortedInPlace(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** A value JSON.stringify writes as canonicalJson does, in an object or an array alike. */
const isLeaf = (value: unknown): boolean =>
  value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";

/** An array of leaves only (a hole is undefined, which the two write differently). */
function leavesOnly(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (!isLeaf(list[i])) return false;
  return true;
}

/**
 * Whether JSON.stringify writes `record` exactly as canonicalJson does: its keys already in sorted
 * order and every member a leaf (nearly every AdRef, CloudRef and change record). V8 then writes it
 * in one call instead of a string per member.
 */
function flatAndSorted(record: Record<string, unknown>, keys: readonly string[]): boolean {
  if ("toJSON" in record) return false;
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1]! < keys[i]!)) return false;
    const member = record[keys[i]!];
    if (member !== undefined && !isLeaf(member)) return false;
  }
  return true;
}

/** JSON with object keys sorted, so the same data always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  let out: string;
  if (Array.isArray(value)) {
    if (leavesOnly(value)) return JSON.stringify(value);
    out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      // As JSON.stringify would not: an undefined element is left empty (never in idanchor's data).
      out += canonicalJson(value[i]) ?? "";
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const own = Object.keys(record);
  if (flatAndSorted(record, own)) return JSON.stringify(record);
  const keys = sortedInPlace(own);
  out = "{";
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/** `sha256:<hex>` of a text, in one shot (a Hash object per call was the larger part of the cost). */
export function textDigest(text: string): string {
  return `sha256:${hash("sha256", text, "hex")}`;
}

/** `sha256:<hex>` of the canonical JSON of `value`. */
export function digestOf(value: unknown): string {
  return textDigest(canonicalJson(value));
}

/**
 * `digestOf([...items])`, hashed item by item as they are added: the canonical text of a long list
 * is never built whole (a 100,000-identity plan's writes are tens of MB of it).
 */
export class ListDigest {
  private readonly hash = createHash("sha256").update("[");
  private first = true;

  add(item: unknown): void {
    // As canonicalJson of the array: an undefined element leaves its place empty.
    this.hash.update(`${this.first ? "" : ","}${canonicalJson(item) ?? ""}`);
    this.first = false;
  }

  /** Once, after the last item. */
  digest(): string {
    return `sha256:${this.hash.update("]").digest("hex")}`;
  }
}

export function digestOfList(items: Iterable<unknown>): string {
  const list = new ListDigest();
  for (const item of items) list.add(item);
  return list.digest();
}

/**
 * The desired entry as it decides the plan: everything but where it stands in the YAML (moving an
 * entry to another file or line is no change).
 */
/**
 * Entries are never mutated, and `plan --base` plans the same entry objects twice (files the base
 * shares with the tree are parsed once): each entry's digest is computed once.
 */
const digests = new WeakMap<DesiredIdentity, string>();

export function entryDigest(identity: DesiredIdentity): string {
  let digest = digests.get(identity);
  if (digest === undefined) {
    digest = computeEntryDigest(identity);
    digests.set(identity, digest);
  }
  return digest;
}

function computeEntryDigest(identity: DesiredIdentity): string {
  const { key, ad, type, cloud, smtp, aliases, match, rebind } = identity;
  const entry = { key, ad, type, cloud, smtp, aliases, match, rebind };
  // An entry from an older plan or a test may lack a field: the generic form then leaves it out.
  if ((Object.values(entry) as unknown[]).includes(undefined)) return digestOf(entry);
  // canonicalJson(entry), its keys in sorted order written out: one per identity of every plan.
  const text = `{"ad":${canonicalJson(ad)},"aliases":${canonicalJson(aliases)},"cloud":${canonicalJson(cloud)},"key":${JSON.stringify(key)},"match":${JSON.stringify(match)},"rebind":${JSON.stringify(rebind)},"smtp":${JSON.stringify(smtp)},"type":${JSON.stringify(type)}}`;
  return textDigest(text);
}
