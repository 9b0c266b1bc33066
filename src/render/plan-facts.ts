/** Helpers every plan view shares: the counts (defined in plan/), warnings grouped by code, locations. Pure. */
import type { PlanCounts, PlanFinding, PlanIdentity } from "../plan/types.js";

export { countPlan, hasBlockingError, isQuiet, shownOutcome } from "../plan/counts.js";
export type { PlanCounts } from "../plan/types.js";

export function changesSentence(counts: PlanCounts): string {
  const withheld =
    counts.withheld > 0
      ? `, ${counts.withheld.toLocaleString("en-US")} withheld (they belong to blocked identities)`
      : "";
  return `${counts.written.toLocaleString("en-US")} change(s) will be written${withheld}`;
}

export interface WarningGroup {
  code: string;
  /** The first finding, as an example of the message and its fix. */
  example: PlanFinding;
  identities: PlanIdentity[];
}

/** Warnings of the identities, grouped by code, largest group first. */
export function warningGroups(identities: readonly PlanIdentity[]): WarningGroup[] {
  const groups = new Map<string, WarningGroup>();
  for (const identity of identities)
    for (const finding of identity.findings) {
      if (finding.severity !== "warning") continue;
      const group = groups.get(finding.code);
      if (!group) groups.set(finding.code, { code: finding.code, example: finding, identities: [identity] });
      else if (group.identities[group.identities.length - 1] !== identity) group.identities.push(identity);
    }
  return [...groups.values()].sort((a, b) => b.identities.length - a.identities.length);
}

export function locationOf(identity: { source: PlanIdentity["source"] }): string {
  return identity.source.line > 0 ? `${identity.source.file}:${identity.source.line}` : identity.source.file;
}

/** A warning code on more identities than this is said once, in the warnings by code, not per identity. */
export const REPEATED = 3;

export function repeatedCodes(identities: readonly PlanIdentity[]): Set<string> {
  return new Set(
    warningGroups(identities)
      .filter((g) => g.identities.length > REPEATED)
      .map((g) => g.code),
  );
}
