/**
 * After a reviewed apply, whatever a new plan still wants to write was never reviewed (a second
 * merge, an edit on main, a change in AD or Entra): it is reported and fails the job, unwritten.
 */
import path from "node:path";

import { canonicalJson } from "../../desired/digest.js";
import type { Plan, PlanIdentity } from "../../plan/index.js";
import type { Receipt } from "../../model/receipts.js";
import { writeFileAtomic } from "../files.js";
import type { CliContext } from "../io.js";

export interface Unreviewed {
  identity: PlanIdentity;
  /** Why it counts as unreviewed. */
  why: string;
}

/** Identities of `after` with changes that the reviewed plan did not contain as they are now. */
export function unreviewedPending(reviewed: Plan, after: Plan, receipt: Receipt): Unreviewed[] {
  const byKey = new Map(reviewed.identities.map((identity) => [identity.key, identity]));
  // Refused, conflicting or failed identities are reported by the receipt already.
  const reported = new Set(receipt.objects.filter((o) => o.result !== "applied").map((o) => o.key));
  const out: Unreviewed[] = [];
  for (const identity of after.identities) {
    if (identity.changes.length === 0 || reported.has(identity.key)) continue;
    const was = byKey.get(identity.key);
    if (!was) out.push({ identity, why: "not in the reviewed plan" });
    else if (was.changes.length === 0)
      out.push({ identity, why: "the reviewed plan had nothing to write for it" });
    else if (canonicalJson(was.changes) !== canonicalJson(identity.changes))
      out.push({ identity, why: "its changes are not the reviewed ones" });
  }
  return out;
}

function describe(identity: PlanIdentity): string {
  return identity.changes
    .map((c) => {
      const object = c.target === "ad" ? c.dn : c.objectId;
      const add = c.add.length > 0 ? ` add ${c.add.join(", ")}` : "";
      const remove = c.remove.length > 0 ? ` remove ${c.remove.join(", ")}` : "";
      return `${c.target} ${object} ${c.attribute}:${add}${remove}`;
    })
    .join("; ");
}

/** Prints the unreviewed changes (stderr) and writes them as Markdown to `file` when asked. */
export async function reportUnreviewed(
  unreviewed: readonly Unreviewed[],
  file: string | undefined,
  ctx: CliContext,
): Promise<void> {
  for (const { identity, why } of unreviewed)
    ctx.stderr.write(
      `idanchor: ${identity.key} (${identity.source.file}:${identity.source.line}): pending and not reviewed (${why}), so not written: ${describe(identity)}. Open a pull request so the plan for it is reviewed\n`,
    );
  if (!file) return;
  const lines =
    unreviewed.length === 0
      ? ["**idanchor apply**: nothing is pending that was not reviewed."]
      : [
          `**idanchor apply**: ${unreviewed.length} ${unreviewed.length === 1 ? "identity has" : "identities have"} changes pending that were never reviewed; they were **not written**. Open a pull request (or rerun the plan check) so they are reviewed.`,
          "",
          "| identity | why | pending changes |",
          "|---|---|---|",
          ...unreviewed.map(
            ({ identity, why }) =>
              `| \`${identity.key}\` (${identity.source.file}:${identity.source.line}) | ${why} | ${describe(identity).replace(/\|/g, "\\|")} |`,
          ),
        ];
  await writeFileAtomic(path.resolve(ctx.cwd, file), lines.join("\n") + "\n");
}
