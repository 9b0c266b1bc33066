/**
 * Digests that tie a saved plan to the desired entries it was made from (and, through plan/digest.ts,
 * to what it writes): apply recomputes them and refuses what does not match, so a plan file is a
 * claim that can be checked, never an authority.
 */
import { createHash } from "node:crypto";

import type { DesiredIdentity } from "./types.js";

/** JSON with object keys sorted, so the same data always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** `sha256:<hex>` of the canonical JSON of `value`. */
export function digestOf(value: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalJson(value)).digest("hex")}`;
}

/**
 * The desired entry as it decides the plan: everything but where it stands in the YAML (moving an
 * entry to another file or line is no change).
 */
export function entryDigest(identity: DesiredIdentity): string {
  const { key, ad, type, cloud, smtp, aliases, match, rebind } = identity;
  return digestOf({ key, ad, type, cloud, smtp, aliases, match, rebind });
}
