/**
 * The GitHub Action's entry point (action.yml runs it after installing this package): reads the
 * inputs as the runner passes them (INPUT_<NAME> variables), runs one idanchor command in-process,
 * and writes the outputs `exit-code`, `plan-file` and `receipt` to $GITHUB_OUTPUT. The step fails
 * only on exit 1: "changes pending" (2) is an answer, handed on as `exit-code` for the next step.
 */
import { statSync } from "node:fs";
import { appendFile, writeFile } from "node:fs/promises";
import path from "node:path";

import type { CliContext, OutputStream } from "./io.js";
import { EXIT } from "./io.js";
import { main } from "./main.js";

/** Which inputs each command takes, and as which flag. */
interface CommandShape {
  identities?: boolean;
  format?: boolean;
  snapshots?: boolean;
  /** How the plan-file input is passed: written (`--out`), read (positional or `--plan-file`). */
  planFile?: "--out" | "positional" | "--plan-file";
  receipt?: boolean;
}

const SHAPES: Record<string, CommandShape> = {
  validate: { identities: true, format: true },
  plan: { identities: true, format: true, snapshots: true, planFile: "--out" },
  apply: { identities: true, format: true, planFile: "positional", receipt: true },
  drift: { identities: true, format: true, snapshots: true },
  audit: { identities: true, format: true },
  doctor: { identities: true, format: true },
  import: { identities: true, snapshots: true },
  "export entra": { identities: true },
  "export ad": { identities: true },
  "github comment": { identities: true, planFile: "--plan-file" },
  "github annotate": { identities: true, planFile: "--plan-file" },
  "github drift-issue": { planFile: "--plan-file" },
  verify: { identities: true, format: true },
  "github verify-issues": {},
};

/** An input as the runner names it: `plan-file` -> INPUT_PLAN-FILE (also accepted: INPUT_PLAN_FILE). */
export function actionInput(env: CliContext["env"], name: string): string {
  const upper = name.toUpperCase().replace(/ /g, "_");
  const value = env[`INPUT_${upper}`] ?? env[`INPUT_${upper.replace(/-/g, "_")}`] ?? "";
  return value.trim();
}

function hasContent(file: string): boolean {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}

export class ActionInputError extends Error {
  override readonly name = "ActionInputError";
}

/** The argv for the command the inputs describe, and the files it writes. */
export function actionArgv(
  env: CliContext["env"],
  cwd: string,
): {
  argv: string[];
  planFile: string | null;
  receipt: string | null;
} {
  const command = actionInput(env, "command").split(/\s+/).filter(Boolean);
  const key = command.join(" ");
  const shape = SHAPES[key];
  if (!shape)
    throw new ActionInputError(`input 'command' is '${key}'; use one of: ${Object.keys(SHAPES).join(", ")}`);
  const argv = [...command];
  const input = (name: string): string => actionInput(env, name);
  if (shape.identities && input("identities")) argv.push("--identities", input("identities"));
  if (shape.format && input("format")) argv.push("--format", input("format"));
  if (shape.snapshots) {
    if (input("ad-snapshot")) argv.push("--ad-snapshot", input("ad-snapshot"));
    if (input("entra-snapshot")) argv.push("--entra-snapshot", input("entra-snapshot"));
  }
  let planFile: string | null = input("plan-file") || null;
  // plan always saves its plan: the next step (comment, apply) needs it, and a runner has a temp folder.
  if (shape.planFile === "--out" && !planFile && env.RUNNER_TEMP)
    planFile = path.join(env.RUNNER_TEMP, "idanchor-plan.json");
  if (planFile && shape.planFile === "positional") argv.push(planFile);
  else if (planFile && shape.planFile === "--out") argv.push("--out", planFile);
  // A plan that failed before saving leaves no file: comment and annotate then report without one.
  else if (planFile && shape.planFile && hasContent(path.resolve(cwd, planFile)))
    argv.push(shape.planFile, planFile);
  const receipt = shape.receipt ? input("receipt") || null : null;
  if (receipt) argv.push("--receipt", receipt);
  // Free-form extras, whitespace-separated (no shell quoting: the runner does not pass a shell).
  argv.push(...input("args").split(/\s+/).filter(Boolean));
  if (input("verbose") === "true") argv.push("--verbose");
  return { argv, planFile: shape.planFile ? planFile : null, receipt };
}

/** One `name=value` line per output, as $GITHUB_OUTPUT takes single-line values. */
async function setOutputs(env: CliContext["env"], outputs: Record<string, string>): Promise<void> {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  await appendFile(
    file,
    Object.entries(outputs)
      .map(([name, value]) => `${name}=${value.replace(/[\r\n]+/g, " ")}\n`)
      .join(""),
  );
}

/** Also keeps stdout in `output-file` when one is named (a drift report for the drift issue, say). */
function teeStdout(stdout: OutputStream): { stream: OutputStream; text: () => string } {
  let text = "";
  return {
    stream: {
      write: (chunk: string | Uint8Array) => {
        text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        return stdout.write(chunk);
      },
      isTTY: false,
    },
    text: () => text,
  };
}

export async function runAction(ctx: CliContext): Promise<number> {
  let parsed: ReturnType<typeof actionArgv>;
  try {
    parsed = actionArgv(ctx.env, ctx.cwd);
  } catch (error) {
    if (!(error instanceof ActionInputError)) throw error;
    ctx.stderr.write(`::error title=idanchor::${error.message}\n`);
    await setOutputs(ctx.env, { "exit-code": String(EXIT.error) });
    return EXIT.error;
  }
  ctx.stderr.write(`idanchor ${parsed.argv.join(" ")}\n`);
  const tee = teeStdout(ctx.stdout);
  const code = await main(parsed.argv, { ...ctx, stdout: tee.stream });
  const outputFile = actionInput(ctx.env, "output-file");
  if (outputFile) await writeFile(path.resolve(ctx.cwd, outputFile), tee.text());
  await setOutputs(ctx.env, {
    "exit-code": String(code),
    "plan-file": parsed.planFile ?? "",
    receipt: parsed.receipt ?? "",
    ...(outputFile ? { "output-file": outputFile } : {}),
  });
  return code === EXIT.error ? EXIT.error : EXIT.ok;
}
