/**
 * The measurements: seeding (reported apart), the ldapsearch floor, `plan` in a child process, and
 * apply's AD modifies per second with the real LdapDirectory.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { applyPlan } from "../src/apply/apply-plan.js";
import type { ApplyPorts } from "../src/model/ports.js";
import { openLdap } from "../src/directory/ad/index.js";
import { AD_ATTRIBUTES } from "../src/directory/ad/to-ad-object.js";
import { SELECTION_FILTER } from "../src/directory/ad/filter.js";
import { adAddressChanges } from "../src/plan/ad-changes.js";
import type { Plan, PlanIdentity } from "../src/plan/types.js";
import type { SambaDc } from "../test/support/samba.js";
import type { PlanChildResult } from "./plan-child.js";

/** Records per ldbadd run: one transaction each; Samba's add cost grows with the database anyway. */
const SEED_CHUNK = 2000;

/** Adds LDIF records into the DC's database files in chunks; returns the elapsed ms. */
export async function seedAd(dc: SambaDc, records: string[], onProgress?: (done: number) => void) {
  const started = performance.now();
  for (let at = 0; at < records.length; at += SEED_CHUNK) {
    await dc.ldbAdd(records.slice(at, at + SEED_CHUNK).join("\n"));
    onProgress?.(Math.min(at + SEED_CHUNK, records.length));
  }
  return performance.now() - started;
}

export interface FloorResult {
  ms: number;
  entries: number;
  bytes: number;
}

/**
 * OpenLDAP's ldapsearch reading what the adapter reads (same base, filter, attributes, page size
 * 1000, LDAPS): the fastest this DC serves the objects, the LDAP half of the floor.
 */
export function ldapsearchFloor(dc: SambaDc, pageSize = 1000): Promise<FloorResult> {
  const args = [
    "-LLL",
    "-H",
    dc.url,
    "-x",
    "-D",
    dc.bindDn,
    "-w",
    dc.password,
    "-b",
    dc.baseDN,
    "-E",
    `pr=${pageSize}/noprompt`,
    SELECTION_FILTER,
    ...AD_ATTRIBUTES,
  ];
  const env = { ...process.env, LDAPTLS_CACERT: dc.caFile, LDAPTLS_REQCERT: "demand" };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("ldapsearch", args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let bytes = 0;
    let entries = 0;
    let tail = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      // Count entries as "dn:" lines; the tail carries a line split across chunks.
      const text = tail + chunk.toString("latin1");
      entries += text.match(/^dn::? /gm)?.length ?? 0;
      const cut = text.lastIndexOf("\n");
      tail = text.slice(cut + 1);
      if (/^dn::? /.test(tail)) entries -= 1;
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`ldapsearch exited ${code}: ${stderr}`));
      else resolve({ ms, entries: entries + (/^dn::? /.test(tail) ? 1 : 0), bytes });
    });
  });
}

export interface PlanRun extends PlanChildResult {
  wallMs: number;
  adMs: number | null;
  adObjects: number | null;
  entraMs: number | null;
  /** Loading (reading, parsing, validating) the desired state: the CLI's own step timing. */
  yamlMs: number | null;
}

/** Runs plan-child.js in a new Node process; `nodeArgs` e.g. ["--cpu-prof", ...]. */
export function runPlanProcess(opts: {
  childScript: string;
  cwd: string;
  argv: string[];
  env: Record<string, string | undefined>;
  nodeArgs?: string[];
}): Promise<PlanRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [...(opts.nodeArgs ?? []), opts.childScript, opts.cwd, ...opts.argv],
      { env: opts.env, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const line = out.trim().split("\n").pop() ?? "";
      let result: PlanChildResult;
      try {
        result = JSON.parse(line) as PlanChildResult;
      } catch {
        reject(new Error(`plan child exited ${code} without a result: ${out.slice(-2000)}`));
        return;
      }
      const ad = /Reading Active Directory .*?: (\d+) objects \(([\d.]+) s\)/.exec(result.stderr);
      const entra = /Reading Entra ID .*?: \d+ users.*? \(([\d.]+) s\)/.exec(result.stderr);
      const yaml = /Loading the desired state .*?: \d+ identities.*? \(([\d.]+) s\)/.exec(result.stderr);
      resolve({
        ...result,
        wallMs,
        adObjects: ad ? Number(ad[1]) : null,
        adMs: ad ? Number(ad[2]) * 1000 : null,
        entraMs: entra ? Number(entra[1]) * 1000 : null,
        yamlMs: yaml ? Number(yaml[1]) * 1000 : null,
      });
    });
  });
}

export interface ApplyResult {
  changes: number;
  applied: number;
  failed: number;
  ms: number;
  perSecond: number;
  concurrency: number;
}

/** LDIF for `count` users that apply will rewrite: each gets a new primary and keeps the old as alias. */
export function applyBenchRecords(ou: string, count: number): string[] {
  const records = [`dn: ${ou}\nobjectClass: organizationalUnit\n`];
  for (let i = 0; i < count; i++)
    records.push(
      `dn: CN=Apply ${i},${ou}\nobjectClass: user\nsAMAccountName: apply${i}\nmail: apply${i}@corp.contoso.com\n` +
        `proxyAddresses: SMTP:apply${i}@corp.contoso.com\nproxyAddresses: X500:/o=Contoso/cn=apply${i}\n`,
    );
  return records;
}

/**
 * A plan of `count` AD changes built with the planner's own change function, applied by applyPlan
 * through the real LdapDirectory: per object one read (compare) and one modify (set).
 */
export async function measureApply(opts: {
  dc: SambaDc;
  ou: string;
  count: number;
  concurrency: number;
  workDir: string;
}): Promise<ApplyResult> {
  const { dc, ou, count } = opts;
  const identities: PlanIdentity[] = [];
  for (let i = 0; i < count; i++) {
    const dn = `CN=Apply ${i},${ou}`;
    const proxyAddresses = [`SMTP:apply${i}@corp.contoso.com`, `X500:/o=Contoso/cn=apply${i}`];
    const mail = `apply${i}@corp.contoso.com`;
    const object = { dn, proxyAddresses, mail };
    const changes = adAddressChanges(object as Parameters<typeof adAddressChanges>[0], {
      primary: `apply.user${i}@contoso.com`,
      aliases: [],
      policy: "additive",
    });
    identities.push({
      key: `apply${i}`,
      type: "user",
      source: { file: "bench", line: i + 1, column: 1 },
      dn,
      targetId: null,
      targetName: `apply${i}`,
      outcome: "will-join",
      via: "smtp",
      cloudId: null,
      cloudName: null,
      rebind: false,
      read: { ad: { dn, proxyAddresses, mail }, entra: null },
      changes,
      findings: [],
    });
  }
  const plan: Plan = {
    version: 1,
    identities,
    findings: [],
    summary: {
      identities: count,
      changes: count,
      errors: 0,
      warnings: 0,
      currentSyncErrors: 0,
      outcomes: {} as never,
    },
  };
  const settingsDir = opts.workDir;
  const ldap = await openLdap({ settings: dc.settings(), settingsDir, env: dc.env });
  const noEntra: ApplyPorts["entra"] = {
    readImmutableIds: () => Promise.reject(new Error("no Entra writes in this bench")),
    writeImmutableIds: () => Promise.reject(new Error("no Entra writes in this bench")),
  };
  try {
    const started = performance.now();
    const { receipt } = await applyPlan(
      plan,
      { ad: ldap, entra: noEntra },
      { concurrency: opts.concurrency, now: () => new Date(), commit: null },
    );
    const ms = performance.now() - started;
    writeFileSync(path.join(opts.workDir, "apply-receipt.json"), JSON.stringify(receipt.summary));
    return {
      changes: count,
      applied: receipt.summary.applied,
      failed: receipt.summary.failed + receipt.summary.conflict,
      ms,
      perSecond: receipt.summary.applied / (ms / 1000),
      concurrency: opts.concurrency,
    };
  } finally {
    await ldap.close();
  }
}

/** `plan` next to `plan --base main` on a pull request branch: the fastest of `runs` each, alternating. */
export interface BaseComparisonRun {
  planMs: number;
  baseMs: number;
  planRssKb: number;
  baseRssKb: number;
  runs: number;
}

export async function comparePlanAndBase(
  run: (extra: string[]) => Promise<PlanRun>,
  runs: number,
): Promise<BaseComparisonRun> {
  const plain: PlanRun[] = [];
  const based: PlanRun[] = [];
  for (let i = 0; i < runs; i++) {
    plain.push(await run([]));
    based.push(await run(["--base", "main"]));
  }
  const failed = [...plain, ...based].find((r) => r.adObjects === null);
  if (failed) throw new Error(`plan did not read the directories:\n${failed.stderr}`);
  const best = (list: PlanRun[]): PlanRun => list.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  return {
    planMs: best(plain).wallMs,
    baseMs: best(based).wallMs,
    planRssKb: best(plain).maxRssKb,
    baseRssKb: best(based).maxRssKb,
    runs,
  };
}
