/**
 * `idanchor plan`: load desired -> read AD -> read Entra -> plan -> render. Without --base the
 * plan is made identity by identity and written as it is made (streamPlan): JSON to stdout and
 * the plan file never hold the whole plan. With `--base REF` the desired state at REF is loaded
 * from git too (while the directories are read) and planned against the same live state: one
 * directory read, two plans, one comparison.
 */
import path from "node:path";

import { loadDesiredStateAt } from "../../desired/git-files.js";
import type { DesiredAtCommit } from "../../desired/git-files.js";
import type { DesiredState, ParseCache } from "../../desired/index.js";
import { LiveIndex, buildPlan, compareWithBase, liveIndexFor, streamPlan } from "../../plan/index.js";
import type { Plan, PlanIdentity, PlanRest, PlanStream } from "../../plan/index.js";
import type { PlanJsonWriter } from "../../render/index.js";
import {
  compactPlanJson,
  planJsonChunks,
  planJsonPretty,
  prettyPlanJson,
  renderPlan,
  ViewIdentities,
  renderReview,
} from "../../render/index.js";
import { fileWriter, openAtomicFile, writeFileAtomic } from "../files.js";
import type { BatchedWriter, CliContext, OutputFormat } from "../io.js";
import { EXIT, streamWriter, styleFor, writeChunks } from "../io.js";
import { releaseStage } from "../memory.js";
import { loadAndRead } from "../sources.js";
import type { SourceOptions } from "../sources.js";

export interface PlanCommandOptions extends SourceOptions {
  identities: string;
  format: OutputFormat;
  out?: string;
  /** A git ref or commit: plan it too and show what the change does. */
  base?: string;
}

export function planExitCode(plan: Pick<Plan, "summary">): number {
  if (plan.summary.errors > 0) return EXIT.error;
  return plan.summary.changes > 0 ? EXIT.changes : EXIT.ok;
}

function baseProblem(at: DesiredAtCommit): string | null {
  if (at.result.state) return null;
  const errors = at.result.findings.filter((f) => f.severity === "error").length;
  return `the desired state at the base has ${errors} error(s) (or no Settings), so it could not be planned; every entry counts as added`;
}

/**
 * The plan without --base, made identity by identity as the outputs take them. Its own function:
 * once it returns, what the stream does not need is collectable.
 */
async function makePlanStream(options: PlanCommandOptions, ctx: CliContext): Promise<PlanStream | null> {
  const loaded = await loadAndRead(options.identities, options, ctx);
  if (!loaded) return null;
  const { desired, live } = loaded;
  // The tables first, then the entries resolved against them: what each took goes before the next.
  const index = liveIndexFor(desired, live.ad, live.entra);
  releaseStage();
  const stream = streamPlan(desired, live.ad, live.entra, index);
  releaseStage();
  return stream;
}

/**
 * `plan --base REF`: the working tree's plan with its base comparison (both plans whole, in
 * memory: the comparison needs them), or null when the desired state is invalid. Its own function
 * so that the desired state, the live state and their index are collectable once it returns.
 */
async function makeReviewPlan(
  options: PlanCommandOptions & { base: string },
  ctx: CliContext,
): Promise<Plan | null> {
  // Files the base shares with the working tree are parsed once (the cache keeps their texts: only then).
  const cache: ParseCache = new Map();
  // The base is read from git while the directories are read (live, that is network time).
  const base: { read?: Promise<DesiredAtCommit> } = {};
  const loaded = await loadAndRead(options.identities, options, ctx, cache, () => {
    base.read = loadDesiredStateAt(options.base, options.identities, ctx.cwd, cache);
    base.read.catch(() => undefined);
  });
  const baseRead = base.read;
  if (!loaded || !baseRead) return null;
  const { desired, live } = loaded;
  // Indexed once: the base is planned against the same tables.
  const index = new LiveIndex(live.ad, live.entra);
  const plan = buildPlan(desired, live.ad, live.entra, index);
  const at = await baseRead;
  const problem = baseProblem(at);
  if (problem !== null) ctx.stderr.write(`idanchor: --base ${options.base}: ${problem}\n`);
  const baseDesired: DesiredState | null = at.result.state;
  plan.base = compareWithBase({
    ref: options.base,
    commit: at.commit,
    base: baseDesired
      ? { desired: baseDesired, plan: buildPlan(baseDesired, live.ad, live.entra, index) }
      : null,
    problem,
    head: { desired, plan },
    live: index,
  });
  return plan;
}

/** One identity in a plan's JSON: its separator and its text as two pieces (see PlanJsonWriter). */
async function addIdentity(
  out: BatchedWriter,
  json: PlanJsonWriter,
  identity: PlanIdentity,
  index: number,
): Promise<void> {
  await out.add(json.separator(index));
  await out.add(json.identity(identity));
}

/**
 * Every output of a plan made without --base, in one pass over its identities: the JSON on
 * stdout and the plan file are written as each identity is planned, and only a view that needs
 * them all (markdown, text) keeps them. The plan file is opened first, so that a --out that
 * cannot be written fails before anything is written.
 */
async function writePlanOutputs(
  stream: PlanStream,
  options: PlanCommandOptions,
  ctx: CliContext,
): Promise<{ rest: PlanRest; identities: PlanIdentity[] }> {
  const out = options.out ? await openAtomicFile(path.resolve(ctx.cwd, options.out), options.out) : null;
  try {
    const stdout = options.format === "json" ? streamWriter(ctx.stdout) : null;
    const file = out ? fileWriter(out) : null;
    // Markdown and text need every identity at the end, as the views show them.
    const view = options.format !== "json" ? new ViewIdentities() : null;
    await stdout?.add(prettyPlanJson.start(stream.version));
    await file?.add(compactPlanJson.start(stream.version));
    let count = 0;
    for (const identity of stream.identities) {
      if (stdout?.open) await addIdentity(stdout, prettyPlanJson, identity, count);
      if (file) await addIdentity(file, compactPlanJson, identity, count);
      view?.add(identity);
      count++;
    }
    const rest = stream.rest();
    if (out && file) {
      await file.add(compactPlanJson.end(rest, count));
      await file.flush();
      await out.commit();
    }
    if (stdout?.open) {
      await stdout.add(prettyPlanJson.end(rest, count));
      await stdout.flush();
    }
    return { rest, identities: view?.kept ?? [] };
  } catch (error) {
    await out?.discard();
    throw error;
  }
}

export async function runPlan(options: PlanCommandOptions, ctx: CliContext): Promise<number> {
  const { base } = options;
  if (base === undefined) {
    const stream = await makePlanStream(options, ctx);
    if (stream === null) return EXIT.error;
    const { rest, identities } = await writePlanOutputs(stream, options, ctx);
    if (options.format !== "json") {
      // The planner's tables are gone: collected before the view is rendered from what it kept.
      releaseStage();
      ctx.stdout.write(renderPlan({ ...rest, identities }, options.format, styleFor(ctx.stdout, ctx.env)));
    }
    return planExitCode(rest);
  }
  const plan = await makeReviewPlan({ ...options, base }, ctx);
  if (plan === null) return EXIT.error;
  if (options.out) {
    await writeFileAtomic(path.resolve(ctx.cwd, options.out), planJsonChunks(plan), options.out);
  }
  const style = styleFor(ctx.stdout, ctx.env);
  // JSON holds every identity: written in pieces, never as one text (100k identities: ~150 MB).
  if (options.format === "json") await writeChunks(ctx.stdout, planJsonPretty(plan));
  else ctx.stdout.write(renderReview(plan, options.format, style));
  return planExitCode(plan);
}
