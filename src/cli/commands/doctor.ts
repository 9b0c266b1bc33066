/**
 * `idanchor doctor`: checks, from where the workflows run, everything a plan or apply needs:
 * LDAPS reachability, TLS and the CA, the bind, the base DN and sync-scope OUs; a Graph token, and
 * one real call per application permission (a 403 names the permission), the sync features.
 * Exit 0 when nothing failed, 1 otherwise. Every step has a deadline (--timeout).
 */
import { Option } from "commander";
import type { Command } from "commander";

import { probeActiveDirectory } from "../../directory/ad/probe.js";
import { probeGraph } from "../../directory/entra/probe.js";
import type { ProbeResult } from "../../directory/probe.js";
import { InputError } from "../../model/errors.js";
import type { TextStyle } from "../../render/style.js";
import type { CliContext, OutputFormat } from "../io.js";
import { EXIT, styleFor } from "../io.js";
import { settingsDir } from "../sources.js";
import { loadValidDesiredState } from "../sources.js";

export interface DoctorOptions {
  identities: string;
  format: OutputFormat;
  timeout: string;
  only?: "ad" | "entra";
}

const LABEL: Record<ProbeResult["status"], string> = { ok: "ok  ", warn: "WARN", fail: "FAIL", skip: "skip" };

function renderText(results: ProbeResult[], style: TextStyle): string {
  const lines: string[] = [];
  let system: string | undefined;
  for (const r of results) {
    if (r.system !== system) {
      system = r.system;
      lines.push(system === "ad" ? "Active Directory" : "Microsoft Graph");
    }
    const label =
      r.status === "fail"
        ? style.red(LABEL[r.status])
        : r.status === "warn"
          ? style.yellow(LABEL[r.status])
          : LABEL[r.status];
    lines.push(`  ${label}  ${r.check.padEnd(40)} ${r.detail} (${r.ms} ms)`);
    if (r.fix && r.status !== "ok") lines.push(`        fix: ${r.fix}`);
  }
  const failed = results.filter((r) => r.status === "fail").length;
  const warned = results.filter((r) => r.status === "warn").length;
  lines.push("", `${failed} failed, ${warned} warnings, ${results.length} checks`);
  return `${lines.join("\n")}\n`;
}

function renderMarkdown(results: ProbeResult[]): string {
  const cell = (text: string): string => text.replace(/\|/g, "\\|");
  return [
    "| system | check | result | detail | fix |",
    "|---|---|---|---|---|",
    ...results.map(
      (r) =>
        `| ${r.system} | ${r.check} | ${r.status} | ${cell(r.detail)} | ${cell(r.status === "ok" ? "" : (r.fix ?? ""))} |`,
    ),
    "",
  ].join("\n");
}

export async function runDoctor(options: DoctorOptions, ctx: CliContext): Promise<number> {
  const seconds = Number(options.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new InputError(`--timeout takes a number of seconds above 0, not '${options.timeout}'`);
  const timeoutMs = seconds * 1000;
  const desired = await loadValidDesiredState(options.identities, ctx);
  if (!desired) return EXIT.error;
  const { settings } = desired;
  const results: ProbeResult[] = [];
  if (options.only !== "entra")
    results.push(
      ...(await probeActiveDirectory({
        settings: settings.activeDirectory,
        settingsDir: settingsDir(desired, ctx),
        env: ctx.env,
        timeoutMs,
      })),
    );
  if (options.only !== "ad")
    results.push(
      ...(await probeGraph({
        settings: settings.entra,
        env: ctx.env,
        logger: ctx.logger,
        timeoutMs,
        clientId: ctx.env.AZURE_CLIENT_ID || settings.entra.clientId,
      })),
    );
  const output =
    options.format === "json"
      ? JSON.stringify(
          {
            checks: results,
            summary: {
              checks: results.length,
              failed: results.filter((r) => r.status === "fail").length,
              warnings: results.filter((r) => r.status === "warn").length,
            },
          },
          null,
          2,
        ) + "\n"
      : options.format === "markdown"
        ? renderMarkdown(results)
        : renderText(results, styleFor(ctx.stdout, ctx.env));
  ctx.stdout.write(output);
  return results.some((r) => r.status === "fail") ? EXIT.error : EXIT.ok;
}

export function registerDoctor(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command("doctor")
    .description(
      "check the connections: LDAPS, TLS, bind, OUs; Graph token and each permission; exit 1 on a failure",
    )
    .addOption(
      new Option("--identities <dir>", "folder of desired-state YAML (for the Settings)").default(
        "identities",
      ),
    )
    .addOption(
      new Option("--format <format>", "output format").choices(["text", "markdown", "json"]).default("text"),
    )
    .option("--timeout <seconds>", "deadline of each step", "10")
    .addOption(new Option("--only <system>", "check one side only").choices(["ad", "entra"]))
    .action(async (opts: DoctorOptions) => setExit(await runDoctor(opts, ctx)));
}
