import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterEach, describe, expect, it } from "@jest/globals";

import { SUMMARY_LIMIT, appendStepSummary, fitSummary } from "../../src/github/summary.js";
import { blocksToMarkdown, planBlocks } from "../../src/render/index.js";
import { tempDir } from "../support/files.js";
import { balanced, bigPlan } from "./fixtures.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((remove) => remove()));

function summaryFile(initial?: string): string {
  const t = tempDir();
  cleanups.push(t.remove);
  const file = path.join(t.dir, "step_summary");
  if (initial !== undefined) writeFileSync(file, initial);
  return file;
}

describe("job summary", () => {
  it("appends markdown that fits as it is", async () => {
    const file = summaryFile("# before\n");

    const result = await appendStepSummary(file, "### idanchor plan\n\nnothing to do");

    expect(result).toEqual({ bytes: 33, truncated: false });
    expect(readFileSync(file, "utf8")).toBe("# before\n### idanchor plan\n\nnothing to do\n");
  });

  it("packs the blocks of a plan over 1 MiB into what is left, says how many more, within the limit", async () => {
    const blocks = planBlocks(bigPlan(6_000));
    const file = summaryFile("x".repeat(10_000) + "\n");

    const result = await appendStepSummary(file, blocks);

    expect(Buffer.byteLength(blocksToMarkdown(blocks))).toBeGreaterThan(SUMMARY_LIMIT);
    expect(result.truncated).toBe(true);
    expect(statSync(file).size).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(statSync(file).size).toBeGreaterThan(SUMMARY_LIMIT - 70_000);
    const appended = readFileSync(file, "utf8").slice(10_001);
    expect(balanced(appended)).toBe(true);
    expect(appended).toMatch(/more identities \(will join the intended cloud object\) in the plan file/);
    expect(appended).toMatch(
      /> \*\*Truncated\*\* \([\d,]+ of [\d,]+ bytes shown\)\. The job summary holds at most 1 MiB, so the rest is cut off here\./,
    );
  });

  it("writes only the note when the step has used nearly all of its summary, and nothing when even that is full", () => {
    const markdown = "y".repeat(5_000);

    const tight = fitSummary(markdown, 600);
    const full = fitSummary(markdown, 50);

    expect(tight).toMatch(/^> \[!WARNING\]\n> \*\*Truncated\*\* \(0 of 5,001 bytes shown\)/);
    expect(Buffer.byteLength(tight)).toBeLessThanOrEqual(600);
    expect(full).toBe("");
  });
});
