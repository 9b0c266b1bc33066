/** The audit: read the history (git I/O), then assemble the report (pure). */
import { assembleAudit } from "./assemble.js";
import type { AuditFilter } from "./assemble.js";
import { readAuditHistory } from "./history.js";
import type { AuditReport } from "../model/audit.js";

export type * from "../model/audit.js";
export type { AuditFilter } from "./assemble.js";
export { assembleAudit, parseDateBound } from "./assemble.js";
export { diffMerge, diffSnapshots } from "./diff.js";
export { readAuditHistory } from "./history.js";

/** The anchor changes in the history of `identities` (a folder relative to cwd) up to HEAD. */
export async function auditHistory(
  cwd: string,
  identities: string,
  filter: AuditFilter,
): Promise<AuditReport> {
  return assembleAudit(await readAuditHistory(cwd, identities), filter);
}
