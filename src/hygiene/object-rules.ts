/**
 * The value rules applied to one AD object's synchronised attributes (pure). Each problem says what
 * the next sync does with the value, why, and what to change (with the cmdlet).
 */
import {
  checkMailAddress,
  checkMailNickname,
  checkSamAccountName,
  checkUserPrincipalName,
  suggestMailNickname,
  suggestSamAccountName,
  suggestUserPrincipalName,
  type ValueProblem,
} from "../address/attribute-rules.js";
import type { ProxyAddress } from "../address/proxy-address.js";
import { printable } from "../address/smtp.js";
import type { AdObject, ObjectType } from "../model/directory.js";
import type { HygieneAttribute, HygieneProblem } from "./types.js";

/** The AD module cmdlet that writes an object of this type. */
export function cmdletFor(type: ObjectType): string {
  return type === "user" ? "Set-ADUser" : type === "group" ? "Set-ADGroup" : "Set-ADObject";
}

/** `Set-ADUser -Identity '<dn>'`, quoted for PowerShell (a ' doubles). */
export function identityArg(object: AdObject): string {
  return `${cmdletFor(object.type)} -Identity '${object.dn.replace(/'/g, "''")}'`;
}

const psQuote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

function problem(
  object: AdObject,
  attribute: HygieneAttribute,
  value: string,
  found: ValueProblem,
  consequence: string,
  fix: string,
  suggested: string | null,
  severity: "error" | "warning" = "error",
): HygieneProblem {
  return {
    dn: object.dn,
    objectClass: object.type,
    attribute,
    value,
    rule: found.rule,
    severity,
    message: `${attribute} '${printable(value)}' ${found.detail}: ${consequence}`,
    fix,
    suggested,
  };
}

/** What the sync does with a bad value of each attribute (Entra Connect's export, or its proxy calculation). */
const REJECTED =
  "Entra ID refuses the export of the whole object (data-validation-failed in Synchronization Service Manager), so the object does not sync";

function upnProblems(object: AdObject): HygieneProblem[] {
  const upn = object.userPrincipalName;
  if (upn === null) {
    if (object.type !== "user") return [];
    return [
      {
        dn: object.dn,
        objectClass: object.type,
        attribute: "userPrincipalName",
        value: "",
        rule: "MissingUserPrincipalName",
        severity: "warning",
        message:
          "the user has no userPrincipalName: Entra Connect builds one from sAMAccountName@<the AD domain's DNS name>, usually a suffix the tenant cannot verify, so the user signs in as <MailNickName>@<tenant>.onmicrosoft.com",
        fix: `give the user a UPN on a verified domain: ${identityArg(object)} -UserPrincipalName <name@verified-domain>`,
        suggested: null,
      },
    ];
  }
  return checkUserPrincipalName(upn).map((found) => {
    const routable = found.rule === "NonRoutableDomain";
    const suggested = routable ? null : suggestUserPrincipalName(upn);
    return problem(
      object,
      "userPrincipalName",
      upn,
      found,
      routable
        ? "the suffix can never be a verified domain, so Entra Connect replaces the UPN with <MailNickName>@<tenant>.onmicrosoft.com and the user signs in with that"
        : REJECTED,
      routable
        ? `add a routable UPN suffix (Get-ADForest | Set-ADForest -UPNSuffixes @{Add='contoso.com'}), verify it in Entra, then ${identityArg(object)} -UserPrincipalName <name@that-suffix>`
        : `${identityArg(object)} -UserPrincipalName ${psQuote(suggested ?? "<a valid UPN>")}`,
      suggested,
    );
  });
}

function mailProblems(object: AdObject): HygieneProblem[] {
  const mail = object.mail;
  if (mail === null) return [];
  return checkMailAddress(mail).map((found) =>
    problem(
      object,
      "mail",
      mail,
      found,
      found.rule === "NonRoutableDomain"
        ? "no tenant can verify that domain, so mail to this address never arrives and Entra Connect drops it from the cloud addresses"
        : found.rule === "Blank"
          ? REJECTED
          : `${REJECTED}; where the object has proxyAddresses the cloud primary comes from them, but mail is still refused`,
      found.rule === "Blank"
        ? `clear it: ${identityArg(object)} -Clear mail`
        : `set a valid address on a verified domain: ${identityArg(object)} -Replace @{mail=<address>}`,
      null,
    ),
  );
}

function nicknameProblems(object: AdObject): HygieneProblem[] {
  const nick = object.mailNickname;
  if (nick === null) return [];
  return checkMailNickname(nick).map((found) => {
    const suggested = suggestMailNickname(nick);
    return problem(
      object,
      "mailNickname",
      nick,
      found,
      `it becomes the cloud MailNickName (the Exchange alias), which Exchange Online refuses: ${REJECTED}`,
      `${identityArg(object)} -Replace @{mailNickname=${psQuote(suggested ?? "<alias>")}} (with on-prem Exchange: ${object.type === "user" ? "Set-RemoteMailbox" : object.type === "group" ? "Set-DistributionGroup" : "Set-MailContact"} -Alias)`,
      suggested,
    );
  });
}

function samProblems(object: AdObject, upnValid: boolean): HygieneProblem[] {
  const sam = object.sAMAccountName;
  if (sam === null || object.type === "contact") return [];
  return checkSamAccountName(sam, object.type).map((found) => {
    const suggested = suggestSamAccountName(sam, object.type);
    // Microsoft: a user with a bad sAMAccountName but a valid UPN is still created in the cloud.
    const harmless = upnValid && object.type === "user";
    return problem(
      object,
      "sAMAccountName",
      sam,
      found,
      harmless
        ? "the user still syncs because its userPrincipalName is valid, but the cloud onPremisesSamAccountName carries the bad value and tools that use it fail"
        : `Entra Connect uses it for onPremisesSamAccountName${object.type === "user" ? " and, without a valid UPN, to build the cloud UPN" : ""}: ${REJECTED}`,
      `rename the account: ${identityArg(object)} -SamAccountName ${psQuote(suggested ?? "<name>")}`,
      suggested,
      harmless ? "warning" : "error",
    );
  });
}

/** `proxies`: the object's proxyAddresses, parsed (parseProxyAddress), in order. */
function proxyProblems(object: AdObject, proxies: readonly ProxyAddress[], out: HygieneProblem[]): void {
  for (const parsed of proxies) {
    const raw = parsed.raw;
    const remove = (): string => `${identityArg(object)} -Remove @{proxyAddresses=${psQuote(raw)}}`;
    if (raw.trim() === "" || (parsed.kind === "other" && !raw.includes(":"))) {
      out.push(
        problem(
          object,
          "proxyAddresses",
          raw,
          { rule: raw.trim() === "" ? "Blank" : "InvalidFormat", detail: "is not of the form TYPE:address" },
          "the proxy calculation discards it, so it never reaches the cloud",
          `remove it: ${remove()}`,
          null,
        ),
      );
      continue;
    }
    if (parsed.kind !== "smtp") continue; // X500:, SIP:, EUM: ... are other systems' formats: left alone (IdFix issue 16)
    for (const found of checkMailAddress(parsed.address))
      out.push(
        problem(
          object,
          "proxyAddresses",
          raw,
          found,
          found.rule === "NonRoutableDomain"
            ? "no tenant can verify that domain, so the proxy calculation drops the address and it never reaches the cloud"
            : `the proxy calculation drops the address, so it never reaches the cloud${parsed.primary ? "; as the primary it leaves the object without its intended primary SMTP address" : ""}`,
          `remove it (${remove()}) or replace it with a valid address on a verified domain`,
          null,
        ),
      );
  }
}

/**
 * Every value problem of one object (duplicates are found across objects, elsewhere), appended to
 * `out`. `proxies`: its proxyAddresses parsed, in order.
 */
export function checkObjectValues(
  object: AdObject,
  proxies: readonly ProxyAddress[],
  out: HygieneProblem[],
): void {
  const upn = upnProblems(object);
  const upnValid = object.userPrincipalName !== null && upn.length === 0;
  out.push(...upn, ...mailProblems(object), ...nicknameProblems(object), ...samProblems(object, upnValid));
  proxyProblems(object, proxies, out);
}
