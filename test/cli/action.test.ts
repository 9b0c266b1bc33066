/**
 * The GitHub Action: its entry point run the way the runner runs it (inputs as INPUT_* variables,
 * outputs to $GITHUB_OUTPUT), action.yml handing every input to it, and the workflows `init`
 * writes checked by actionlint against action.yml's own inputs and outputs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "@jest/globals";
import { parse, parseDocument } from "yaml";

import type { Plan } from "../../src/plan/types.js";
import { runCli } from "../support/cli.js";
import { workspaces } from "../support/files.js";
import { INIT_FLAGS } from "../support/init-flags.js";

const REPO = path.resolve(new URL("../..", import.meta.url).pathname);
const ENTRY = path.join(REPO, "bin", "idanchor-action.js");
const AD = path.join(REPO, "examples/contoso/ad.ldif");
const ENTRA = path.join(REPO, "examples/contoso/entra.json");
const workspace = workspaces();

interface ActionYml {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; run?: string; env?: Record<string, string> }[] };
}

/** The entry point as a composite step runs it: a fresh node process with INPUT_* in its environment. */
function runEntry(cwd: string, inputs: Record<string, string>, runnerTemp: string) {
  const outputFile = path.join(runnerTemp, "github-output");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: outputFile,
  };
  // The runner's own spelling: upper case, spaces to underscores, hyphens kept.
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.toUpperCase().replace(/ /g, "_")}`] = value;
  const run = spawnSync(process.execPath, [ENTRY], { cwd, env, encoding: "utf8" });
  const outputs = Object.fromEntries(
    (existsSync(outputFile) ? readFileSync(outputFile, "utf8") : "")
      .split("\n")
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, outputs };
}

describe("the Action's entry point", () => {
  it("plans from INPUT_* variables, saves the plan in RUNNER_TEMP, and hands on exit code 2 without failing", async () => {
    const dir = workspace();
    const temp = workspace();
    await runCli([...INIT_FLAGS, "--from-snapshots", AD, ENTRA], { cwd: dir });
    // The demo's vpatel would end with two mailboxes (DuplicateMailbox, exit 1): leave it out, so the plan has changes only.
    const imported = path.join(dir, "identities", "imported.yaml");
    const doc = parseDocument(readFileSync(imported, "utf8"));
    const entries = (doc.toJS() as { identities: { ad: unknown }[] }).identities;
    doc.set(
      "identities",
      entries.filter((e) => e.ad !== "vpatel"),
    );
    writeFileSync(imported, doc.toString());

    const run = runEntry(
      dir,
      {
        command: "plan",
        identities: "identities",
        format: "json",
        "ad-snapshot": AD,
        "entra-snapshot": ENTRA,
      },
      temp,
    );

    expect(run.status).toBe(0);
    const planFile = path.join(temp, "idanchor-plan.json");
    expect(run.outputs).toEqual({ "exit-code": "2", "plan-file": planFile, receipt: "" });
    expect((JSON.parse(run.stdout) as Plan).summary.changes).toBeGreaterThan(0);
    expect((JSON.parse(readFileSync(planFile, "utf8")) as Plan).version).toBe(1);
    expect(run.stderr).toContain(`idanchor plan --identities identities --format json --ad-snapshot ${AD}`);
  });

  it("fails the step on exit 1 and keeps stdout in output-file", () => {
    const dir = workspace({ "identities/settings.yaml": "kind: Settings\n" });
    const temp = workspace();

    const run = runEntry(dir, { command: "validate", format: "json", "output-file": "report.json" }, temp);

    expect(run.status).toBe(1);
    expect(run.outputs).toMatchObject({ "exit-code": "1", "output-file": "report.json" });
    expect(readFileSync(path.join(dir, "report.json"), "utf8")).toBe(run.stdout);
    expect(JSON.parse(run.stdout)).toMatchObject({
      findings: expect.arrayContaining([
        expect.objectContaining({ severity: "error", code: "SchemaViolation" }),
      ]),
    });
  });

  it("refuses an unknown command with an annotation naming the ones it knows", () => {
    const run = runEntry(workspace(), { command: "plna" }, workspace());

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^::error title=idanchor::input 'command' is 'plna'; use one of: validate, plan, apply/,
    );
    expect(run.outputs).toEqual({ "exit-code": "1" });
  });
});

describe("action.yml", () => {
  const action = parse(readFileSync(path.join(REPO, "action.yml"), "utf8")) as ActionYml;

  it("is a composite action whose run step hands every input on as the variable the entry point reads", () => {
    const run = action.runs.steps.find((s) => s.id === "run");
    const handled = new Set(["version", "node-version"]); // used by the install steps themselves

    expect(action.runs.using).toBe("composite");
    expect(run?.run).toBe('node "$IDANCHOR_CLI_DIR/bin/idanchor-action.js"');
    for (const name of Object.keys(action.inputs).filter((n) => !handled.has(n)))
      expect(run?.env?.[`INPUT_${name.toUpperCase().replace(/-/g, "_")}`]).toBe(`\${{ inputs.${name} }}`);
    for (const [name, output] of Object.entries(action.outputs))
      expect(output.value).toBe(`\${{ steps.run.outputs.${name} }}`);
  });

  /**
   * What actionlint cannot see (its WebAssembly build reads no action.yml): each step that uses the
   * Action passes only inputs action.yml declares, all required ones, and reads only its outputs.
   */
  function consumerProblems(workflowText: string, ref: string): string[] {
    const workflow = parse(workflowText) as {
      jobs: Record<string, { steps: { id?: string; uses?: string; with?: Record<string, unknown> }[] }>;
    };
    const problems: string[] = [];
    for (const [jobId, job] of Object.entries(workflow.jobs)) {
      const ours = job.steps.filter((step) => step.uses === ref);
      for (const step of ours) {
        for (const key of Object.keys(step.with ?? {}))
          if (!(key in action.inputs)) problems.push(`${jobId}: unknown input ${key}`);
        for (const [name, input] of Object.entries(action.inputs))
          if (input.required === true && step.with?.[name] === undefined)
            problems.push(`${jobId}: missing input ${name}`);
      }
      const ids = new Set(ours.map((step) => step.id).filter(Boolean));
      for (const [, id, output] of JSON.stringify(job).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g))
        if (ids.has(id) && !(output! in action.outputs)) problems.push(`${jobId}: unknown output ${output}`);
    }
    return problems;
  }

  it("the workflows init writes (the consumer example) use only its inputs and outputs", async () => {
    const dir = workspace();
    await runCli([...INIT_FLAGS, "--action", "./"], { cwd: dir });
    const files = readdirSync(path.join(dir, ".github/workflows"));

    const problems = files.flatMap((f) =>
      consumerProblems(readFileSync(path.join(dir, ".github/workflows", f), "utf8"), "./"),
    );

    expect(files.length).toBe(3);
    expect(problems).toEqual([]);
  });

  it("the consumer check does catch a misspelt input or output", async () => {
    const dir = workspace();
    await runCli([...INIT_FLAGS, "--action", "./"], { cwd: dir });
    const text = readFileSync(path.join(dir, ".github/workflows/idanchor-plan.yml"), "utf8").replace(
      "plan-file: ${{ steps.plan.outputs.plan-file }}",
      "planfile: ${{ steps.plan.outputs.planfile }}",
    );

    expect(consumerProblems(text, "./")).toEqual(
      expect.arrayContaining(["plan: unknown input planfile", "plan: unknown output planfile"]),
    );
  });
});
