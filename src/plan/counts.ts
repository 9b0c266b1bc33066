/**
 * The counts every view shows, defined once so that none misleads: an identity with a blocking
 * error counts as blocked whatever its predicted outcome (apply writes nothing for it), and its
 * changes count as withheld, not as changes that will be written. Pure.
 */
import type { Outcome, Plan, PlanCounts, PlanIdentity } from "./types.js";
import { OUTCOMES } from "./types.js";

export const hasBlockingError = (identity: PlanIdentity): boolean =>
  identity.findings.some((f) => f.severity === "error");

/** The group a view lists the identity under. */
export function shownOutcome(identity: PlanIdentity): Outcome {
  return hasBlockingError(identity) ? "blocked" : identity.outcome;
}

/** Nothing to write and nothing to say: such identities are counted, not listed. */
export const isQuiet = (identity: PlanIdentity): boolean =>
  identity.changes.length === 0 && identity.findings.length === 0;

export function countPlan(plan: Pick<Plan, "identities" | "summary">): PlanCounts {
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  let written = 0;
  let withheld = 0;
  let quiet = 0;
  for (const identity of plan.identities) {
    outcomes[shownOutcome(identity)] += 1;
    if (hasBlockingError(identity)) withheld += identity.changes.length;
    else written += identity.changes.length;
    if (isQuiet(identity)) quiet++;
  }
  return {
    identities: plan.identities.length,
    outcomes,
    written,
    withheld,
    errors: plan.summary.errors,
    warnings: plan.summary.warnings,
    quiet,
  };
}
