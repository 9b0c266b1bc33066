/** The AD side of a mapping: which proxyAddresses and mail values the object must carry. Pure. */
import { formatSmtp, parseProxyAddress } from "../address/proxy-address.js";
import { addressKey, sameAddress } from "../address/smtp.js";
import type { AliasPolicy } from "../desired/settings.js";
import { fitted } from "../model/arrays.js";
import type { AdObject } from "../model/directory.js";
import { addressesOf } from "./live-index.js";
import type { Change } from "./types.js";

export interface AddressTarget {
  primary: string;
  aliases: readonly string[];
  policy: AliasPolicy;
}

/**
 * The proxyAddresses the object should end with: `SMTP:<primary>` as the only primary, every alias as
 * `smtp:`, the old primary demoted rather than lost (under `additive`), every non-SMTP value untouched
 * and in place. Values already right are kept byte for byte, so nothing churns.
 */
export function desiredProxyAddresses(current: readonly string[], target: AddressTarget): string[] {
  const primaryKey = addressKey(target.primary);
  const aliasKeys = new Set(target.aliases.map(addressKey));
  const seen = new Set<string>();
  const next: string[] = [];
  for (const raw of current) {
    const parsed = parseProxyAddress(raw);
    if (parsed.kind === "other") {
      next.push(raw);
      continue;
    }
    const key = addressKey(parsed.address);
    if (seen.has(key)) continue; // the same address twice (e.g. SMTP:x and smtp:X): keep the first
    seen.add(key);
    if (key === primaryKey) {
      next.push(parsed.primary ? raw : formatSmtp(target.primary, true));
    } else if (aliasKeys.has(key) || target.policy === "additive") {
      next.push(parsed.primary ? formatSmtp(parsed.address, false) : raw);
    }
  }
  if (!seen.has(primaryKey)) next.push(formatSmtp(target.primary, true));
  for (const alias of target.aliases) {
    const key = addressKey(alias);
    if (!seen.has(key) && key !== primaryKey) {
      seen.add(key);
      next.push(formatSmtp(alias, false));
    }
  }
  return next;
}

/** The compare-and-set changes that bring the AD object to the target addresses. */
export function adAddressChanges(object: AdObject, target: AddressTarget): Change[] {
  const next = desiredProxyAddresses(object.proxyAddresses, target);
  // Fitted: the changes live as long as the plan (the planner's largest block of lists).
  const remove = fitted(object.proxyAddresses.filter((value) => !next.includes(value)));
  const add = fitted(next.filter((value) => !object.proxyAddresses.includes(value)));
  const proxy: Change | null =
    add.length > 0 || remove.length > 0
      ? { target: "ad", dn: object.dn, attribute: "proxyAddresses", add, remove }
      : null;
  const mail: Change | null =
    !object.mail || !sameAddress(object.mail, target.primary)
      ? {
          target: "ad",
          dn: object.dn,
          attribute: "mail",
          add: [target.primary],
          remove: object.mail ? [object.mail] : [],
        }
      : null;
  return proxy && mail ? [proxy, mail] : proxy ? [proxy] : mail ? [mail] : [];
}

/** The object's proxyAddresses and mail as they will be once the changes are applied. */
export function afterChanges(
  object: Pick<AdObject, "proxyAddresses" | "mail">,
  changes: readonly Change[],
): { proxyAddresses: string[]; mail: string | null } {
  let proxyAddresses = [...object.proxyAddresses];
  let mail = object.mail;
  for (const change of changes) {
    if (change.target !== "ad") continue;
    if (change.attribute === "proxyAddresses")
      proxyAddresses = [...proxyAddresses.filter((v) => !change.remove.includes(v)), ...change.add];
    else if (change.attribute === "mail") mail = change.add[0] ?? null;
  }
  return { proxyAddresses, mail };
}

/** The address keys an object's AD changes give it and take from it. */
export interface AddressMoves {
  gained: readonly string[];
  lost: readonly string[];
}

const NO_KEYS: readonly string[] = [];

/** What the changes do to the object's SMTP addresses (proxyAddresses and mail); null when they write none. */
export function addressMoves(
  object: Pick<AdObject, "proxyAddresses" | "mail">,
  changes: readonly Change[],
): AddressMoves | null {
  if (!changes.some((c) => c.target === "ad")) return null;
  const before = new Set(addressesOf(object.proxyAddresses, object.mail).map(addressKey));
  const afterValues = afterChanges(object, changes);
  const after = new Set(addressesOf(afterValues.proxyAddresses, afterValues.mail).map(addressKey));
  let gained: string[] | null = null;
  let lost: string[] | null = null;
  for (const key of after) if (!before.has(key)) (gained ??= []).push(key);
  for (const key of before) if (!after.has(key)) (lost ??= []).push(key);
  return { gained: gained ?? NO_KEYS, lost: lost ?? NO_KEYS };
}
