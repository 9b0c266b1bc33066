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

const NO_READ: PlanIdentity["read"] = Object.freeze({ ad: null, entra: null });

/**
 * Identities as the views (markdown, text) keep them while a plan streams past: what they show
 * and no more. The read values and the entry digest (the plan file's, not the views') are left
 * out, and once a warning code is on more than REPEATED identities, which makes the views say it
 * by code only, its later findings keep their code and severity without the message and fix.
 */
export class ViewIdentities {
  readonly kept: PlanIdentity[] = [];
  /** Warning code -> identities seen with it (counted up to REPEATED + 1). */
  private readonly warned = new Map<string, number>();

  add(identity: PlanIdentity): void {
    let findings = identity.findings;
    const codes = new Set<string>();
    for (const f of identity.findings) if (f.severity === "warning") codes.add(f.code);
    const repeated = new Set<string>();
    for (const code of codes) {
      const seen = (this.warned.get(code) ?? 0) + 1;
      if (seen <= REPEATED + 1) this.warned.set(code, seen);
      else repeated.add(code);
    }
    if (repeated.size > 0)
      findings = identity.findings.map((f) =>
        f.severity === "warning" && repeated.has(f.code)
          ? { severity: f.severity, code: f.code, message: "", fix: "" }
          : f,
      );
    this.kept.push({ ...identity, read: NO_READ, entryDigest: undefined, sourceAnchor: undefined, findings });
  }
}
