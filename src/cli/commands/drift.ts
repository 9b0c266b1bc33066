/**
 * `idanchor drift`: live values that differ from what idanchor last wrote (receipts in git notes).
 * Exit 2 drift, 0 none, 1 when a directory could not be read: a failed read is never drift.
 */
import { readReceiptNotes } from "../../apply/git-note.js";
import { buildPlan } from "../../plan/index.js";
import { findDrift } from "../../plan/drift.js";
import { renderDrift } from "../../render/drift.js";
import type { CliContext, OutputFormat } from "../io.js";
import { EXIT, styleFor } from "../io.js";
import type { SourceOptions } from "../sources.js";
import { loadValidDesiredState, readLiveState } from "../sources.js";

export interface DriftCommandOptions extends SourceOptions {
  identities: string;
  format: OutputFormat;
}

export async function runDrift(options: DriftCommandOptions, ctx: CliContext): Promise<number> {
  const desired = await loadValidDesiredState(options.identities, ctx);
  if (!desired) return EXIT.error;
  const receipts = await readReceiptNotes(ctx.cwd);
  const live = await readLiveState(desired, options, ctx);

  const plan = buildPlan(desired, live.ad, live.entra);
  const drift = findDrift(plan, receipts);

  ctx.stdout.write(renderDrift(drift, options.format, styleFor(ctx.stdout, ctx.env)));
  return drift.length > 0 ? EXIT.changes : EXIT.ok;
}
