/**
 * What Entra ID accepts in the attributes Entra Connect synchronises, value by value (pure).
 * Sources: Microsoft's "Prepare for directory synchronization to Microsoft 365" and its attribute
 * reference, Entra's UPN rules (allowed characters A-Z a-z 0-9 ' . - _ ! # ^ ~, at most 113
 * characters, 64 before '@' and 48 after it), and IdFix's published rule list. Used by `hygiene`
 * for everything in AD and by `validate`/`plan` for the values idanchor itself would write.
 */
import { checkSmtpAddress, printable } from "./smtp.js";
import { isKnownTld, tldOf } from "./tlds.js";

export type ValueRule =
  | "Blank"
  | "InvalidCharacter"
  | "InvalidFormat"
  | "TooLong"
  | "LeadingOrTrailingPeriod"
  | "NonRoutableDomain"
  | "InvalidAddress"
  | "AddressTooLong";

export interface ValueProblem {
  rule: ValueRule;
  /** Why the value breaks the rule, naming the offending part: "has '&' and 'ñ'". */
  detail: string;
}

export const UPN_MAX = 113;
export const UPN_MAX_LOCAL = 64;
export const UPN_MAX_DOMAIN = 48;
export const MAIL_NICKNAME_MAX = 64;
/** Pre-Windows 2000 logon names of users; groups may have up to 256 (Microsoft's attribute reference). */
export const SAM_MAX_USER = 20;
export const SAM_MAX_GROUP = 256;

export const UPN_ALLOWED = "A-Z a-z 0-9 ' . - _ ! # ^ ~";
const UPN_LOCAL_CHAR = /[A-Za-z0-9'._!#^~-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;
/** Exchange aliases: Microsoft's list forbids white space and \ ! # $ % & * + / = ? ^ ` { } | ~ < > ( ) ' ; : , [ ] " @; non-ASCII does not sync. */
const NICKNAME_CHAR = /[A-Za-z0-9._-]/;
/** The characters AD itself refuses in a sAMAccountName. */
const SAM_FORBIDDEN = /["[\]:;|=+*?<>/\\,]/;

/** The distinct characters of `text` that `allowed` does not match, shown as '&', 'ñ', ' '. */
function offending(text: string, allowed: RegExp): string[] {
  const seen = new Set<string>();
  for (const char of text) if (!allowed.test(char)) seen.add(char);
  return [...seen];
}

function listChars(chars: readonly string[]): string {
  return chars.map((c) => (c === " " ? "a space" : `'${printable(c)}'`)).join(", ");
}

function blank(value: string): ValueProblem | undefined {
  return value.trim() === "" ? { rule: "Blank", detail: "is empty or only white space" } : undefined;
}

function edgeSpace(value: string): ValueProblem | undefined {
  return value !== value.trim()
    ? { rule: "InvalidCharacter", detail: "starts or ends with white space" }
    : undefined;
}

/** A domain whose top-level domain is not delegated (`.local`, `.corp`, `.lan`, `.x`, `.c0m`). */
export function checkRoutableDomain(domain: string): ValueProblem | undefined {
  const tld = tldOf(domain);
  if (tld === "" || isKnownTld(tld)) return undefined;
  return {
    rule: "NonRoutableDomain",
    detail: `is on '${domain}', whose top-level domain '.${tld}' does not exist on the internet (not in IANA's root zone)`,
  };
}

/** Entra's userPrincipalName rules. */
export function checkUserPrincipalName(value: string): ValueProblem[] {
  const empty = blank(value);
  if (empty) return [empty];
  const problems: ValueProblem[] = [];
  const space = edgeSpace(value);
  if (space) problems.push(space);
  const upn = value.trim();
  const at = upn.lastIndexOf("@");
  if (at <= 0 || at === upn.length - 1 || upn.indexOf("@") !== at) {
    problems.push({
      rule: "InvalidFormat",
      detail: "is not of the form name@domain (exactly one '@', with text on both sides)",
    });
    return problems;
  }
  const local = upn.slice(0, at);
  const domain = upn.slice(at + 1);
  const bad = [...offending(local, UPN_LOCAL_CHAR), ...offending(domain, DOMAIN_CHAR)];
  if (bad.length > 0)
    problems.push({
      rule: "InvalidCharacter",
      detail: `has ${listChars([...new Set(bad)])}; a UPN may hold only ${UPN_ALLOWED} (and letters, digits, '-' and '.' after '@')`,
    });
  if (local.startsWith(".") || local.endsWith(".") || local.includes(".."))
    problems.push({
      rule: "InvalidFormat",
      detail: "has a '.' at the start, directly before '@', or two in a row",
    });
  if (domain.startsWith(".") || domain.endsWith(".") || domain.includes(".."))
    problems.push({ rule: "InvalidFormat", detail: "has an empty label in its domain (a stray '.')" });
  if (upn.length > UPN_MAX)
    problems.push({
      rule: "TooLong",
      detail: `has ${upn.length} characters; at most ${UPN_MAX} are allowed`,
    });
  if (local.length > UPN_MAX_LOCAL)
    problems.push({
      rule: "TooLong",
      detail: `has ${local.length} characters before '@'; at most ${UPN_MAX_LOCAL} are allowed`,
    });
  if (domain.length > UPN_MAX_DOMAIN)
    problems.push({
      rule: "TooLong",
      detail: `has ${domain.length} characters after '@'; at most ${UPN_MAX_DOMAIN} are allowed`,
    });
  if (bad.length === 0) {
    const routable = checkRoutableDomain(domain);
    if (routable) problems.push(routable);
  }
  return problems;
}

/** mailNickname (the Exchange alias, which becomes the cloud MailNickName). */
export function checkMailNickname(value: string): ValueProblem[] {
  const empty = blank(value);
  if (empty) return [empty];
  const problems: ValueProblem[] = [];
  const bad = offending(value, NICKNAME_CHAR);
  if (bad.length > 0)
    problems.push({
      rule: "InvalidCharacter",
      detail: `has ${listChars(bad)}; an alias may hold only A-Z a-z 0-9 . - _`,
    });
  const trimmed = value.trim();
  if (trimmed.startsWith(".") || trimmed.endsWith("."))
    problems.push({ rule: "LeadingOrTrailingPeriod", detail: "starts or ends with '.'" });
  if (value.length > MAIL_NICKNAME_MAX)
    problems.push({
      rule: "TooLong",
      detail: `has ${value.length} characters; at most ${MAIL_NICKNAME_MAX} are allowed`,
    });
  return problems;
}

/** sAMAccountName: AD's forbidden characters and the pre-Windows 2000 length. */
export function checkSamAccountName(value: string, type: "user" | "group" | "contact"): ValueProblem[] {
  const empty = blank(value);
  if (empty) return [empty];
  const problems: ValueProblem[] = [];
  const space = edgeSpace(value);
  if (space) problems.push(space);
  const bad: string[] = [];
  for (const char of value) if (SAM_FORBIDDEN.test(char) && !bad.includes(char)) bad.push(char);
  if (bad.length > 0)
    problems.push({
      rule: "InvalidCharacter",
      detail: `has ${listChars(bad)}; a sAMAccountName may not hold " [ ] : ; | = + * ? < > / \\ ,`,
    });
  const max = type === "group" ? SAM_MAX_GROUP : SAM_MAX_USER;
  if (value.length > max)
    problems.push({
      rule: "TooLong",
      detail: `has ${value.length} characters; a ${type}'s sAMAccountName may have at most ${max}`,
    });
  return problems;
}

/** An SMTP address (mail, or the value of an SMTP:/smtp: proxy address). */
export function checkMailAddress(value: string): ValueProblem[] {
  const empty = blank(value);
  if (empty) return [empty];
  const problem = checkSmtpAddress(value);
  if (problem) return [{ rule: problem.code, detail: problem.reason }];
  const routable = checkRoutableDomain(value.slice(value.lastIndexOf("@") + 1));
  return routable ? [routable] : [];
}

/** Letters with accents or umlauts as their plain ASCII letter (ñ -> n, ü -> u); others unchanged. */
export function foldDiacritics(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

/** A UPN the rules accept, made from a bad one, or null when nothing sensible can be proposed. */
export function suggestUserPrincipalName(value: string, domainOverride?: string): string | null {
  const upn = value.trim();
  const at = upn.lastIndexOf("@");
  if (at <= 0) return null;
  let local = [...foldDiacritics(upn.slice(0, at))].filter((c) => UPN_LOCAL_CHAR.test(c)).join("");
  local = local
    .replace(/\.{2,}/g, ".")
    .replace(/^\.+|\.+$/g, "")
    .slice(0, UPN_MAX_LOCAL);
  local = local.replace(/\.+$/, "");
  const domain = (domainOverride ?? upn.slice(at + 1)).replace(/^\.+|\.+$/g, "");
  if (local === "" || domain === "") return null;
  return `${local}@${domain}`;
}

export function suggestMailNickname(value: string): string | null {
  const nick = [...foldDiacritics(value.trim())]
    .filter((c) => NICKNAME_CHAR.test(c))
    .join("")
    .replace(/^\.+|\.+$/g, "")
    .slice(0, MAIL_NICKNAME_MAX)
    .replace(/\.+$/, "");
  return nick === "" ? null : nick;
}

export function suggestSamAccountName(value: string, type: "user" | "group" | "contact"): string | null {
  const max = type === "group" ? SAM_MAX_GROUP : SAM_MAX_USER;
  const sam = [...value.trim()]
    .filter((c) => !SAM_FORBIDDEN.test(c))
    .join("")
    .slice(0, max)
    .trim();
  return sam === "" ? null : sam;
}
