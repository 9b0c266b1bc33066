/**
 * bench/results.md from the stored runs (bench/results.json, one entry per N, the latest run
 * wins), so a later `--n 100000` adds its table and the 10k -> 100k growth without rerunning 10k.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

import type { ApplyResult, BaseComparisonRun, FloorResult, PlanRun } from "./measure.js";

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  samba: string;
}

export interface BenchRecord {
  n: number;
  date: string;
  command: string;
  latencyMs: number;
  machine: Machine;
  scenarios: Record<string, number>;
  seeding: { adMs: number; adRecords: number; graphObjects: number; yamlMs: number };
  floor: FloorResult & { graphPages: number; graphMs: number; totalMs: number };
  plan: PlanRun & { graphRequests: number; ldapPages: number; outcomes: Record<string, number> | null };
  /** `plan` next to `plan --base main` on a pull request branch (absent in older records). */
  base?: BaseComparisonRun | null;
  apply: ApplyResult | null;
  notes?: string[];
}

export const GOALS = {
  ratio: 1.5,
  rssMb: 512,
  graphExtra: 10,
  growth10kTo100k: 11,
  applyPerSecond: 150,
  baseRatio: 1.3,
} as const;

export function readRecords(file: string): BenchRecord[] {
  if (!existsSync(file)) return [];
  return JSON.parse(readFileSync(file, "utf8")) as BenchRecord[];
}

export function storeRecord(file: string, record: BenchRecord): BenchRecord[] {
  const records = readRecords(file).filter((r) => r.n !== record.n);
  records.push(record);
  records.sort((a, b) => a.n - b.n);
  writeFileSync(file, `${JSON.stringify(records, null, 2)}\n`);
  return records;
}

const s = (ms: number | null): string => (ms === null ? "n/a" : `${(ms / 1000).toFixed(2)} s`);
const mark = (ok: boolean): string => (ok ? "met" : "**missed**");

function table(r: BenchRecord): string {
  const rssMb = r.plan.maxRssKb / 1024;
  const ratio = r.plan.wallMs / r.floor.totalMs;
  const graphLimit = Math.ceil(r.n / 999) + GOALS.graphExtra;
  const planMs =
    // The two reads run at the same time: the rest of main() follows the longer one.
    r.plan.adMs !== null && r.plan.entraMs !== null
      ? r.plan.mainMs - Math.max(r.plan.adMs, r.plan.entraMs)
      : null;
  const rows = [
    ["`plan` wall time (child process, start to exit)", s(r.plan.wallMs), "", ""],
    ["- reading AD (adapter, paged)", s(r.plan.adMs), "at the same time as Entra", ""],
    ["- reading Entra (Graph)", s(r.plan.entraMs), "at the same time as AD", ""],
    ["- load YAML + buildPlan + render + write plan", s(planMs), "", ""],
    ["floor: ldapsearch -E pr=1000/noprompt", s(r.floor.ms), `${r.floor.entries} entries`, ""],
    [`floor: ceil(N/999) x latency`, s(r.floor.graphMs), `${r.floor.graphPages} x ${r.latencyMs} ms`, ""],
    ["**ratio plan / floor**", ratio.toFixed(2), `goal <= ${GOALS.ratio}`, mark(ratio <= GOALS.ratio)],
    ["peak RSS of `plan`", `${rssMb.toFixed(0)} MB`, `goal <= ${GOALS.rssMb} MB`, mark(rssMb <= GOALS.rssMb)],
    [
      "Graph requests",
      String(r.plan.graphRequests),
      `goal <= ${graphLimit}`,
      mark(r.plan.graphRequests <= graphLimit),
    ],
    [
      "LDAP pages (ceil(objects read / 1000))",
      String(r.plan.ldapPages),
      `${r.plan.adObjects ?? "?"} objects`,
      "",
    ],
    ...(r.base
      ? [
          [
            "pull request check: `plan` / `plan --base main`",
            `${s(r.base.planMs)} / ${s(r.base.baseMs)}`,
            `a branch changing 3 entries; best of ${r.base.runs} runs each, alternating; peak RSS ${(r.base.planRssKb / 1024).toFixed(0)} / ${(r.base.baseRssKb / 1024).toFixed(0)} MB`,
            "",
          ],
          [
            "**ratio plan --base / plan**",
            (r.base.baseMs / r.base.planMs).toFixed(2),
            `goal <= ${GOALS.baseRatio}`,
            mark(r.base.baseMs / r.base.planMs <= GOALS.baseRatio),
          ],
        ]
      : []),
    [
      "apply: AD modifies/s",
      r.apply ? r.apply.perSecond.toFixed(0) : "not run",
      r.apply
        ? `${r.apply.applied}/${r.apply.changes} in ${s(r.apply.ms)}, concurrency ${r.apply.concurrency}; goal >= ${GOALS.applyPerSecond}`
        : "",
      r.apply ? mark(r.apply.perSecond >= GOALS.applyPerSecond && r.apply.failed === 0) : "",
    ],
    [
      "seeding (not part of the figures)",
      s(r.seeding.adMs),
      `${r.seeding.adRecords} LDIF records via ldbadd; ${r.seeding.graphObjects} Graph objects; YAML ${s(r.seeding.yamlMs)}`,
      "",
    ],
  ];
  const outcomes = r.plan.outcomes
    ? Object.entries(r.plan.outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")
    : "n/a";
  const scenarios = Object.entries(r.scenarios)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return [
    `### N = ${r.n.toLocaleString("en")}`,
    "",
    `${r.date} · \`${r.command}\` · Graph latency ${r.latencyMs} ms · plan exit code ${r.plan.code}`,
    "",
    "| measure | value | detail | goal |",
    "|---|---|---|---|",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    "",
    `Generated: ${scenarios}.`,
    "",
    `Plan outcomes: ${outcomes}.`,
    ...(r.notes && r.notes.length > 0 ? ["", ...r.notes.map((n) => `- ${n}`)] : []),
    "",
  ].join("\n");
}

function growth(records: BenchRecord[]): string {
  const at = (n: number): BenchRecord | undefined => records.find((r) => r.n === n);
  const a = at(10_000);
  const b = at(100_000);
  if (!a || !b) return "Growth 10k -> 100k: not measured yet (run `npm run bench -- --n 100000`).\n";
  const g = b.plan.wallMs / a.plan.wallMs;
  return `Growth of plan wall time 10k -> 100k: ${g.toFixed(2)}x (goal <= ${GOALS.growth10kTo100k}x): ${mark(g <= GOALS.growth10kTo100k)}.\n`;
}

export function renderResults(records: BenchRecord[], extra: string): string {
  const m = records[records.length - 1]?.machine;
  return [
    "# idanchor benchmark results",
    "",
    "Written by `npm run bench` (bench/run-bench.ts); raw figures in bench/results.json. Reproduce with",
    "`npm ci && npm run bench` (N = 1,000 and 10,000) or `npm run bench -- --n 100000`.",
    "",
    m
      ? `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb.toFixed(0)} GB RAM, Node ${m.node}, ${m.samba}.`
      : "",
    "",
    "The floor is OpenLDAP's `ldapsearch` reading the same objects from the same DC (same filter, attributes",
    "and page size) plus ceil(N/999) Graph round trips at the configured latency. `plan` runs in its own",
    "process through the CLI's main() (`plan --format markdown --out plan.json`), against a Samba AD DC and",
    "the HTTPS Graph test server; peak RSS is that process's maxRSS.",
    "",
    ...records.map(table),
    growth(records),
    extra,
  ].join("\n");
}
