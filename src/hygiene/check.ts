/**
 * `hygiene` as a pure stage after the directory readers: every user, group and contact in the sync
 * scope, mapped in the YAML or not, checked for what makes the next sync fail or quarantine it.
 * No I/O, no clock: AD (and, where read, Entra) state in, a report out.
 */
import type { AdObject, AdState, EntraState } from "../model/directory.js";
import { toSyncObjects } from "../plan/sync-object.js";
import type { SyncRules } from "../plan/sync-object.js";
import { adDuplicates, entraDuplicates, keysOf } from "./duplicates.js";
import { checkObjectValues } from "./object-rules.js";
import type { HygieneProblem, HygieneReport, HygieneRule, HygieneSummary } from "./types.js";

/**
 * Objects Entra Connect never exports (its default configuration: its own service accounts, the
 * built-in accounts marked isCriticalSystemObject, Exchange's system mailboxes) and objects AD
 * renamed after a replication conflict (`\0ACNF:` in the name): checking them only adds noise.
 */
const NOT_EXPORTED_SAM =
  /^(AAD_|MSOL_|SystemMailbox\{|DiscoverySearchMailbox|FederatedEmail\.|HealthMailbox|CAS_\{|Migration\.)/i;
const BUILT_IN = new Set(["administrator", "guest", "krbtgt", "defaultaccount"]);

export function isExportedByConnect(object: AdObject): boolean {
  const sam = object.sAMAccountName ?? "";
  if (NOT_EXPORTED_SAM.test(sam) || BUILT_IN.has(sam.toLowerCase())) return false;
  if (sam.endsWith("$")) return false; // machine and trust accounts
  return !/\\0ACNF:/i.test(object.dn) && !object.dn.includes("\nCNF:");
}

function summarize(
  problems: readonly HygieneProblem[],
  counts: Pick<HygieneSummary, "objects" | "checked" | "excluded" | "cloudObjects">,
): HygieneSummary {
  const byRule: Partial<Record<HygieneRule, number>> = {};
  let errors = 0;
  for (const p of problems) {
    byRule[p.rule] = (byRule[p.rule] ?? 0) + 1;
    if (p.severity === "error") errors++;
  }
  return { ...counts, problems: problems.length, errors, warnings: problems.length - errors, byRule };
}

/** `rules`: the Settings' sync scope and source anchor attribute, which decide what the sync reads. */
export function checkHygiene(ad: AdState, entra: EntraState | null, rules: SyncRules): HygieneReport {
  const inScope = toSyncObjects(ad, rules).filter((o) => o.inSyncScope);
  const checked = inScope.filter(isExportedByConnect);
  const order = new Map(checked.map((o, i) => [o.dn, i]));
  const keyed = checked.map((object) => ({ object, keys: keysOf(object) }));
  const problems = [
    ...checked.flatMap(checkObjectValues),
    ...adDuplicates(keyed),
    ...(entra ? entraDuplicates(keyed, entra) : []),
  ];
  // One object's problems together, objects in directory order (the sort is stable).
  problems.sort((a, b) => (order.get(a.dn) ?? 0) - (order.get(b.dn) ?? 0));
  return {
    version: 1,
    problems,
    summary: summarize(problems, {
      objects: ad.objects.length,
      checked: checked.length,
      excluded: inScope.length - checked.length,
      cloudObjects: entra ? entra.users.length + entra.groups.length + entra.contacts.length : null,
    }),
  };
}
