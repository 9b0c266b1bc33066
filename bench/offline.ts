/**
 * `npm run bench:offline [-- --n 10000,100000]`: the planning pipeline at sizes whose Samba seeding
 * would take too long (100k seeds in about an hour). The estate of the live bench is written as the
 * snapshots `plan` reads offline (an `ldapsearch -LLL` style LDIF and a Graph JSON snapshot), and
 * `plan --ad-snapshot --entra-snapshot` runs in its own process: wall time, phases, peak RSS.
 * Results go to bench/offline-results.md. The directory reads here are file reads, not LDAP or Graph.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Plan } from "../src/plan/types.js";
import { writeEstateRepo, writePullRequest } from "../test/support/pr-estate.js";
import { writeSnapshotEstate } from "./estate.js";
import { comparePlanAndBase, runPlanProcess } from "./measure.js";
import type { BaseComparisonRun, PlanRun } from "./measure.js";
import { runSizes } from "./sizes.js";

const here = path.dirname(fileURLToPath(import.meta.url));

interface OfflineRecord {
  n: number;
  /** `plan --format markdown --out plan.json`: the pull request job's run. */
  run: PlanRun;
  /** Peak RSS of the same plan per output: --out (with markdown), JSON to stdout, markdown to stdout. */
  rssKb: { out: number; json: number; markdown: number };
  /** Wall time of `plan --format json`. */
  jsonWallMs: number;
  snapshotMb: number;
  /** `plan` and `plan --base main` on the same pull request branch (best of RUNS each). */
  base: BaseComparisonRun | null;
}

/** Each of the two is run this many times, alternating, and the fastest counts: the machine is shared. */
const RUNS = 3;

/**
 * The pull request check's cost: the estate in a git repository (files of 1,000 entries), a branch
 * that changes three entries, and `plan` next to `plan --base main` on it. Goal: at most 1.3x.
 */
async function measureBase(n: number): Promise<NonNullable<OfflineRecord["base"]>> {
  const root = mkdtempSync(path.join(os.tmpdir(), `idanchor-bench-base-${n}-`));
  try {
    const estate = await writeEstateRepo(root, n);
    const snapshots = ["--ad-snapshot", estate.ad, "--entra-snapshot", estate.entra];
    const run = (extra: string[]): Promise<PlanRun> =>
      runPlanProcess({
        childScript: path.join(here, "plan-child.js"),
        cwd: estate.repo,
        argv: ["plan", ...snapshots, "--format", "markdown", "--out", "plan.json", ...extra],
        env: process.env,
      });
    await run([]);
    const basePlan = JSON.parse(readFileSync(path.join(estate.repo, "plan.json"), "utf8")) as Plan;
    await writePullRequest(estate, basePlan);
    return await comparePlanAndBase(run, RUNS);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function measure(n: number): Promise<OfflineRecord> {
  const work = mkdtempSync(path.join(os.tmpdir(), `idanchor-bench-offline-${n}-`));
  try {
    const { snapshotBytes } = writeSnapshotEstate(work, n);
    const plan = async (output: string[]): Promise<PlanRun> => {
      const run = await runPlanProcess({
        childScript: path.join(here, "plan-child.js"),
        cwd: work,
        argv: ["plan", "--ad-snapshot", "ad.ldif", "--entra-snapshot", "entra.json", ...output],
        env: process.env,
      });
      if (run.adObjects === null) throw new Error(`plan did not read the snapshots:\n${run.stderr}`);
      return run;
    };
    // The pull request job's run (markdown for the summary, the plan file for apply), then each
    // output alone: JSON to stdout (the whole plan), markdown to stdout.
    const run = await plan(["--format", "markdown", "--out", "plan.json"]);
    const json = await plan(["--format", "json"]);
    const markdown = await plan(["--format", "markdown"]);
    const base = n <= BASE_MAX_N ? await measureBase(n) : null;
    return {
      n,
      run,
      rssKb: { out: run.maxRssKb, json: json.maxRssKb, markdown: markdown.maxRssKb },
      jsonWallMs: json.wallMs,
      snapshotMb: snapshotBytes / 1e6,
      base,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The pull request check is measured up to this size (it runs plan 7 times). */
const BASE_MAX_N = 10_000;

const s = (ms: number | null): string => (ms === null ? "-" : `${(ms / 1000).toFixed(2)} s`);

const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

function render(records: readonly OfflineRecord[], command: string): string {
  const rows = records.map(({ n, run, snapshotMb, rssKb, jsonWallMs }) => {
    // From two snapshots the reads run one after the other.
    const rest = run.mainMs - (run.adMs ?? 0) - (run.entraMs ?? 0) - (run.yamlMs ?? 0);
    return `| ${n.toLocaleString("en")} | ${s(run.wallMs)} | ${s(jsonWallMs)} | ${s(run.yamlMs)} | ${s(run.adMs)} | ${s(run.entraMs)} | ${s(rest)} | ${mb(rssKb.out)} | ${mb(rssKb.json)} | ${mb(rssKb.markdown)} | ${snapshotMb.toFixed(0)} MB |`;
  });
  const growth =
    records.length >= 2 ? records[records.length - 1]!.run.wallMs / records[0]!.run.wallMs : null;
  const load = os.loadavg().map((l) => l.toFixed(1));
  return [
    "# idanchor offline planning benchmark",
    "",
    `Written by \`${command}\` (bench/offline.ts) on ${new Date().toISOString().slice(0, 10)}, ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model.trim() ?? "unknown"}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}; load average when written ${load.join(", ")}.`,
    "The live bench's estate, read from snapshots instead of Samba and Graph: what the planning",
    "pipeline itself costs (YAML, reading, buildPlan, rendering, writing the plan) at sizes the live",
    "bench cannot seed in time. Each run is its own process; the stage times are the CLI's own",
    "progress steps (0.1 s resolution). From snapshots the reads run one after the other. Goals at",
    "100,000 (issue 21): wall <= 8 s, peak RSS <= 512 MB for every output, YAML load <= 1.5 s.",
    "",
    "| N | plan wall (markdown + --out) | plan wall (json) | load YAML | read AD (LDIF) | read Entra (JSON) | plan + render + write | peak RSS --out | peak RSS json to stdout | peak RSS markdown | snapshot size |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    growth === null
      ? ""
      : `Growth ${records[0]!.n.toLocaleString("en")} -> ${records[records.length - 1]!.n.toLocaleString("en")}: ${growth.toFixed(1)}x wall time (goal for 10k -> 100k: at most 10.5x).`,
    "",
    ...baseTable(records),
  ].join("\n");
}

function baseTable(records: readonly OfflineRecord[]): string[] {
  const rows = records.flatMap(({ n, base }) =>
    base === null
      ? []
      : [
          `| ${n.toLocaleString("en")} | ${s(base.planMs)} | ${s(base.baseMs)} | ${(base.baseMs / base.planMs).toFixed(2)}x | ${(base.planRssKb / 1024).toFixed(0)} MB | ${(base.baseRssKb / 1024).toFixed(0)} MB |`,
        ],
  );
  if (rows.length === 0) return [];
  return [
    "## The pull request check: `plan --base` next to `plan`",
    "",
    `The estate in a git repository (IdentityMap files of 1,000 entries) on a branch that adds an alias, changes a primary and removes an entry; \`plan --base main\` loads the desired state at main from git and plans it too, against the same directory read. Best of ${RUNS} runs each, alternating. Goal: at most 1.3x.`,
    "",
    "| N | plan | plan --base | ratio | plan peak RSS | plan --base peak RSS |",
    "|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
  ];
}

await runSizes({ script: "bench:offline", results: "offline-results.md", measure, render });
