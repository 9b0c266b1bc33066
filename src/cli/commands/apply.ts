/**
 * `idanchor apply PLANFILE`: writes exactly the reviewed plan, identity by identity, where the
 * checked-out desired state and a fresh read agree with it; `--plan-and-apply` without a plan file
 * plans and applies in one go (unreviewed, for emergencies).
 */
import path from "node:path";

import { applyPlan } from "../../apply/apply-plan.js";
import type { ApplyResult } from "../../apply/apply-plan.js";
import { attachReceiptNote, headCommit } from "../../apply/git-note.js";
import { identityRefusal, massChangeRefusal, writesOf } from "../../apply/guards.js";
import { readPlanFile } from "../../apply/plan-file.js";
import { claimRefusals, predictionRefusals } from "../../apply/verify-plan.js";
import type { ApplyPorts } from "../../model/ports.js";
import type { Receipt, ReceiptReview } from "../../model/receipts.js";
import type { DesiredState } from "../../desired/index.js";
import { openLdap } from "../../directory/ad/index.js";
import { openGraph } from "../../directory/entra/index.js";
import { buildPlan } from "../../plan/index.js";
import type { Plan, PlanIdentity } from "../../plan/index.js";
import { renderPlan } from "../../render/index.js";
import { renderReceiptText } from "../../render/receipt.js";
import { writeFileAtomic } from "../files.js";
import type { CliContext, OutputFormat } from "../io.js";
import { EXIT, styleFor } from "../io.js";
import { positiveInteger } from "../options.js";
import { counterFor } from "../progress.js";
import { loadValidDesiredState, readLiveState, settingsDir } from "../sources.js";
import { reportUnreviewed, unreviewedPending } from "./apply-unreviewed.js";

export interface ApplyCommandOptions {
  identities: string;
  format: OutputFormat;
  receipt?: string;
  allowMassChange?: string;
  concurrency: string;
  /** Without a plan file: plan and apply in one go, unreviewed (emergencies). */
  planAndApply?: boolean;
  /** The pull request the plan was reviewed in, for the receipt. */
  pullRequest?: string;
  /** Write the unreviewed-changes report (Markdown) here, for the job summary and the PR comment. */
  report?: string;
}

/** Connects only to the directories the plan writes to, so an AD-only apply needs no Graph credentials. */
async function openPorts(
  identities: readonly PlanIdentity[],
  desired: DesiredState,
  ctx: CliContext,
): Promise<{ ports: ApplyPorts; close: () => Promise<void> }> {
  const writes = (target: "ad" | "entra"): boolean =>
    identities.some((i) => i.changes.some((c) => c.target === target));
  const missing = (system: string) => (): never => {
    throw new Error(`the plan has no ${system} change, so no connection was opened`);
  };
  // Connection problems (refused plaintext bind, bad credentials) stop here, before any write.
  const ldap = writes("ad")
    ? await openLdap({
        settings: desired.settings.activeDirectory,
        settingsDir: settingsDir(desired, ctx),
        env: ctx.env,
        logger: ctx.logger,
      })
    : null;
  const graph = writes("entra")
    ? await openGraph({
        settings: desired.settings.entra,
        env: ctx.env,
        logger: ctx.logger,
      })
    : null;
  return {
    ports: {
      ad: ldap ?? { readValues: missing("AD"), writeAddresses: missing("AD"), createObject: missing("AD") },
      entra: graph ?? { readImmutableIds: missing("Entra"), writeImmutableIds: missing("Entra") },
    },
    close: async () => {
      await ldap?.close();
    },
  };
}

/** 1 when anything planned was not written: a conflict, a failure, or an identity the guards refused. */
export function applyExitCode(receipt: Receipt, refused: number): number {
  return receipt.summary.conflict > 0 || receipt.summary.failed > 0 || refused > 0 ? EXIT.error : EXIT.ok;
}

/** Reads both directories afresh and plans: what the next sync would do now. */
async function freshPlan(desired: DesiredState, ctx: CliContext): Promise<Plan> {
  const live = await readLiveState(desired, {}, ctx);
  return buildPlan(desired, live.ad, live.entra);
}

/** Loads the plan to apply: the reviewed one, or (--plan-and-apply) one made now, printed first. */
async function planToApply(
  planFile: string | undefined,
  options: ApplyCommandOptions,
  desired: DesiredState,
  ctx: CliContext,
): Promise<{ plan: Plan; review: ReceiptReview } | null> {
  if (planFile) {
    const plan = await readPlanFile(path.resolve(ctx.cwd, planFile), planFile);
    const pullRequest = positiveInteger(options.pullRequest, "--pull-request") ?? null;
    // The emergency path of the workflow plans in one job and applies that file in the next: checked the same way, recorded as unreviewed.
    if (options.planAndApply)
      return {
        plan,
        review: {
          reviewed: false,
          reason: "plan-and-apply: planned by the workflow, not reviewed in a pull request",
        },
      };
    return { plan, review: { reviewed: true, pullRequest, planDigest: plan.writeDigest ?? null } };
  }
  if (!options.planAndApply) {
    ctx.stderr.write(NO_REVIEWED_PLAN);
    return null;
  }
  const plan = await freshPlan(desired, ctx);
  // With --format json stdout carries one JSON document, the receipt; the plan is for people.
  if (options.format !== "json")
    ctx.stdout.write(renderPlan(plan, options.format, styleFor(ctx.stdout, ctx.env)));
  return {
    plan,
    review: { reviewed: false, reason: "plan-and-apply: planned and applied in one go, not reviewed" },
  };
}

export const NO_REVIEWED_PLAN =
  "idanchor: apply refused: no reviewed plan, so nothing was written. Apply the plan the pull request " +
  "check saved ('idanchor github fetch-plan --out plan.json', then 'idanchor apply plan.json'); for a commit " +
  "that never had one (pushed straight to main, the check never ran, the artifact expired), open a pull " +
  "request so the plan is reviewed. In an emergency, 'idanchor apply --plan-and-apply' plans and applies " +
  "in one go and the receipt records it as not reviewed\n";

export async function runApply(
  planFile: string | undefined,
  options: ApplyCommandOptions,
  ctx: CliContext,
): Promise<number> {
  const allowMassChange = positiveInteger(options.allowMassChange, "--allow-mass-change") ?? null;
  const concurrency = positiveInteger(options.concurrency, "--concurrency") ?? 8;
  const desired = await loadValidDesiredState(options.identities, ctx);
  if (!desired) return EXIT.error;
  const chosen = await planToApply(planFile, options, desired, ctx);
  if (!chosen) return EXIT.error;
  const { plan, review } = chosen;

  // The claim is checked against the checked-out YAML before anything is connected to.
  const refuse = planFile ? claimRefusals(plan, desired) : new Map<string, string>();
  const refusal = massChangeRefusal(plan, {
    maxChangesPerApply: desired.settings.policy.maxChangesPerApply,
    allowMassChange,
  });
  if (refusal) {
    ctx.stderr.write(`idanchor: apply refused: ${refusal}\n`);
    return EXIT.error;
  }
  const writable = (identity: PlanIdentity): boolean =>
    identity.changes.length > 0 && !refuse.has(identity.key) && identityRefusal(identity) === null;
  // A reviewed plan is written only where a fresh read predicts exactly what was reviewed.
  if (planFile && plan.identities.some(writable))
    for (const [key, reason] of predictionRefusals(plan, await freshPlan(desired, ctx)))
      if (!refuse.has(key)) refuse.set(key, reason);

  const commit = await headCommit(ctx.cwd);
  const { ports, close } = await openPorts(plan.identities.filter(writable), desired, ctx);
  // Every object of an identity with changes gets a receipt, refused ones included.
  const receipts = plan.identities.reduce((n, identity) => n + writesOf(identity).length, 0);
  const counter = counterFor(ctx.stderr, "Writing", receipts);
  let result: ApplyResult;
  try {
    result = await applyPlan(plan, ports, {
      concurrency,
      now: () => new Date(),
      commit,
      refuse,
      review,
      onObject: () => counter.tick(),
    });
  } finally {
    counter.done();
    await close();
  }
  const { receipt, refused } = result;
  for (const { key, source, reason } of refused)
    ctx.stderr.write(`idanchor: ${key} (${source.file}:${source.line}): ${reason}\n`);
  // The receipt is kept before anything else can fail: it is the record of what was written.
  if (options.receipt)
    await writeFileAtomic(path.resolve(ctx.cwd, options.receipt), JSON.stringify(receipt, null, 2) + "\n");
  ctx.stdout.write(
    options.format === "json"
      ? JSON.stringify(receipt, null, 2) + "\n"
      : renderReceiptText(receipt, styleFor(ctx.stdout, ctx.env)),
  );
  let code = applyExitCode(receipt, refused.length);
  if (commit && receipt.objects.length > 0) {
    const noted = await attachReceiptNote(ctx.cwd, commit, receipt).then(
      () => true,
      (error: Error) => {
        ctx.stderr.write(
          `idanchor: the receipt could not be attached as a git note to ${commit} (${error.message.trim()}); ` +
            "keep the --receipt file, set git's user.name and user.email, and rerun apply to attach it\n",
        );
        return false;
      },
    );
    if (!noted) code = EXIT.error;
  }
  // Whatever is still pending after a reviewed apply was never reviewed: report it, never write it.
  if (planFile) {
    const unreviewed = unreviewedPending(plan, await freshPlan(desired, ctx), receipt);
    await reportUnreviewed(unreviewed, options.report, ctx);
    if (unreviewed.length > 0) code = EXIT.error;
  }
  return code;
}
