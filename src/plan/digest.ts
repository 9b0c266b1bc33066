/** The digest of what a plan writes: the changes per object, not the rendered text. */
import { digestOf } from "../desired/digest.js";
import type { PlanIdentity } from "./types.js";

/** What the plan would write, object by object: the changes of every identity that has some. */
export function writeDigest(identities: readonly PlanIdentity[]): string {
  const writes = identities
    .filter((identity) => identity.changes.length > 0)
    .map((identity) => ({ key: identity.key, changes: identity.changes }));
  return digestOf(writes);
}
