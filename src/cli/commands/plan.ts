/**
 * `idanchor plan`: load desired -> read AD -> read Entra -> buildPlan -> render. With `--base REF`
 * the desired state at REF is loaded from git too (while the directories are read) and planned
 * against the same live state: one directory read, two plans, one comparison.
 */
import path from "node:path";

import { loadDesiredStateAt } from "../../desired/git-files.js";
import type { DesiredAtCommit } from "../../desired/git-files.js";
import type { DesiredState, ParseCache } from "../../desired/index.js";
import { LiveIndex, buildPlan, compareWithBase } from "../../plan/index.js";
import type { Plan } from "../../plan/index.js";
import { planJsonChunks, planJsonPretty, renderPlan, renderReview } from "../../render/index.js";
import { writeFileAtomic } from "../files.js";
import type { CliContext, OutputFormat } from "../io.js";
import { EXIT, styleFor, writeChunks } from "../io.js";
import { loadValidDesiredState, readLiveState } from "../sources.js";
import type { SourceOptions } from "../sources.js";

export interface PlanCommandOptions extends SourceOptions {
  identities: string;
  format: OutputFormat;
  out?: string;
  /** A git ref or commit: plan it too and show what the change does. */
  base?: string;
}

export function planExitCode(plan: Plan): number {
  if (plan.summary.errors > 0) return EXIT.error;
  return plan.summary.changes > 0 ? EXIT.changes : EXIT.ok;
}

function baseProblem(at: DesiredAtCommit): string | null {
  if (at.result.state) return null;
  const errors = at.result.findings.filter((f) => f.severity === "error").length;
  return `the desired state at the base has ${errors} error(s) (or no Settings), so it could not be planned; every entry counts as added`;
}

/**
 * The plan, with its base comparison when asked for, or null when the desired state is invalid.
 * Its own function so that the desired state, the live state and their index are gone (collectable)
 * once it returns: the output is written from the plan alone.
 */
async function makePlan(options: PlanCommandOptions, ctx: CliContext): Promise<Plan | null> {
  // Files the base shares with the working tree are parsed once (the cache keeps their texts: only then).
  const cache: ParseCache | undefined = options.base !== undefined ? new Map() : undefined;
  const desired = await loadValidDesiredState(options.identities, ctx, cache);
  if (!desired) return null;
  // The base is read from git while the directories are read (live, that is network time).
  const baseRead =
    options.base !== undefined ? loadDesiredStateAt(options.base, options.identities, ctx.cwd, cache) : null;
  baseRead?.catch(() => undefined);
  const live = await readLiveState(desired, options, ctx);
  // Indexed once: the base is planned against the same tables.
  const index = new LiveIndex(live.ad, live.entra);
  const plan = buildPlan(desired, live.ad, live.entra, index);
  if (baseRead !== null && options.base !== undefined) {
    const at = await baseRead;
    const problem = baseProblem(at);
    if (problem !== null) ctx.stderr.write(`idanchor: --base ${options.base}: ${problem}\n`);
    const baseDesired: DesiredState | null = at.result.state;
    plan.base = compareWithBase({
      ref: options.base,
      commit: at.commit,
      base: baseDesired
        ? {
            desired: baseDesired,
            plan: buildPlan(baseDesired, live.ad, live.entra, index),
          }
        : null,
      problem,
      head: { desired, plan },
      live: index,
    });
  }
  return plan;
}

export async function runPlan(options: PlanCommandOptions, ctx: CliContext): Promise<number> {
  const plan = await makePlan(options, ctx);
  if (plan === null) return EXIT.error;
  if (options.out) {
    await writeFileAtomic(path.resolve(ctx.cwd, options.out), planJsonChunks(plan), options.out);
  }
  const style = styleFor(ctx.stdout, ctx.env);
  // JSON holds every identity: written in pieces, never as one text (100k identities: ~150 MB).
  if (options.format === "json") await writeChunks(ctx.stdout, planJsonPretty(plan));
  else
    ctx.stdout.write(
      plan.base !== undefined
        ? renderReview(plan, options.format, style)
        : renderPlan(plan, options.format, style),
    );
  return planExitCode(plan);
}
