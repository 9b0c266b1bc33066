/**
 * `npm run bench [-- --n 10000] [--latency 50] [--concurrency 8] [--profile] [--no-apply]`
 *
 * For each N: a fresh Samba AD DC and Graph test server, a synthetic estate seeded into both, the
 * desired state written as YAML, then the floor (ldapsearch), `plan` in a child process and apply's
 * modify rate. Results go to bench/results.json and bench/results.md.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { startGraphServer } from "../test/support/graph-server.js";
import { startSambaDc } from "../test/support/samba.js";
import { generateEstate, layoutFor, settingsYaml, writeDesiredState } from "./estate.js";
import type { Plan } from "../src/plan/types.js";
import { commitEstate, writePullRequest } from "../test/support/pr-estate.js";
import {
  applyBenchRecords,
  comparePlanAndBase,
  ldapsearchFloor,
  measureApply,
  runPlanProcess,
  seedAd,
} from "./measure.js";
import type { BenchRecord, Machine } from "./results.js";
import { renderResults, storeRecord } from "./results.js";
import { linkPackageFiles } from "./sizes.js";

const here = path.dirname(fileURLToPath(import.meta.url));
/** bench/ in the source tree, whether run from dist-bench/bench or not. */
const benchDir = path.resolve(here, "../../bench");
const APPLY_CHANGES = 1000;
/** The pull request check (`plan --base`) is measured up to this size, best of BASE_RUNS runs each. */
const BASE_MAX_N = 10_000;
const BASE_RUNS = 2;

interface Options {
  sizes: number[];
  latencyMs: number;
  concurrency: number;
  profile: boolean;
  apply: boolean;
  keep: boolean;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: "string", default: "1000,10000" },
      latency: { type: "string", default: "50" },
      concurrency: { type: "string", default: "8" },
      profile: { type: "boolean", default: false },
      "no-apply": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
    },
  });
  const sizes = values.n.split(",").map((v) => Number(v.replace(/_/g, "")));
  if (sizes.some((v) => !Number.isInteger(v) || v < 10)) throw new Error(`--n takes whole numbers >= 10`);
  return {
    sizes,
    latencyMs: Number(values.latency),
    concurrency: Number(values.concurrency),
    profile: values.profile,
    apply: !values["no-apply"],
    keep: values.keep,
  };
}

function machine(): Machine {
  let samba = "Samba";
  try {
    samba = execFileSync("samba", ["--version"], { encoding: "utf8" }).trim();
  } catch {
    // reported as plain "Samba"
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    samba,
  };
}

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

async function benchOne(n: number, opts: Options, command: string): Promise<BenchRecord> {
  const work = mkdtempSync(path.join(os.tmpdir(), `idanchor-bench-${n}-`));
  log(`N=${n}: work folder ${work}`);
  const dc = await startSambaDc({ keepDir: opts.keep });
  const layout = layoutFor(dc.baseDN);
  const estate = generateEstate(n, layout);
  const graph = await startGraphServer({ dir: work, tenant: estate.tenant, latencyMs: opts.latencyMs });
  try {
    log(`seeding ${estate.adRecords.length} AD records (ldbadd)`);
    const adMs = await seedAd(dc, estate.adRecords, (done) => log(`  ${done}/${estate.adRecords.length}`));
    const yamlStarted = performance.now();
    const repo = path.join(work, "repo");
    const settings = settingsYaml({
      url: dc.url,
      layout,
      caFile: dc.caFile,
      tenantId: graph.app.tenantId,
      clientId: graph.app.clientId,
      graphUrl: graph.url,
    });
    writeDesiredState(path.join(repo, "identities"), estate.identityLines, settings);
    const yamlMs = performance.now() - yamlStarted;
    log(`seeded in ${(adMs / 1000).toFixed(1)} s; measuring the floor`);

    await ldapsearchFloor(dc); // warm-up: the first read also fills Samba's caches
    const floor = await ldapsearchFloor(dc);
    const graphPages = Math.ceil(n / 999);
    const graphMs = graphPages * opts.latencyMs;

    log(`floor ${(floor.ms / 1000).toFixed(2)} s for ${floor.entries} entries; running plan`);
    graph.clearRequests();
    const planEnv = { ...process.env, ...dc.env, ...graph.env("secret"), NODE_EXTRA_CA_CERTS: graph.caFile };
    const profileDir = path.join(benchDir, "work", "profiles");
    if (opts.profile) mkdirSync(profileDir, { recursive: true });
    const plan = await runPlanProcess({
      childScript: path.join(here, "plan-child.js"),
      cwd: repo,
      argv: ["plan", "--identities", "identities", "--format", "markdown", "--out", "plan.json"],
      env: planEnv,
      nodeArgs: opts.profile
        ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=plan-${n}.cpuprofile`]
        : [],
    });
    if (plan.code === 1 && !plan.stderr.includes("Reading Entra"))
      throw new Error(`plan failed:\n${plan.stderr}`);
    const graphRequests = graph.requests.filter(
      (r) => !["openid-configuration", "token", "actions-id-token"].includes(r.kind),
    ).length;
    let outcomes: Record<string, number> | null = null;
    try {
      const saved = JSON.parse(readFileSync(path.join(repo, "plan.json"), "utf8")) as {
        summary?: { outcomes?: Record<string, number> };
      };
      outcomes = saved.summary?.outcomes ?? null;
    } catch {
      outcomes = null;
    }
    log(
      `plan ${(plan.wallMs / 1000).toFixed(2)} s, ${(plan.maxRssKb / 1024).toFixed(0)} MB, ${graphRequests} Graph requests`,
    );

    // The pull request check against the same DC and Graph server: the estate committed on main, a
    // branch that changes three entries, and `plan` next to `plan --base main` (best of BASE_RUNS each).
    let base = null;
    if (n <= BASE_MAX_N && outcomes !== null) {
      await commitEstate(repo);
      const basePlan = JSON.parse(readFileSync(path.join(repo, "plan.json"), "utf8")) as Plan;
      await writePullRequest({ repo }, basePlan);
      base = await comparePlanAndBase(
        (extra) =>
          runPlanProcess({
            childScript: path.join(here, "plan-child.js"),
            cwd: repo,
            argv: [
              "plan",
              "--identities",
              "identities",
              "--format",
              "markdown",
              "--out",
              "plan.json",
              ...extra,
            ],
            env: planEnv,
          }),
        BASE_RUNS,
      );
      log(
        `plan ${(base.planMs / 1000).toFixed(2)} s, plan --base ${(base.baseMs / 1000).toFixed(2)} s (${(base.baseMs / base.planMs).toFixed(2)}x)`,
      );
    }

    let apply = null;
    if (opts.apply) {
      const ou = `OU=ApplyBench,${dc.baseDN}`;
      await seedAd(dc, applyBenchRecords(ou, APPLY_CHANGES));
      apply = await measureApply({
        dc,
        ou,
        count: APPLY_CHANGES,
        concurrency: opts.concurrency,
        workDir: work,
      });
      log(`apply ${apply.applied}/${apply.changes} at ${apply.perSecond.toFixed(0)}/s`);
    }
    return {
      n,
      date: new Date().toISOString().slice(0, 10),
      command,
      latencyMs: opts.latencyMs,
      machine: machine(),
      scenarios: estate.scenarios,
      seeding: {
        adMs,
        adRecords: estate.adRecords.length,
        graphObjects:
          estate.tenant.users.length + estate.tenant.groups.length + estate.tenant.contacts.length,
        yamlMs,
      },
      floor: { ...floor, graphPages, graphMs, totalMs: floor.ms + graphMs },
      plan: {
        ...plan,
        graphRequests,
        ldapPages: Math.ceil((plan.adObjects ?? floor.entries) / 1000),
        outcomes,
      },
      base,
      apply,
    };
  } finally {
    await graph.close();
    await dc.stop();
    if (!opts.keep) rmSync(work, { recursive: true, force: true });
  }
}

// src/ finds schemas/ and package.json two folders up from its compiled files; compiled here with
// bench/ and test/, src/ sits one level deeper, so give dist-bench/ the same neighbours.
linkPackageFiles();

const argv = process.argv.slice(2);
const opts = options(argv);
const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`;
for (const n of opts.sizes) {
  const record = await benchOne(n, opts, command);
  const records = storeRecord(path.join(benchDir, "results.json"), record);
  const notesFile = path.join(benchDir, "notes.md");
  let notes = "";
  try {
    notes = readFileSync(notesFile, "utf8");
  } catch {
    notes = "";
  }
  writeFileSync(path.join(benchDir, "results.md"), renderResults(records, notes));
  log(`N=${n} done: bench/results.md`);
}
