/**
 * SMTP address rules for Exchange Online / Entra ID proxy addresses (DESIGN.md section 3).
 * Stricter than RFC 5322: no quoted local parts, comments, folding white space or IP literals.
 */

export type AddressProblemCode = "InvalidAddress" | "AddressTooLong";

export interface AddressProblem {
  code: AddressProblemCode;
  message: string;
  /** The message without the address: what is wrong with it ("there is no '@'"). */
  reason: string;
}

export const MAX_LOCAL_PART = 64;
/** The whole proxy value, prefix included ("SMTP:" + address). */
export const MAX_PROXY_VALUE = 256;
const MAX_LABEL = 63;

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/;
const LABEL = /^[A-Za-z0-9-]+$/;
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;

function invalid(address: string, why: string): AddressProblem {
  return {
    code: "InvalidAddress",
    message: `'${printable(address)}' is not a valid SMTP address: ${why}`,
    reason: `is not a valid SMTP address: ${why}`,
  };
}

/** Control characters would garble a terminal or a log line; show them escaped. */
export function printable(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

function checkLocalPart(address: string, local: string): AddressProblem | undefined {
  if (local === "") return invalid(address, "nothing before '@'");
  if (local.startsWith('"'))
    return invalid(address, "quoted local parts are not accepted by Exchange Online");
  if (local.startsWith(".") || local.endsWith("."))
    return invalid(address, "the part before '@' starts or ends with '.'");
  if (local.includes("..")) return invalid(address, "two dots in a row before '@'");
  if (!LOCAL_PART.test(local))
    return invalid(address, "the part before '@' has a character Exchange does not accept");
  return undefined;
}

/** What is wrong with a mail domain, or undefined: the reason only, so it can be shared by every address on it. */
function domainProblem(domain: string): string | undefined {
  if (domain === "") return "no domain after '@'";
  if (domain.startsWith("[")) return "IP literals are not accepted as a domain";
  const labels = domain.split(".");
  for (const label of labels) {
    if (label === "") return "the domain has an empty label (a leading, trailing or double dot)";
    if (label.length > MAX_LABEL) return `a domain label is longer than ${MAX_LABEL} characters`;
    if (!LABEL.test(label)) return "domain labels may hold only letters, digits and hyphens";
    if (label.startsWith("-") || label.endsWith("-")) return "a domain label starts or ends with a hyphen";
  }
  const tld = labels[labels.length - 1] ?? "";
  if (/^[0-9]+$/.test(tld)) return "the top-level domain is numeric";
  // A dotless domain can only receive mail where the TLD itself has an MX record. ICANN forbids that for
  // generic TLDs (SAC053), so only a two-letter country-code TLD can be such a domain.
  if (labels.length === 1 && !/^[A-Za-z]{2}$/.test(tld))
    return `'${tld}' is a top-level domain, not a mail domain`;
  return undefined;
}

/** An estate has few domains and many addresses on each: the verdict per domain is kept (bounded). */
const domainVerdicts = new Map<string, string | null>();
const MAX_DOMAIN_VERDICTS = 10_000;

function checkDomain(address: string, domain: string): AddressProblem | undefined {
  let why = domainVerdicts.get(domain);
  if (why === undefined) {
    why = domainProblem(domain) ?? null;
    if (domainVerdicts.size >= MAX_DOMAIN_VERDICTS) domainVerdicts.clear();
    domainVerdicts.set(domain, why);
  }
  return why === null ? undefined : invalid(address, why);
}

/** Validates one SMTP address (without the "SMTP:" prefix). Returns undefined when it is acceptable. */
export function checkSmtpAddress(address: string): AddressProblem | undefined {
  if (!PRINTABLE_ASCII.test(address))
    return invalid(
      address,
      "only printable ASCII without spaces is allowed (no white space, control or non-ASCII characters)",
    );
  const at = address.lastIndexOf("@");
  if (at < 0) return invalid(address, "there is no '@'");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.includes("@")) return invalid(address, "more than one '@'");
  const problem = checkLocalPart(address, local) ?? checkDomain(address, domain);
  if (problem) return problem;
  if (local.length > MAX_LOCAL_PART)
    return {
      code: "AddressTooLong",
      message: `'${address}' has ${local.length} characters before '@'; Exchange allows at most ${MAX_LOCAL_PART}`,
      reason: `has ${local.length} characters before '@'; Exchange allows at most ${MAX_LOCAL_PART}`,
    };
  if ("SMTP:".length + address.length > MAX_PROXY_VALUE)
    return {
      code: "AddressTooLong",
      message: `'SMTP:${address}' is ${5 + address.length} characters long; a proxy address may have at most ${MAX_PROXY_VALUE}`,
      reason: `makes a proxy address of ${5 + address.length} characters ('SMTP:' included); at most ${MAX_PROXY_VALUE} are allowed`,
    };
  return undefined;
}

/** The domain part, lower-cased, of an address that passed checkSmtpAddress. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}

/** The key under which two addresses are the same for Exchange and Entra: case-insensitive. */
export function addressKey(address: string): string {
  return address.toLowerCase();
}

export function sameAddress(a: string, b: string): boolean {
  return addressKey(a) === addressKey(b);
}
