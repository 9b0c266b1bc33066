/**
 * The IANA root zone's top-level domains, from the `tlds` package (regenerated from IANA's list on
 * every release), so that `.local`, `.corp`, `.lan` and friends are told from real TLDs by data, not
 * by a hand-written list. Loaded once, as the static data it is.
 */
import { createRequire } from "node:module";
import { domainToASCII } from "node:url";

const list = createRequire(import.meta.url)("tlds") as string[];

// The package lists IDN TLDs in Unicode (рф); directories hold them in their ASCII form (xn--p1ai).
const KNOWN = new Set(list.flatMap((tld) => [tld.toLowerCase(), domainToASCII(tld)]));

/** Whether `tld` (without a dot, any case, `xn--` form for IDN TLDs) is delegated in the root zone. */
export function isKnownTld(tld: string): boolean {
  return KNOWN.has(tld.toLowerCase());
}

/** The last label of a domain. */
export function tldOf(domain: string): string {
  return domain.slice(domain.lastIndexOf(".") + 1);
}
