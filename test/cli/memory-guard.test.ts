/**
 * The memory guard: `idanchor plan` of 20,000 generated identities (users, contacts, groups, ~5%
 * conflicts) from snapshots, in a Node whose heap is capped at 160 MB, succeeds and writes every
 * identity to stdout and to the plan file. Not a timed test: it fails only when the plan needs
 * more memory than the cap, which a plan that holds too much at once does.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "@jest/globals";

import { writeSnapshotEstate } from "../../bench/estate.js";
import type { Plan } from "../../src/plan/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const N = 20_000;
const HEAP_MB = 160;

const work = mkdtempSync(path.join(os.tmpdir(), "idanchor-memory-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe(`plan of ${N.toLocaleString("en")} identities with the heap capped at ${HEAP_MB} MB`, () => {
  it("succeeds, and stdout and --out hold every identity", () => {
    writeSnapshotEstate(work, N);

    // stdout goes to a file, so this test process holds none of it while the plan runs.
    const stdoutFile = path.join(work, "stdout.json");
    const fd = openSync(stdoutFile, "w");
    const run = spawnSync(
      process.execPath,
      [
        `--max-old-space-size=${HEAP_MB}`,
        path.join(ROOT, "bin/idanchor.js"),
        "plan",
        "--ad-snapshot",
        "ad.ldif",
        "--entra-snapshot",
        "entra.json",
        "--format",
        "json",
        "--out",
        "plan.json",
      ],
      { cwd: work, stdio: ["ignore", fd, "pipe"], encoding: "utf8", timeout: 240_000 },
    );
    closeSync(fd);

    expect(run.stderr).not.toMatch(/heap out of memory|FATAL ERROR/);
    // The estate has conflicts: the plan's own verdict is 1 (blocking findings), not a crash.
    expect({ status: run.status, signal: run.signal }).toEqual({ status: 1, signal: null });
    const fromStdout = JSON.parse(readFileSync(stdoutFile, "utf8")) as Plan;
    const saved = JSON.parse(readFileSync(path.join(work, "plan.json"), "utf8")) as Plan;
    expect(fromStdout.identities).toHaveLength(N);
    expect(saved.identities).toHaveLength(N);
    expect(saved.summary).toEqual(fromStdout.summary);
  });
});
