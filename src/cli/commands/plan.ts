/** `idanchor plan`: load desired -> read AD -> read Entra -> buildPlan -> render. */
import path from "node:path";

import { loadDesiredState } from "../../desired/index.js";
import type { DesiredState } from "../../desired/index.js";
import type { AdState, EntraState } from "../../directory/types.js";
import { buildPlan } from "../../plan/index.js";
import type { Plan } from "../../plan/index.js";
import { planJsonChunks, renderPlan } from "../../render/index.js";
import { renderValidationText } from "../../render/validation.js";
import { writeFileAtomic } from "../files.js";
import type { CliContext, OutputFormat } from "../io.js";
import { EXIT, styleFor } from "../io.js";
import { progressFor } from "../progress.js";
import { openAdSource, openEntraSource } from "../sources.js";
import type { SourceOptions } from "../sources.js";

export interface PlanCommandOptions extends SourceOptions {
  identities: string;
  format: OutputFormat;
  out?: string;
}

/** Loads the desired state or reports why it cannot be used (exit 1). */
export async function loadValidDesiredState(
  identities: string,
  ctx: CliContext,
): Promise<DesiredState | null> {
  const result = await loadDesiredState(identities, ctx.cwd);
  if (result.state) return result.state;
  ctx.stderr.write(
    renderValidationText(
      result.findings,
      { files: result.files, identities: 0 },
      styleFor(ctx.stderr, ctx.env),
    ),
  );
  ctx.stderr.write(
    "idanchor: the desired state has errors; fix them (see 'idanchor validate') before planning\n",
  );
  return null;
}

/** Reads both directories at once: the Graph round trips hide behind the LDAP pages. A failed read fails the whole. */
export async function readLiveState(
  desired: DesiredState,
  options: SourceOptions,
  ctx: CliContext,
): Promise<{ ad: AdState; entra: EntraState }> {
  const progress = progressFor(ctx.stderr);
  const adSource = await openAdSource(desired, options, ctx);
  try {
    const entraSource = await openEntraSource(desired, options, ctx);
    const reads = [
      progress.step(
        `Reading Active Directory (${adSource.description})`,
        () => adSource.readAll(),
        (s) => `${s.objects.length} objects`,
      ),
      progress.step(
        `Reading Entra ID (${entraSource.description})`,
        () => entraSource.readAll(),
        (s) => `${s.users.length} users, ${s.groups.length} groups, ${s.contacts.length} contacts`,
      ),
    ] as const;
    // The first failure is reported; the other read's outcome must not surface as an unhandled rejection.
    for (const read of reads) read.catch(() => undefined);
    const [ad, entra] = await Promise.all(reads);
    return { ad, entra };
  } finally {
    await adSource.close();
  }
}

export function planExitCode(plan: Plan): number {
  if (plan.summary.errors > 0) return EXIT.error;
  return plan.summary.changes > 0 ? EXIT.changes : EXIT.ok;
}

export async function runPlan(options: PlanCommandOptions, ctx: CliContext): Promise<number> {
  const desired = await loadValidDesiredState(options.identities, ctx);
  if (!desired) return EXIT.error;
  const live = await readLiveState(desired, options, ctx);
  const plan = buildPlan(desired, live.ad, live.entra, { policy: desired.settings.policy });
  if (options.out) {
    await writeFileAtomic(path.resolve(ctx.cwd, options.out), planJsonChunks(plan), options.out);
  }
  ctx.stdout.write(renderPlan(plan, options.format, styleFor(ctx.stdout, ctx.env)));
  return planExitCode(plan);
}
