/** Semantic rules over the whole desired state: every problem collected, none stops the others. */
import { addressKey, checkSmtpAddress, domainOf } from "../address/smtp.js";
import type { Settings } from "./settings.js";
import type { DesiredIdentity, Position, ValidationFinding } from "./types.js";

export function formatPosition(p: Position): string {
  return `${p.file}:${p.line}:${p.column}`;
}

function error(position: Position, code: string, message: string): ValidationFinding {
  return { ...position, severity: "error", code, message };
}

function warning(position: Position, code: string, message: string): ValidationFinding {
  return { ...position, severity: "warning", code, message };
}

interface AddressUse {
  identity: DesiredIdentity;
  role: "primary" | "alias";
  address: string;
  /** Where it stands: worked out only for a finding (the checks pass nearly every address). */
  position: () => Position;
}

function checkAddresses(identities: DesiredIdentity[], settings: Settings | undefined): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const verified = settings?.entra.verifiedDomains?.map((d) => d.toLowerCase());
  const firstUse = new Map<string, AddressUse>();
  const check = (use: AddressUse): void => {
    const who = (): string => `${use.identity.key}: ${use.role} address`;
    const problem = checkSmtpAddress(use.address);
    if (problem) {
      findings.push(error(use.position(), problem.code, `${who()}: ${problem.message}`));
      return;
    }
    // A mail contact points outside the organisation: its domain is not expected to be verified.
    if (verified && use.identity.type !== "contact" && !verified.includes(domainOf(use.address))) {
      // A warning, as in the plan: the sync drops the address, the object itself still syncs.
      findings.push(
        warning(
          use.position(),
          "UnverifiedDomain",
          `${who()} '${use.address}' is on '${domainOf(use.address)}', which is not among the tenant's verified domains (${verified.join(", ")}); Entra Connect drops such proxy addresses. Verify the domain in Entra or use an address on a verified domain`,
        ),
      );
    }
    const key = addressKey(use.address);
    const first = firstUse.get(key);
    if (first) {
      findings.push(
        error(
          use.position(),
          "DuplicateInDesiredState",
          `${who()} '${use.address}' is already the ${first.role} address of '${first.identity.key}' at ${formatPosition(first.position())}; an address may belong to one object only (AttributeValueMustBeUnique at sync). Remove one of them`,
        ),
      );
    } else {
      firstUse.set(key, use);
    }
  };
  for (const identity of identities) {
    const { positions } = identity;
    check({ identity, role: "primary", address: identity.smtp, position: () => positions.smtp });
    identity.aliases.forEach((address, i) =>
      check({
        identity,
        role: "alias",
        address,
        position: () => positions.aliases[i] ?? positions.smtp,
      }),
    );
  }
  return findings;
}

function checkUniqueObjects(identities: DesiredIdentity[]): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const adSeen = new Map<string, DesiredIdentity>();
  const cloudSeen = new Map<string, DesiredIdentity>();
  for (const identity of identities) {
    // Spaces around a DN's commas do not make another object (only a DN has commas: the rest skip the regex).
    const lower = identity.key.toLowerCase();
    const adKey = `${identity.ad.kind}:${lower.includes(",") ? lower.replace(/\s*,\s*/g, ",") : lower}`;
    const adFirst = adSeen.get(adKey);
    if (adFirst)
      findings.push(
        error(
          identity.positions.ad,
          "DuplicateInDesiredState",
          `AD object '${identity.key}' is already mapped at ${formatPosition(adFirst.positions.ad)}; map each AD object once`,
        ),
      );
    else adSeen.set(adKey, identity);

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
  for (const identity of identities) {
    const label = JSON.stringify(identity.key);
    const names: [string, string][] = [];
    if (identity.ad.kind === "sam") names.push(["sAMAccountName", identity.ad.sam]);
    if (identity.ad.kind === "dn") names.push(["dn", identity.ad.dn]);
    if (identity.ad.kind === "create") {
      const { spec } = identity.ad;
      if (spec.sAMAccountName !== null) names.push(["create.sAMAccountName", spec.sAMAccountName]);
      for (const [field, value] of [
        ["create.ou", spec.ou],
        ["create.cn", spec.cn],
        ["create.displayName", spec.displayName],
        ["create.givenName", spec.givenName],
        ["create.sn", spec.sn],
        ["create.userPrincipalName", spec.userPrincipalName],
      ] as const)
        if (value !== null) names.push([field, value]);
    }
    for (const [field, value] of names) {
      if (CONTROL.test(value)) {
        findings.push(
          error(
            identity.positions.ad,
            "ControlCharacterInName",
            `ad ${label}: ${field} contains ${shown(value, CONTROL)}; AD names never hold line breaks or control characters, so no object can match it. Write the name on one line, without escape sequences`,
          ),
        );
      } else if (field.endsWith("sAMAccountName") && SAM_FORBIDDEN.test(value)) {
        findings.push(
          error(
            identity.positions.ad,
            "InvalidSamAccountName",
            `ad ${label}: a sAMAccountName cannot contain ${shown(value, SAM_FORBIDDEN)} (AD refuses " / \\ [ ] : ; | = , + * ? < > @), so no object has this name. Use the account's pre-Windows 2000 logon name, or {dn: ...} / {guid: ...}`,
          ),
        );
      }
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
