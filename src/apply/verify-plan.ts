/**
 * A plan file is a claim, never an authority: the PR check that made it ran pull-request code, and
 * anyone can edit a JSON file. Before anything is written, every identity of the plan is checked
 * against the checked-out desired state (claimRefusals, before connecting) and against a fresh plan
 * made from a new read of both directories (predictionRefusals). Pure.
 */
import { parseProxyAddress } from "../address/proxy-address.js";
import { addressKey } from "../address/smtp.js";
import type { DesiredIdentity, DesiredState } from "../desired/types.js";
import { dnKey, withinAny } from "../model/dn.js";
import { afterChanges } from "../plan/ad-changes.js";
import { canonicalJson, entryDigest } from "../desired/digest.js";
import type { Change, Plan, PlanIdentity } from "../plan/types.js";

/** The attributes a planned create may carry, per object type; apply never creates anything else. */
const CREATE_ATTRIBUTES: Record<DesiredIdentity["type"], readonly string[]> = {
  user: ["cn", "sAMAccountName", "userPrincipalName", "givenName", "sn", "displayName", "userAccountControl"],
  group: ["cn", "sAMAccountName", "displayName", "groupType"],
  contact: ["cn", "givenName", "sn", "displayName"],
};
/** ACCOUNTDISABLE | NORMAL_ACCOUNT: a created user is disabled and has no password. */
const CREATED_USER_UAC = "514";
/** A universal distribution group. */
const CREATED_GROUP_TYPE = "8";

const inScope = (dn: string, scope: readonly string[]): boolean => {
  try {
    return withinAny(dn, scope);
  } catch {
    return false; // not a DN at all
  }
};
const sameDn = (a: string, b: string): boolean => {
  try {
    return dnKey(a) === dnKey(b);
  } catch {
    return false;
  }
};

function createRefusal(
  change: Extract<Change, { attribute: "objectClass" }>,
  entry: DesiredIdentity,
): string | null {
  if (entry.ad.kind !== "create")
    return "the plan creates an AD object, but the YAML entry has no 'ad: create:'";
  if (!sameDn(change.dn, entry.ad.dn))
    return `the plan creates '${change.dn}', the YAML entry asks for '${entry.ad.dn}'`;
  if (canonicalJson(change.add) !== canonicalJson([entry.type]) || change.remove.length > 0)
    return `the plan creates objectClass ${JSON.stringify(change.add)}, the YAML entry a ${entry.type}`;
  const allowed = CREATE_ATTRIBUTES[entry.type];
  const extra = Object.keys(change.create).filter((name) => !allowed.includes(name));
  if (extra.length > 0)
    return `the plan creates the object with attributes apply never sets (${extra.join(", ")}); only ${allowed.join(", ")} are allowed`;
  if (entry.type === "user" && change.create.userAccountControl !== CREATED_USER_UAC)
    return `the plan creates a user with userAccountControl ${JSON.stringify(change.create.userAccountControl ?? null)}; apply creates users only disabled (${CREATED_USER_UAC})`;
  if (entry.type === "group" && change.create.groupType !== CREATED_GROUP_TYPE)
    return `the plan creates a group with groupType ${JSON.stringify(change.create.groupType ?? null)}; apply creates only universal distribution groups (${CREATED_GROUP_TYPE})`;
  const spec = entry.ad.spec as unknown as Record<string, string | null>;
  for (const [name, value] of Object.entries(change.create)) {
    if (name === "userAccountControl" || name === "groupType") continue;
    if ((spec[name] ?? null) !== value)
      return `the plan creates the object with ${name} ${JSON.stringify(value)}, the YAML entry says ${JSON.stringify(spec[name] ?? null)}`;
  }
  return null;
}

/** Every value an AD change adds must come from the entry (or be the old primary, demoted). */
function addressRefusal(change: Change, entry: DesiredIdentity, identity: PlanIdentity): string | null {
  const wanted = new Set([entry.smtp, ...entry.aliases].map(addressKey));
  const held = new Set(
    (identity.read.ad?.proxyAddresses ?? []).flatMap((raw) => {
      const parsed = parseProxyAddress(raw);
      return parsed.kind === "other" ? [] : [addressKey(parsed.address)];
    }),
  );
  if (change.attribute === "mail") {
    const ok = change.add.length === 1 && addressKey(change.add[0]!) === addressKey(entry.smtp);
    return ok
      ? null
      : `the plan writes mail ${JSON.stringify(change.add)}, the YAML entry's smtp is ${entry.smtp}`;
  }
  for (const raw of change.add) {
    const parsed = parseProxyAddress(raw);
    const fromEntry =
      parsed.kind !== "other" &&
      (parsed.primary
        ? addressKey(parsed.address) === addressKey(entry.smtp)
        : wanted.has(addressKey(parsed.address)) || held.has(addressKey(parsed.address)));
    if (!fromEntry) return `the plan adds the proxy address '${raw}', which the YAML entry does not ask for`;
  }
  return null;
}

function changeRefusal(
  change: Change,
  entry: DesiredIdentity,
  identity: PlanIdentity,
  scope: readonly string[],
): string | null {
  if (change.target === "entra") {
    if (entry.match !== "hard")
      return `the plan writes onPremisesImmutableId in Entra, but the YAML entry is 'match: ${entry.match}'; apply writes an anchor only for 'match: hard'`;
    if (identity.read.entra?.objectId !== change.objectId || identity.targetId !== change.objectId)
      return `the plan writes the anchor of cloud object ${change.objectId}, which is not the one it read for this entry`;
    return null;
  }
  if (!inScope(change.dn, scope))
    return `the plan writes '${change.dn}', outside syncScope (${scope.join("; ")})`;
  if (
    identity.dn === null ||
    !sameDn(change.dn, identity.dn) ||
    !sameDn(change.dn, identity.read.ad?.dn ?? "")
  )
    return `the plan writes '${change.dn}', not the AD object it resolved this entry to`;
  if ((entry.ad.kind === "dn" || entry.ad.kind === "create") && !sameDn(change.dn, entry.ad.dn))
    return `the plan writes '${change.dn}', the YAML entry names '${entry.ad.dn}'`;
  if (change.attribute === "objectClass") return createRefusal(change, entry);
  return addressRefusal(change, entry, identity);
}

/**
 * Identities of the plan that must not be written because the plan does not match the checked-out
 * desired state, keyed by identity key, with the reason. Checked before connecting to anything.
 */
export function claimRefusals(plan: Plan, desired: DesiredState): Map<string, string> {
  const entries = new Map(desired.identities.map((entry) => [entry.key, entry]));
  const scope = desired.settings.activeDirectory.syncScope;
  const refused = new Map<string, string>();
  const seen = new Set<string>();
  for (const identity of plan.identities) {
    if (seen.has(identity.key)) {
      refused.set(
        identity.key,
        "not written: the plan lists this identity twice; plan again instead of editing the file",
      );
      continue;
    }
    seen.add(identity.key);
    if (identity.changes.length === 0) continue;
    const entry = entries.get(identity.key);
    const reason = !entry
      ? "it is in no YAML file of the checked-out desired state"
      : identity.entryDigest === undefined
        ? "the plan does not say which desired entry it was made from (no entryDigest)"
        : identity.entryDigest !== entryDigest(entry)
          ? "its desired entry changed since the plan was made; plan again and have the new plan reviewed"
          : identity.type !== entry.type
            ? `the plan says ${identity.type}, the YAML entry ${entry.type}`
            : identity.changes.map((c) => changeRefusal(c, entry, identity, scope)).find((r) => r !== null);
    if (reason) refused.set(identity.key, `not written: ${reason}`);
  }
  return refused;
}

function blockingCodes(identity: PlanIdentity): string[] {
  return [...new Set(identity.findings.filter((f) => f.severity === "error").map((f) => f.code))];
}

/** What differs between the reviewed prediction and the fresh one, for the message. */
function differences(reviewed: PlanIdentity, fresh: PlanIdentity): string[] {
  const out: string[] = [];
  if (reviewed.outcome !== fresh.outcome) out.push(`outcome ${reviewed.outcome} -> ${fresh.outcome}`);
  if (reviewed.via !== fresh.via) out.push(`match via ${reviewed.via ?? "none"} -> ${fresh.via ?? "none"}`);
  if (reviewed.cloudId !== fresh.cloudId)
    out.push(
      `cloud object ${reviewed.cloudId ?? "none"} -> ${fresh.cloudId ?? "none"}${fresh.cloudName ? ` (${fresh.cloudName})` : ""}`,
    );
  if (reviewed.dn !== fresh.dn) out.push(`AD object ${reviewed.dn ?? "none"} -> ${fresh.dn ?? "none"}`);
  if (fresh.changes.length > 0 && canonicalJson(reviewed.changes) !== canonicalJson(fresh.changes))
    out.push(`changes ${canonicalJson(reviewed.changes)} -> ${canonicalJson(fresh.changes)}`);
  else if (fresh.changes.length > 0 && canonicalJson(reviewed.read) !== canonicalJson(fresh.read))
    out.push(`values read ${canonicalJson(reviewed.read)} -> ${canonicalJson(fresh.read)}`);
  return out;
}

/** The reviewed changes are already in place: the fresh read shows the values they would leave. */
function alreadyInPlace(reviewed: PlanIdentity, fresh: PlanIdentity): boolean {
  const sorted = (values: readonly string[]): string => JSON.stringify([...values].sort());
  const ad = reviewed.read.ad;
  if (reviewed.changes.some((c) => c.target === "ad")) {
    if (!ad || !fresh.read.ad) return false;
    const after = afterChanges(ad, reviewed.changes);
    if (sorted(after.proxyAddresses) !== sorted(fresh.read.ad.proxyAddresses)) return false;
    if ((after.mail ?? null) !== (fresh.read.ad.mail ?? null)) return false;
  }
  return reviewed.changes.every(
    (c) =>
      c.target !== "entra" ||
      (fresh.read.entra?.objectId === c.objectId &&
        fresh.read.entra.onPremisesImmutableId === (c.add[0] ?? null)),
  );
}

/**
 * Identities whose fresh prediction (outcome, cloud object, changes) is not the reviewed one: what
 * the reviewers approved is not what would happen now, so nothing of them is written. An identity
 * whose fresh plan has no changes left is let through only when the live values are what the reviewed
 * changes leave: apply then finds it in its planned state and skips it.
 */
export function predictionRefusals(reviewed: Plan, fresh: Plan): Map<string, string> {
  const now = new Map(fresh.identities.map((identity) => [identity.key, identity]));
  const refused = new Map<string, string>();
  for (const identity of reviewed.identities) {
    if (identity.changes.length === 0) continue;
    const current = now.get(identity.key);
    if (!current) {
      refused.set(identity.key, "not written: a fresh plan has no such identity");
      continue;
    }
    const blocking = blockingCodes(current);
    const diff = differences(identity, current);
    if (current.changes.length === 0 && !alreadyInPlace(identity, current))
      diff.push(
        `a fresh plan has nothing to write, and the live values ${canonicalJson(current.read)} are not what the reviewed changes would leave`,
      );
    if (blocking.length > 0)
      refused.set(identity.key, `not written: a fresh plan has blocking findings (${blocking.join(", ")})`);
    else if (diff.length > 0)
      refused.set(
        identity.key,
        `not written: what the next sync would do changed since the review (${diff.join("; ")}); plan again and have the new plan reviewed`,
      );
  }
  return refused;
}
