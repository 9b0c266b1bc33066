/**
 * `hygiene` as a pure stage after the directory readers: every user, group and contact in the sync
 * scope, mapped in the YAML or not, checked for what makes the next sync fail or quarantine it.
 * No I/O, no clock: AD (and, where read, Entra) state in, a report out.
 */
import { parseProxyAddress } from "../address/proxy-address.js";
import type { AdObject, AdState, EntraState } from "../model/directory.js";
import { sourceAnchorOf } from "../plan/sync-object.js";
import type { SyncRules } from "../plan/sync-object.js";
import { entraDuplicates, repeatedAddresses, sharedValues, targetKeysOf } from "./duplicates.js";
import { KeyMap, KeyTable } from "./key-table.js";
import type { TargetKeys } from "./duplicates.js";
import { checkObjectValues } from "./object-rules.js";
import { inSyncScopeObjects } from "./scope.js";
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

/**
 * Problems grouped by object, objects in directory order, each object's problems in the order
 * they were found: a stable sort by `rank[owner]`, done by counting (linear).
 */
function byObject(
  problems: readonly HygieneProblem[],
  owners: readonly number[],
  rank: Int32Array,
): HygieneProblem[] {
  const starts = new Int32Array(rank.length + 1);
  for (const owner of owners) starts[rank[owner]! + 1]! += 1;
  for (let i = 1; i < starts.length; i++) starts[i]! += starts[i - 1]!;
  const sorted = new Array<HygieneProblem>(problems.length);
  problems.forEach((problem, i) => {
    sorted[starts[rank[owners[i]!]!]!++] = problem;
  });
  return sorted;
}

/**
 * `rules`: the Settings' sync scope and source anchor attribute, which decide what the sync reads.
 * One pass over the objects (each object's proxyAddresses parsed once, then dropped), then the
 * passes across objects over the table of their values.
 */
export function checkHygiene(ad: AdState, entra: EntraState | null, rules: SyncRules): HygieneReport {
  const inScope = inSyncScopeObjects(ad.objects, rules.syncScope);
  const checked = inScope.filter(isExportedByConnect);
  // An object's place in the report is that of the last checked object with its DN (DNs are unique).
  const order = new Map(checked.map((object, i) => [object.dn, i]));
  const rank = Int32Array.from(checked, (object) => order.get(object.dn)!);
  const problems: HygieneProblem[] = [];
  const owners: number[] = [];
  const emit = (problem: HygieneProblem, owner: number): void => {
    problems.push(problem);
    owners.push(owner);
  };
  const table = new KeyTable();
  const seen = new KeyMap<string>();
  const targetKeys: TargetKeys[] = [];
  // Kind by kind (values, addresses repeated on one object, shared values, clashes with the cloud):
  // objects that share a DN keep that order between them too.
  const repeated: HygieneProblem[] = [];
  const repeatedOwners: number[] = [];
  checked.forEach((object, owner) => {
    const proxies = object.proxyAddresses.map(parseProxyAddress);
    const before = problems.length;
    checkObjectValues(object, proxies, problems);
    for (let i = before; i < problems.length; i++) owners.push(owner);
    if (proxies.length > 1)
      repeatedAddresses(object, proxies, seen, (problem) => {
        repeated.push(problem);
        repeatedOwners.push(owner);
      });
    const filed = table.addObject(owner, object, proxies);
    if (entra)
      targetKeys.push(
        targetKeysOf(object, proxies, filed, sourceAnchorOf(object, rules.sourceAnchor), entra.features),
      );
  });
  repeated.forEach((problem, i) => emit(problem, repeatedOwners[i]!));
  sharedValues(checked, table, emit);
  if (entra) entraDuplicates(checked, targetKeys, table, entra, emit);
  const sorted = byObject(problems, owners, rank);
  return {
    version: 1,
    problems: sorted,
    summary: summarize(sorted, {
      objects: ad.objects.length,
      checked: checked.length,
      excluded: inScope.length - checked.length,
      cloudObjects: entra ? entra.users.length + entra.groups.length + entra.contacts.length : null,
    }),
  };
}
