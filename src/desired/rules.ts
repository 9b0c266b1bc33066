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

interface AddressUse {
  identity: DesiredIdentity;
  role: "primary" | "alias";
  address: string;
  position: Position;
}

function addressUses(identity: DesiredIdentity): AddressUse[] {
  return [
    { identity, role: "primary" as const, address: identity.smtp, position: identity.positions.smtp },
    ...identity.aliases.map((address, i) => ({
      identity,
      role: "alias" as const,
      address,
      position: identity.positions.aliases[i] ?? identity.positions.smtp,
    })),
  ];
}

function checkAddresses(identities: DesiredIdentity[], settings: Settings | undefined): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const verified = settings?.entra.verifiedDomains?.map((d) => d.toLowerCase());
  const firstUse = new Map<string, AddressUse>();
  for (const use of identities.flatMap(addressUses)) {
    const who = `${use.identity.key}: ${use.role} address`;
    const problem = checkSmtpAddress(use.address);
    if (problem) {
      findings.push(error(use.position, problem.code, `${who}: ${problem.message}`));
      continue;
    }
    // A mail contact points outside the organisation: its domain is not expected to be verified.
    if (verified && use.identity.type !== "contact" && !verified.includes(domainOf(use.address))) {
      findings.push(
        error(
          use.position,
          "UnverifiedDomain",
          `${who} '${use.address}' is on '${domainOf(use.address)}', which is not among the tenant's verified domains (${verified.join(", ")}); Entra Connect drops such proxy addresses. Verify the domain in Entra or use an address on a verified domain`,
        ),
      );
    }
    const key = addressKey(use.address);
    const first = firstUse.get(key);
    if (first) {
      findings.push(
        error(
          use.position,
          "DuplicateInDesiredState",
          `${who} '${use.address}' is already the ${first.role} address of '${first.identity.key}' at ${formatPosition(first.position)}; an address may belong to one object only (AttributeValueMustBeUnique at sync). Remove one of them`,
        ),
      );
    } else {
      firstUse.set(key, use);
    }
  }
  return findings;
}

function checkUniqueObjects(identities: DesiredIdentity[]): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const adSeen = new Map<string, DesiredIdentity>();
  const cloudSeen = new Map<string, DesiredIdentity>();
  for (const identity of identities) {
    const adKey = `${identity.ad.kind}:${identity.key.toLowerCase().replace(/\s*,\s*/g, ",")}`;
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

export function checkDesiredState(
  identities: DesiredIdentity[],
  settings: Settings | undefined,
): ValidationFinding[] {
  return [
    ...checkAddresses(identities, settings),
    ...checkUniqueObjects(identities),
    ...checkMatchStrategies(identities),
  ];
}
