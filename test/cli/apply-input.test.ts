/** `idanchor apply` with bad input: one clear line naming the file and the fix, exit 1, nothing written. */
import { existsSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "@jest/globals";

import { runCli } from "../support/cli.js";
import { SETTINGS_YAML, workspaces } from "../support/files.js";

const workspace = workspaces();

describe("idanchor apply with bad input", () => {
  it.each([
    ["a missing plan file", "nowhere.json", /^idanchor: nowhere\.json: cannot read the plan \(ENOENT\)/],
    [
      "a file that is not JSON",
      "garbage.json",
      /^idanchor: garbage\.json: is not JSON \(.*\); pass the file/,
    ],
    ["a plan of another version", "v2.json", /^idanchor: v2\.json: plan version 2 is not 1; plan again/],
    ["an edited plan", "edited.json", /^idanchor: edited\.json: is not a valid plan: .*; plan again instead/],
  ])("%s", async (_name, file, expected) => {
    const cwd = workspace({
      "identities/settings.yaml": SETTINGS_YAML,
      "garbage.json": "garbage\n",
      "v2.json": '{"version":2}',
      "edited.json": '{"version":1,"identities":[{"key":1}],"findings":[],"summary":{}}',
    });

    const run = await runCli(["apply", file, "--receipt", "receipt.json"], { cwd });

    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(expected);
    expect(existsSync(path.join(cwd, "receipt.json"))).toBe(false);
  });

  it("a bad --allow-mass-change is refused before anything is read", async () => {
    const cwd = workspace({ "identities/settings.yaml": SETTINGS_YAML });

    const run = await runCli(["apply", "plan.json", "--allow-mass-change", "zero"], { cwd });

    expect(run.code).toBe(1);
    expect(run.stderr).toBe("idanchor: --allow-mass-change takes a whole number of at least 1, not 'zero'\n");
  });
});
