/**
 * `idanchor apply [PLANFILE]`: with a saved plan, writes exactly what it says (refusing objects that
 * changed since); without one, plans and applies in one go, printing the plan first.
 */
import path from "node:path";

import { applyPlan } from "../../apply/apply-plan.js";
import type { ApplyResult } from "../../apply/apply-plan.js";
import { attachReceiptNote, headCommit } from "../../apply/git-note.js";
import { massChangeRefusal, writesOf } from "../../apply/guards.js";
import { readPlanFile } from "../../apply/plan-file.js";
import type { ApplyPorts } from "../../model/ports.js";
import type { Receipt } from "../../model/receipts.js";
import type { DesiredState } from "../../desired/index.js";
import { openLdap } from "../../directory/ad/index.js";
import { openGraph } from "../../directory/entra/index.js";
import { buildPlan } from "../../plan/index.js";
import type { Plan } from "../../plan/index.js";
import { renderPlan } from "../../render/index.js";
import { renderReceiptText } from "../../render/receipt.js";
import { writeFileAtomic } from "../files.js";
import type { CliContext, OutputFormat } from "../io.js";
import { EXIT, styleFor } from "../io.js";
import { positiveInteger } from "../options.js";
import { counterFor } from "../progress.js";
import { loadValidDesiredState, readLiveState, settingsDir } from "../sources.js";

export interface ApplyCommandOptions {
  identities: string;
  format: OutputFormat;
  receipt?: string;
  allowMassChange?: string;
  concurrency: string;
}

/** Connects only to the directories the plan writes to, so an AD-only apply needs no Graph credentials. */
async function openPorts(
  plan: Plan,
  desired: DesiredState,
  ctx: CliContext,
): Promise<{ ports: ApplyPorts; close: () => Promise<void> }> {
  const writes = (target: "ad" | "entra"): boolean =>
    plan.identities.some((i) => i.changes.some((c) => c.target === target));
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

export async function runApply(
  planFile: string | undefined,
  options: ApplyCommandOptions,
  ctx: CliContext,
): Promise<number> {
  const allowMassChange = positiveInteger(options.allowMassChange, "--allow-mass-change") ?? null;
  const concurrency = positiveInteger(options.concurrency, "--concurrency") ?? 8;
  const desired = await loadValidDesiredState(options.identities, ctx);
  if (!desired) return EXIT.error;

  let plan: Plan;
  if (planFile) plan = await readPlanFile(path.resolve(ctx.cwd, planFile), planFile);
  else {
    const live = await readLiveState(desired, {}, ctx);
    plan = buildPlan(desired, live.ad, live.entra);
    // With --format json stdout carries one JSON document, the receipt; the plan is for people.
    if (options.format !== "json")
      ctx.stdout.write(renderPlan(plan, options.format, styleFor(ctx.stdout, ctx.env)));
  }

  const refusal = massChangeRefusal(plan, {
    maxChangesPerApply: desired.settings.policy.maxChangesPerApply,
    allowMassChange,
  });
  if (refusal) {
    ctx.stderr.write(`idanchor: apply refused: ${refusal}\n`);
    return EXIT.error;
  }
  const commit = await headCommit(ctx.cwd);
  const { ports, close } = await openPorts(plan, desired, ctx);
  // Every object of an identity with changes gets a receipt, refused ones included.
  const receipts = plan.identities.reduce((n, identity) => n + writesOf(identity).length, 0);
  const counter = counterFor(ctx.stderr, "Writing", receipts);
  let result: ApplyResult;
  try {
    result = await applyPlan(plan, ports, {
      concurrency,
      now: () => new Date(),
      commit,
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
    if (!noted) return EXIT.error;
  }
  return applyExitCode(receipt, refused.length);
}
