/** `idanchor audit [ADDRESS|KEY]`: who changed which anchor, when, in which PR, and was it applied. */
import { Option } from "commander";
import type { Command } from "commander";

import { auditHistory, parseDateBound } from "../../audit/index.js";
import { InputError } from "../../model/errors.js";
import { renderAudit } from "../../render/audit.js";
import type { AuditFormat } from "../../render/audit.js";
import type { CliContext } from "../io.js";
import { EXIT, styleFor } from "../io.js";

export interface AuditCommandOptions {
  identities: string;
  format: AuditFormat;
  since?: string;
  until?: string;
}

function checkDate(value: string | undefined, option: "since" | "until"): string | null {
  if (value === undefined) return null;
  if (parseDateBound(value, option) === null)
    throw new InputError(`--${option} '${value}' is not a date; use YYYY-MM-DD or an ISO 8601 time`);
  return value;
}

export async function runAudit(
  target: string | undefined,
  options: AuditCommandOptions,
  ctx: CliContext,
): Promise<number> {
  const filter = {
    target: target ?? null,
    since: checkDate(options.since, "since"),
    until: checkDate(options.until, "until"),
  };
  const report = await auditHistory(ctx.cwd, options.identities, filter);
  ctx.stdout.write(renderAudit(report, options.format, styleFor(ctx.stdout, ctx.env)));
  return EXIT.ok;
}

export function registerAudit(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command("audit")
    .description("list every anchor change in git history: who, when, which PR, and whether it was applied")
    .argument("[target]", "an address (current or past primary or alias) or an identity key")
    .addOption(new Option("--identities <dir>", "folder of desired-state YAML").default("identities"))
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "markdown", "json", "csv"])
        .default("text"),
    )
    .option("--since <date>", "only changes committed on or after this date (YYYY-MM-DD or ISO 8601)")
    .option("--until <date>", "only changes committed on or before this date")
    .action(async (target: string | undefined, opts: AuditCommandOptions) =>
      setExit(await runAudit(target, opts, ctx)),
    );
}
