/** Semantic rules over the whole desired state: every problem collected, none stops the others. */
import { addressKey, checkSmtpAddress, domainOf } from "../address/smtp.js";
import type { Settings } from "./settings.js";
import type { AdRef, DesiredIdentity, Position, ValidationFinding } from "./types.js";

export function formatPosition(p: Position): string {
  return `${p.file}:${p.line}:${p.column}`;
}

function error(position: Position, code: string, message: string): ValidationFinding {
  return { ...position, severity: "error", code, message };
}

function warning(position: Position, code: string, message: string): ValidationFinding {
  return { ...position, severity: "warning", code, message };
}

/** The first use of an address: who has it, and as what. */
interface AddressUse {
  identity: DesiredIdentity;
  /** -1 for the primary address, else the alias's index. */
  alias: number;
}

const roleOf = (alias: number): string => (alias === -1 ? "primary" : "alias");

/** Where the address stands: worked out only for a finding (the checks pass nearly every address). */
function positionOf(use: AddressUse): Position {
  const { positions } = use.identity;
  return use.alias === -1 ? positions.smtp : (positions.aliases[use.alias] ?? positions.smtp);
}

function checkAddresses(identities: DesiredIdentity[], settings: Settings | undefined): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const verified = settings?.entra.verifiedDomains?.map((d) => d.toLowerCase());
  const firstUse = new Map<string, AddressUse>();
  // One call per address of 100,000 identities: no object is made for one that passes.
  const check = (identity: DesiredIdentity, alias: number, address: string): void => {
    const who = (): string => `${identity.key}: ${roleOf(alias)} address`;
    const problem = checkSmtpAddress(address);
    if (problem) {
      findings.push(error(positionOf({ identity, alias }), problem.code, `${who()}: ${problem.message}`));
      return;
    }
    // A mail contact points outside the organisation: its domain is not expected to be verified.
    if (verified && identity.type !== "contact" && !verified.includes(domainOf(address))) {
      // A warning, as in the plan: the sync drops the address, the object itself still syncs.
      findings.push(
        warning(
          positionOf({ identity, alias }),
          "UnverifiedDomain",
          `${who()} '${address}' is on '${domainOf(address)}', which is not among the tenant's verified domains (${verified.join(", ")}); Entra Connect drops such proxy addresses. Verify the domain in Entra or use an address on a verified domain`,
        ),
      );
    }
    const key = addressKey(address);
    const first = firstUse.get(key);
    if (first) {
      findings.push(
        error(
          positionOf({ identity, alias }),
          "DuplicateInDesiredState",
          `${who()} '${address}' is already the ${roleOf(first.alias)} address of '${first.identity.key}' at ${formatPosition(positionOf(first))}; an address may belong to one object only (AttributeValueMustBeUnique at sync). Remove one of them`,
        ),
      );
    } else {
      firstUse.set(key, { identity, alias });
    }
  };
  for (const identity of identities) {
    check(identity, -1, identity.smtp);
    const { aliases } = identity;
    for (let i = 0; i < aliases.length; i++) check(identity, i, aliases[i]!);
  }
  return findings;
}

function checkUniqueObjects(identities: DesiredIdentity[]): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  // One table per kind of reference: a key is only ever compared with keys of its kind.
  const adSeen = new Map<AdRef["kind"], Map<string, DesiredIdentity>>();
  const cloudSeen = new Map<string, DesiredIdentity>();
  for (const identity of identities) {
    // Spaces around a DN's commas do not make another object (only a DN has commas: the rest skip the regex).
    const lower = identity.key.toLowerCase();
    const adKey = lower.includes(",") ? lower.replace(/\s*,\s*/g, ",") : lower;
    let seen = adSeen.get(identity.ad.kind);
    if (seen === undefined) adSeen.set(identity.ad.kind, (seen = new Map<string, DesiredIdentity>()));
    const adFirst = seen.get(adKey);
    if (adFirst)
      findings.push(
        error(
          identity.positions.ad,
          "DuplicateInDesiredState",
          `AD object '${identity.key}' is already mapped at ${formatPosition(adFirst.positions.ad)}; map each AD object once`,
        ),
      );
    else seen.set(adKey, identity);

    const cloudName = identity.cloud.kind === "upn" ? identity.cloud.upn : identity.cloud.id;
    const cloudKey = cloudName.toLowerCase();
    const cloudFirst = cloudSeen.get(cloudKey);
    if (cloudFirst)
      findings.push(
        error(
          identity.positions.cloud,
          "DuplicateInDesiredState",
          `cloud object '${cloudName}' is already the target of '${cloudFirst.key}' at ${formatPosition(cloudFirst.positions.cloud)}; two on-prem objects cannot join one cloud object`,
        ),
      );
    else cloudSeen.set(cloudKey, identity);
  }
  return findings;
}

function checkMatchStrategies(identities: DesiredIdentity[]): ValidationFinding[] {
  return identities
    .filter((identity) => identity.type !== "user" && identity.match !== "smtp")
    .map((identity) =>
      error(
        identity.source,
        "InvalidMatchStrategy",
        `${identity.key}: match '${identity.match}' applies to users only; a ${identity.type} is matched by its proxy addresses (use match: smtp)`,
      ),
    );
}

/** AD refuses these in a sAMAccountName (MS-ADTS; ADUC says the same when you type one). */
const SAM_FORBIDDEN = /["/\\[\]:;|=,+*?<>@]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The first character of `text` that `pattern` matches, shown so that a newline or escape is visible. */
function shown(text: string, pattern: RegExp): string {
  const c = pattern.exec(text)?.[0] ?? "";
  const hex = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  return CONTROL.test(c) ? `a control character (${hex})` : `'${c}'`;
}

/**
 * Names that AD would refuse, and control characters anywhere in what names the object: they would
 * also reach the PR comment and the terminal (a line break in a key becomes a heading there).
 */
function checkAdNames(identities: DesiredIdentity[]): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const check = (identity: DesiredIdentity, field: string, value: string | null): void => {
    if (value === null) return;
    if (CONTROL.test(value)) {
      findings.push(
        error(
          identity.positions.ad,
          "ControlCharacterInName",
          `ad ${JSON.stringify(identity.key)}: ${field} contains ${shown(value, CONTROL)}; AD names never hold line breaks or control characters, so no object can match it. Write the name on one line, without escape sequences`,
        ),
      );
    } else if (field.endsWith("sAMAccountName") && SAM_FORBIDDEN.test(value)) {
      findings.push(
        error(
          identity.positions.ad,
          "InvalidSamAccountName",
          `ad ${JSON.stringify(identity.key)}: a sAMAccountName cannot contain ${shown(value, SAM_FORBIDDEN)} (AD refuses " / \\ [ ] : ; | = , + * ? < > @), so no object has this name. Use the account's pre-Windows 2000 logon name, or {dn: ...} / {guid: ...}`,
        ),
      );
    }
  };
  for (const identity of identities) {
    const { ad } = identity;
    if (ad.kind === "sam") check(identity, "sAMAccountName", ad.sam);
    else if (ad.kind === "dn") check(identity, "dn", ad.dn);
    else if (ad.kind === "create") {
      const { spec } = ad;
      check(identity, "create.sAMAccountName", spec.sAMAccountName);
      check(identity, "create.ou", spec.ou);
      check(identity, "create.cn", spec.cn);
      check(identity, "create.displayName", spec.displayName);
      check(identity, "create.givenName", spec.givenName);
      check(identity, "create.sn", spec.sn);
      check(identity, "create.userPrincipalName", spec.userPrincipalName);
    }
  }
  return findings;
}

export function checkDesiredState(
  identities: DesiredIdentity[],
  settings: Settings | undefined,
): ValidationFinding[] {
  return [
    ...checkAdNames(identities),
    ...checkAddresses(identities, settings),
    ...checkUniqueObjects(identities),
    ...checkMatchStrategies(identities),
  ];
}
