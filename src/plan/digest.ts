/** The digest of what a plan writes: the changes per object, not the rendered text. */
import { ListDigest } from "../desired/digest.js";
import type { PlanIdentity } from "./types.js";

/** The write digest, taken identity by identity in plan order: the changes of every identity that has some. */
export class WriteDigest {
  private readonly list = new ListDigest();

  add(identity: PlanIdentity): void {
    if (identity.changes.length > 0) this.list.add({ key: identity.key, changes: identity.changes });
  }

  digest(): string {
    return this.list.digest();
  }
}
