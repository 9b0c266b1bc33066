/**
 * `plan --format json` writes the plan identity by identity, in batches, waiting when the stream is
 * full; `--out` writes the saved plan the same way. Streaming changes no result: both parse to
 * exactly the plan that buildPlan makes in memory from the same files, on the demo and on a
 * generated 10,000-identity estate, and stdout is byte for byte `JSON.stringify(plan, null, 2)`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "@jest/globals";

import { writeSnapshotEstate } from "../../bench/estate.js";
import { main } from "../../src/cli/main.js";
import { loadDesiredState } from "../../src/desired/index.js";
import { readLdifSnapshot } from "../../src/directory/ad/index.js";
import { readEntraSnapshot } from "../../src/directory/entra/index.js";
import { buildPlan } from "../../src/plan/index.js";
import type { Plan } from "../../src/plan/index.js";
import { PLAIN_STYLE, renderPlan } from "../../src/render/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The generated estates' snapshots, as the commands name them from the estate's folder. */
const SNAPSHOTS = ["--ad-snapshot", "ad.ldif", "--entra-snapshot", "entra.json"];
const roots: string[] = [];
afterAll(() => {
  for (const dir of roots) rmSync(dir, { recursive: true, force: true });
});

/** A stdout that reports "full" after every other write and drains on the next tick. */
function slowStdout(): {
  stream: Parameters<typeof main>[1]["stdout"];
  text: () => string;
  writes: number[];
} {
  const parts: string[] = [];
  const writes: number[] = [];
  let waiting: (() => void) | null = null;
  const stream = {
    isTTY: false,
    write: (chunk: string | Uint8Array): boolean => {
      if (waiting !== null) throw new Error("written while the stream was full");
      // Each write holds whole pieces, so each decodes on its own.
      parts.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      writes.push(chunk.length);
      return writes.length % 2 === 1;
    },
    once: (event: "drain" | "close" | "error", listener: () => void): void => {
      if (event !== "drain") return; // this stream never closes
      waiting = listener;
      setImmediate(() => {
        waiting = null;
        listener();
      });
    },
  };
  return { stream, text: () => parts.join(""), writes };
}

async function inMemoryPlan(cwd: string, ad: string, entra: string): Promise<Plan> {
  const desired = await loadDesiredState("identities", cwd);
  if (!desired.state) throw new Error("the desired state did not load");
  const baseDN = desired.state.settings.activeDirectory.baseDN;
  return buildPlan(desired.state, await readLdifSnapshot(ad, { baseDN }), await readEntraSnapshot(entra));
}

async function streamedPlan(cwd: string, args: string[]) {
  const stdout = slowStdout();
  let stderr = "";
  const code = await main(["plan", "--identities", "identities", ...args, "--format", "json"], {
    env: {},
    cwd,
    stdout: stdout.stream,
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
  });
  return { code, stdout, stderr };
}

describe("plan --format json, streamed", () => {
  it.each(["entra.json", "entra-locked-down.json"])(
    "the demo (%s): exactly the in-memory plan",
    async (tenant) => {
      const ad = path.join(ROOT, "examples/contoso/ad.ldif");
      const entra = path.join(ROOT, "examples/contoso", tenant);
      const run = await streamedPlan(ROOT, ["--ad-snapshot", ad, "--entra-snapshot", entra]);
      expect(run.stderr).not.toMatch(/idanchor:/);
      const plan = await inMemoryPlan(ROOT, ad, entra);
      expect(run.stdout.text()).toBe(`${JSON.stringify(plan, null, 2)}\n`);
      expect(JSON.parse(run.stdout.text())).toEqual(JSON.parse(JSON.stringify(plan)));
    },
  );

  it("a generated 10,000-identity estate: stdout and --out in batches, both exactly the in-memory plan", async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), "idanchor-stream-"));
    roots.push(work);
    writeSnapshotEstate(work, 10_000, { perFile: 1_000 });

    const run = await streamedPlan(work, [...SNAPSHOTS, "--out", "plan.json"]);
    const plan = await inMemoryPlan(work, path.join(work, "ad.ldif"), path.join(work, "entra.json"));
    expect(plan.identities).toHaveLength(10_000);
    const text = run.stdout.text();
    expect(text).toBe(`${JSON.stringify(plan, null, 2)}\n`);
    // Written in batches of about 1 MB, never as one text.
    expect(run.stdout.writes.length).toBeGreaterThan(5);
    expect(Math.max(...run.stdout.writes)).toBeLessThan(2 * 1024 * 1024);
    const expected = JSON.parse(JSON.stringify(plan)) as Plan;
    expect(JSON.parse(readFileSync(path.join(work, "plan.json"), "utf8"))).toEqual(expected);
  });

  it.each(["markdown", "text"] as const)(
    "a generated 10,000-identity estate as %s: exactly what the renderer makes of the in-memory plan",
    async (format) => {
      const work = mkdtempSync(path.join(os.tmpdir(), "idanchor-view-"));
      roots.push(work);
      // Few files, so that warning codes repeat across thousands of identities (the views fold them).
      writeSnapshotEstate(work, 10_000, { perFile: 2_500 });
      let stdout = "";
      const code = await main(["plan", ...SNAPSHOTS, "--format", format, "--out", "p.json"], {
        env: {},
        cwd: work,
        stdout: { write: (s: string) => (stdout += s), isTTY: false },
        stderr: { write: () => true, isTTY: false },
      });
      const plan = await inMemoryPlan(work, path.join(work, "ad.ldif"), path.join(work, "entra.json"));
      expect(code).toBe(plan.summary.errors > 0 ? 1 : plan.summary.changes > 0 ? 2 : 0);
      // The estate has repeated warnings, so the views' trimming of them is exercised.
      expect(
        plan.identities.filter((i) => i.findings.some((f) => f.severity === "warning")).length,
      ).toBeGreaterThan(100);
      expect(stdout).toBe(renderPlan(plan, format, PLAIN_STYLE));
      expect(JSON.parse(readFileSync(path.join(work, "p.json"), "utf8"))).toEqual(
        JSON.parse(JSON.stringify(plan)),
      );
    },
  );

  it("a --out that cannot be written fails before anything reaches stdout, and leaves no file", async () => {
    const ad = path.join(ROOT, "examples/contoso/ad.ldif");
    const entra = path.join(ROOT, "examples/contoso/entra.json");
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "idanchor-out-")), "missing", "plan.json");
    roots.push(path.dirname(path.dirname(out)));
    const run = await streamedPlan(ROOT, ["--ad-snapshot", ad, "--entra-snapshot", entra, "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stdout.text()).toBe("");
    expect(run.stderr).toContain("plan.json");
    expect(run.stderr).toMatch(/cannot write \(ENOENT\)/);
    expect(readdirSync(path.dirname(path.dirname(out)))).toEqual([]);
  });
});
