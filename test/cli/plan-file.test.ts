/** One reader for saved plans: every command that takes a plan file refuses a bad one with the same line. */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@jest/globals";

import { runCli } from "../support/cli.js";
import { workspaces } from "../support/files.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const workspace = workspaces();

/** The demo plan as `plan --out` writes it, then edited the way the issue found it: one identity incomplete. */
async function demoPlanWithIncompleteIdentity(): Promise<string> {
  const cwd = workspace();
  cpSync(path.join(ROOT, "identities"), path.join(cwd, "identities"), { recursive: true });
  cpSync(path.join(ROOT, "examples/contoso"), path.join(cwd, "snapshots"), { recursive: true });
  const planned = await runCli(
    [
      "plan",
      "--ad-snapshot",
      "snapshots/ad.ldif",
      "--entra-snapshot",
      "snapshots/entra.json",
      "--format",
      "json",
      "--out",
      "plan.json",
    ],
    { cwd },
  );
  expect(planned.code).toBe(1);
  const plan = JSON.parse(readFileSync(path.join(cwd, "plan.json"), "utf8")) as {
    identities: Record<string, unknown>[];
  };
  delete plan.identities[3]!.changes;
  writeFileSync(path.join(cwd, "plan.json"), JSON.stringify(plan));
  return cwd;
}

describe("a plan file with an incomplete identity", () => {
  it("is refused with the same one line by apply and by every github step", async () => {
    const cwd = await demoPlanWithIncompleteIdentity();
    const env = {
      GITHUB_TOKEN: "test-token",
      GITHUB_REPOSITORY: "contoso/identities",
      GITHUB_API_URL: "https://127.0.0.1:9",
    };

    const runs = await Promise.all(
      [
        ["apply", "plan.json"],
        ["github", "annotate", "--plan-file", "plan.json", "--no-summary"],
        ["github", "comment", "--plan-file", "plan.json", "--pr", "7"],
        ["github", "drift-issue", "--drift-exit-code", "2", "--plan-file", "plan.json"],
      ].map((argv) => runCli(argv, { cwd, env })),
    );

    const expected =
      "idanchor: plan.json: is not a valid plan: /identities/3 must have required property 'changes'; plan again instead of editing the file\n";
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(expected);
      expect(run.stdout).toBe("");
    }
  });
});
