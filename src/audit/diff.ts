/**
 * The differ: two consecutive desired states -> anchor changes. Pure. Identities are compared by
 * key, never by file, so moving an entry to another file or renaming a file is no change.
 */
import { addressKey } from "../address/smtp.js";
import type { AuditField, DesiredSnapshot, FieldChange, IdentitySnapshot } from "../model/audit.js";

function describeIdentity(identity: IdentitySnapshot): string {
  return `${identity.smtp} -> ${identity.cloud}`;
}

function change(
  identity: IdentitySnapshot,
  field: AuditField,
  old: string | null,
  next: string | null,
): FieldChange {
  return { key: identity.key, type: identity.type, field, old, new: next, file: identity.file };
}

function fieldChanges(before: IdentitySnapshot, after: IdentitySnapshot): FieldChange[] {
  const out: FieldChange[] = [];
  // Addresses compare case-insensitively (as Exchange does); a case-only edit is not an anchor change.
  if (addressKey(before.smtp) !== addressKey(after.smtp))
    out.push(change(after, "primary-smtp", before.smtp, after.smtp));
  const beforeAliases = new Set(before.aliases.map(addressKey));
  const afterAliases = new Set(after.aliases.map(addressKey));
  for (const alias of after.aliases)
    if (!beforeAliases.has(addressKey(alias))) out.push(change(after, "alias-added", null, alias));
  for (const alias of before.aliases)
    if (!afterAliases.has(addressKey(alias))) out.push(change(after, "alias-removed", alias, null));
  if (before.cloud.toLowerCase() !== after.cloud.toLowerCase())
    out.push(change(after, "cloud", before.cloud, after.cloud));
  if (before.match !== after.match) out.push(change(after, "match", before.match, after.match));
  if (before.type !== after.type) out.push(change(after, "type", before.type, after.type));
  if (before.rebind !== after.rebind)
    out.push(change(after, "rebind", String(before.rebind), String(after.rebind)));
  return out;
}

/** Changes from `before` to `after`, in the order of `after` (then removals in the order of `before`). */
export function diffSnapshots(before: DesiredSnapshot, after: DesiredSnapshot): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [key, identity] of after) {
    const old = before.get(key);
    if (!old) out.push(change(identity, "identity-added", null, describeIdentity(identity)));
    else out.push(...fieldChanges(old, identity));
  }
  for (const [key, identity] of before)
    if (!after.has(key)) out.push(change(identity, "identity-removed", describeIdentity(identity), null));
  return out;
}

function sameChange(a: FieldChange, b: FieldChange): boolean {
  return (
    a.key.toLowerCase() === b.key.toLowerCase() && a.field === b.field && a.new === b.new && a.old === b.old
  );
}

function sameOutcome(a: FieldChange, b: FieldChange): boolean {
  const value = a.field === "alias-removed" ? a.old : a.new;
  const other = b.field === "alias-removed" ? b.old : b.new;
  return a.key.toLowerCase() === b.key.toLowerCase() && a.field === b.field && value === other;
}

/**
 * A merge commit's own changes: what it made differ from every parent. Changes brought in from a
 * merged branch are reported at the commits that made them, not again at the merge.
 */
export function diffMerge(parents: readonly DesiredSnapshot[], merged: DesiredSnapshot): FieldChange[] {
  const [first, ...others] = parents;
  if (!first) return diffSnapshots(new Map(), merged);
  const fromOthers = others.map((parent) => diffSnapshots(parent, merged));
  return diffSnapshots(first, merged).filter((candidate) =>
    fromOthers.every((list) => list.some((c) => sameOutcome(c, candidate) || sameChange(c, candidate))),
  );
}
