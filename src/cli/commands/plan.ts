/** `idanchor plan`: load desired -> read AD -> read Entra -> buildPlan -> render. */
import path from "node:path";

import { buildPlan } from "../../plan/index.js";
import type { Plan } from "../../plan/index.js";
import { planJsonChunks, renderPlan } from "../../render/index.js";
import { writeFileAtomic } from "../files.js";
import type { CliContext, OutputFormat } from "../io.js";
import { EXIT, styleFor } from "../io.js";
import { loadValidDesiredState, readLiveState } from "../sources.js";
import type { SourceOptions } from "../sources.js";

export interface PlanCommandOptions extends SourceOptions {
  identities: string;
  format: OutputFormat;
  out?: string;
}

export function planExitCode(plan: Plan): number {
  if (plan.summary.errors > 0) return EXIT.error;
  return plan.summary.changes > 0 ? EXIT.changes : EXIT.ok;
}

export async function runPlan(options: PlanCommandOptions, ctx: CliContext): Promise<number> {
  const desired = await loadValidDesiredState(options.identities, ctx);
  if (!desired) return EXIT.error;
  const live = await readLiveState(desired, options, ctx);
  const plan = buildPlan(desired, live.ad, live.entra);
  if (options.out) {
    await writeFileAtomic(path.resolve(ctx.cwd, options.out), planJsonChunks(plan), options.out);
  }
  ctx.stdout.write(renderPlan(plan, options.format, styleFor(ctx.stdout, ctx.env)));
  return planExitCode(plan);
}
