/** The digest of what a plan writes: the changes per object, not the rendered text. */
import { digestOfList } from "../desired/digest.js";
import type { PlanIdentity } from "./types.js";

function* writesOf(identities: readonly PlanIdentity[]): Generator<{ key: string; changes: unknown }> {
  for (const identity of identities)
    if (identity.changes.length > 0) yield { key: identity.key, changes: identity.changes };
}

/** What the plan would write, object by object: the changes of every identity that has some. */
export function writeDigest(identities: readonly PlanIdentity[]): string {
  return digestOfList(writesOf(identities));
}
