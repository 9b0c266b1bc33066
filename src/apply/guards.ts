/** Checks made before anything is written. Pure. */
import type { Plan, PlanIdentity } from "../plan/types.js";

export interface GuardOptions {
  maxChangesPerApply: number;
  /** --allow-mass-change N: up to N object changes allowed in this run. */
  allowMassChange: number | null;
}

/** Why this identity must not be written, or null when it may be. */
export function identityRefusal(identity: PlanIdentity): string | null {
  const errors = identity.findings.filter((f) => f.severity === "error").map((f) => f.code);
  if (errors.length > 0) return `not written: blocking findings (${[...new Set(errors)].join(", ")})`;
  // Since July 2026 Entra refuses to change an existing anchor (DESIGN 2b); a plan from before says so too.
  if (identity.changes.some((c) => c.target === "entra" && c.remove.length > 0))
    return "not written: it would replace an existing onPremisesImmutableId, which Entra refuses since July 2026 (HardMatchRemapBlocked: Hard match operation blocked due to security hardening)";
  if (identity.outcome === "joined" && identity.changes.some((c) => c.target === "entra") && !identity.rebind)
    return "not written: the object is joined, and this change would alter the anchor it joined on; set 'rebind: true' in the YAML if that is really intended";
  return null;
}

/** One object an identity's changes write: an AD DN or an Entra object id. */
export interface PlannedWrite {
  target: "ad" | "entra";
  object: string;
}

/** The objects an identity's changes write, each once, in the order of its changes. */
export function writesOf(identity: PlanIdentity): PlannedWrite[] {
  const objects = new Map<string, PlannedWrite>();
  for (const change of identity.changes) {
    const write: PlannedWrite =
      change.target === "ad"
        ? { target: "ad", object: change.dn }
        : { target: "entra", object: change.objectId };
    objects.set(`${write.target}:${write.object}`, write);
  }
  return [...objects.values()];
}

/** The objects the apply would write: those of every identity the guards let through. */
export function objectsToWrite(plan: Plan): string[] {
  const objects = new Set<string>();
  for (const identity of plan.identities) {
    if (identityRefusal(identity)) continue;
    for (const write of writesOf(identity)) objects.add(`${write.target}:${write.object}`);
  }
  return [...objects];
}

/** A refusal of the whole apply, or null. */
export function massChangeRefusal(plan: Plan, options: GuardOptions): string | null {
  const count = objectsToWrite(plan).length;
  const limit = options.allowMassChange ?? options.maxChangesPerApply;
  if (count <= limit) return null;
  return options.allowMassChange !== null
    ? `the plan changes ${count} objects, more than --allow-mass-change ${options.allowMassChange} allows; nothing was written`
    : `the plan changes ${count} objects, more than policy.maxChangesPerApply (${options.maxChangesPerApply}); nothing was written. Review it and rerun with --allow-mass-change ${count} if it is intended`;
}
