/**
 * Every address may belong to one entry only (validate: DuplicateInDesiredState; the sync:
 * AttributeValueMustBeUnique). Resolves clashes between proposals without guessing. Pure.
 */
import { addressKey } from "../address/smtp.js";
import type { DesiredIdentity } from "../desired/types.js";
import type { ImportEntry, Proposal } from "./types.js";

type Mapped = Extract<Proposal, { entry: ImportEntry }>;

function hasEntry(p: Proposal): p is Mapped {
  return p.kind !== "undecided";
}

/** Primaries first: a clash between two primaries is a conflict (a joined object keeps its own); then aliases are dropped. */
export function settleAddresses(
  proposals: readonly Proposal[],
  existing: readonly DesiredIdentity[],
): Proposal[] {
  const existingOwner = new Map<string, string>();
  for (const identity of existing)
    for (const address of [identity.smtp, ...identity.aliases])
      existingOwner.set(addressKey(address), identity.key);

  const byPrimary = new Map<string, Mapped[]>();
  for (const p of proposals.filter(hasEntry))
    byPrimary.set(addressKey(p.entry.smtp), [...(byPrimary.get(addressKey(p.entry.smtp)) ?? []), p]);

  const demoted = new Map<Mapped, string>();
  for (const [key, owners] of byPrimary) {
    const inDesired = existingOwner.get(key);
    const joined = owners.filter((p) => p.kind === "joined");
    for (const p of owners) {
      if (inDesired)
        demoted.set(p, `its address ${p.entry.smtp} is already used by '${inDesired}' in the desired state`);
      else if (owners.length > 1 && !(joined.length === 1 && joined[0] === p)) {
        const others = owners.filter((o) => o !== p).map((o) => o.ad.name);
        demoted.set(p, `its address ${p.entry.smtp} would also be the primary of ${others.join(", ")}`);
      }
    }
  }

  const settled = proposals.map((p): Proposal => {
    if (!hasEntry(p) || !demoted.has(p)) return p;
    const candidates = p.kind === "proposed" ? [p.candidate] : [];
    return {
      kind: "undecided",
      ad: p.ad,
      reason: "conflict",
      candidates,
      notes: [...p.notes, demoted.get(p)!],
    };
  });

  const primaries = new Map<string, string>();
  const aliasUses = new Map<string, number>();
  for (const p of settled.filter(hasEntry)) {
    primaries.set(addressKey(p.entry.smtp), p.ad.name);
    for (const alias of p.entry.aliases)
      aliasUses.set(addressKey(alias), (aliasUses.get(addressKey(alias)) ?? 0) + 1);
  }
  return settled.map((p): Proposal => {
    if (!hasEntry(p)) return p;
    const notes = [...p.notes];
    const aliases = p.entry.aliases.filter((alias) => {
      const key = addressKey(alias);
      const owner = existingOwner.get(key) ?? primaries.get(key);
      const why = owner
        ? `it belongs to '${owner}'`
        : (aliasUses.get(key) ?? 0) > 1
          ? "another imported object has it too"
          : null;
      if (why) notes.push(`left out alias ${alias}: ${why}; decide who keeps it`);
      return why === null;
    });
    return { ...p, entry: { ...p.entry, aliases }, notes };
  });
}
