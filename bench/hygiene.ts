/**
 * `npm run bench:hygiene [-- --n 10000,100000]`: `idanchor hygiene` from snapshots of the bench's
 * estate (bench/estate.ts: users with 1-5 proxy addresses, contacts, groups, ~5% conflicts, among
 * them duplicate addresses), read and checked against the Graph snapshot of the same tenant. Runs
 * through the CLI's main() in its own process (plan-child.js), writing the CSV report. The goal:
 * 100,000 objects in under 10 s. Results go to bench/hygiene-results.md.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { writeSnapshotEstate } from "./estate.js";
import { runPlanProcess } from "./measure.js";
import type { PlanRun } from "./measure.js";
import { runSizes } from "./sizes.js";

const here = path.dirname(fileURLToPath(import.meta.url));

interface HygieneRecord {
  n: number;
  run: PlanRun;
  checkMs: number | null;
  problems: number | null;
  snapshotMb: number;
}

async function measure(n: number): Promise<HygieneRecord> {
  const work = mkdtempSync(path.join(os.tmpdir(), `idanchor-bench-hygiene-${n}-`));
  try {
    // Hygiene needs the Settings only: no IdentityMap, as before a first sync.
    const { snapshotBytes } = writeSnapshotEstate(work, n, {
      identityMap: false,
      features: {
        blockCloudObjectTakeoverThroughHardMatchEnabled: false,
        blockSoftMatchEnabled: false,
        softMatchOnUpnEnabled: false,
        quarantineUponProxyAddressesConflictEnabled: true,
        quarantineUponUpnConflictEnabled: true,
        passwordSyncEnabled: true,
      },
    });
    const run = await runPlanProcess({
      childScript: path.join(here, "plan-child.js"),
      cwd: work,
      argv: [
        "hygiene",
        "--identities",
        "identities",
        "--ad-snapshot",
        "ad.ldif",
        "--entra-snapshot",
        "entra.json",
      ].concat(["--format", "csv", "--out", "report.csv"]),
      env: process.env,
    });
    if (run.adObjects === null) throw new Error(`hygiene did not read the snapshots:\n${run.stderr}`);
    const check = /Checking the sync scope: \d+ objects, (\d+) problems \(([\d.]+) s\)/.exec(run.stderr);
    return {
      n,
      run,
      checkMs: check ? Number(check[2]) * 1000 : null,
      problems: check ? Number(check[1]) : null,
      snapshotMb: snapshotBytes / 1e6,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const s = (ms: number | null): string => (ms === null ? "-" : `${(ms / 1000).toFixed(2)} s`);

function render(records: readonly HygieneRecord[], command: string): string {
  const rows = records.map(
    ({ n, run, checkMs, problems, snapshotMb }) =>
      `| ${n.toLocaleString("en")} | ${run.adObjects ?? "-"} | ${s(run.wallMs)} | ${s(run.cpuMs ?? null)} | ${s(run.mainMs)} | ${s(run.adMs)} | ${s(run.entraMs)} | ${s(checkMs)} | ${problems ?? "-"} | ${(run.maxRssKb / 1024).toFixed(0)} MB | ${snapshotMb.toFixed(0)} MB | ${run.wallMs < 10_000 ? "yes" : "**no**"} |`,
  );
  return [
    "# idanchor hygiene benchmark",
    "",
    `Written by \`${command}\` (bench/hygiene.ts) on ${new Date().toISOString().slice(0, 10)}, ${os.availableParallelism()} CPUs, Node ${process.version}.`,
    "`idanchor hygiene --ad-snapshot --entra-snapshot --format csv --out report.csv` on the bench's",
    "estate (N identities; the LDIF also holds the OUs), in its own process. Goal: 100,000 objects in",
    "under 10 s of wall time, Node's start-up included. The reads run one after the other. On a",
    "machine shared with other work, wall time grows with the load; CPU time is the process's own.",
    `Load average when written: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(", ")}.`,
    "",
    "| N | AD objects | wall | CPU (user + system) | main() | read AD (LDIF) | read Entra (JSON) | check | problems | peak RSS | snapshot size | under 10 s |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ...rows,
    "",
  ].join("\n");
}

await runSizes({ script: "bench:hygiene", results: "hygiene-results.md", measure, render });
