import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";

import type { Plan } from "../../src/plan/types.js";
import { runCli } from "../support/cli.js";
import { tempDir } from "../support/files.js";

const REPO = path.resolve(new URL("../..", import.meta.url).pathname);
const AD = path.join(REPO, "examples/contoso/ad.ldif");
const ENTRA = path.join(REPO, "examples/contoso/entra.json");
const SNAPSHOTS = ["--ad-snapshot", AD, "--entra-snapshot", ENTRA];

let work: ReturnType<typeof tempDir>;

beforeEach(() => {
  work = tempDir({
    "identities/settings.yaml": readFileSync(path.join(REPO, "identities/settings.yaml"), "utf8"),
  });
});

afterEach(() => work.remove());

describe("idanchor import on the demo snapshots", () => {
  it("writes YAML that validates, and plan proposes no change for the joined objects", async () => {
    const out = "identities/imported.yaml";

    const imported = await runCli(["import", ...SNAPSHOTS, "--out", out], { cwd: work.dir });
    const validated = await runCli(["validate", "--identities", "identities"], { cwd: work.dir });
    const planned = await runCli(["plan", ...SNAPSHOTS, "--format", "json"], { cwd: work.dir });

    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toBe(
      `idanchor import: wrote ${out}: 1 already joined, 5 proposed, 15 need a decision\n`,
    );
    const yaml = readFileSync(path.join(work.dir, out), "utf8");
    expect(yaml.split("\n")[0]).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/.*schemas\/identity-map\.schema\.json$/,
    );
    expect(validated).toMatchObject({ code: 0, stdout: "valid: 2 files, 6 identities\n" });
    const plan = JSON.parse(planned.stdout) as Plan;
    const joined = plan.identities.filter((i) => i.outcome === "joined");
    // Joined as it is: no change; only what the last sync reported on it (CurrentSyncError).
    expect(joined.map((i) => [i.key, i.changes, i.findings.map((f) => f.code)])).toEqual([
      ["bjones", [], ["CurrentSyncError", "CurrentSyncError"]],
    ]);
    expect(plan.identities.map((i) => [i.key, i.outcome]).sort()).toEqual(
      [
        ["CN=Fabrikam Support,OU=Contacts,OU=Shared,DC=corp,DC=contoso,DC=com", "will-join"],
        ["bjones", "joined"],
        ["reception", "will-join"],
        ["sales-team", "will-join"],
        ["uvega", "will-join"],
        ["vpatel", "will-join"],
      ].sort(),
    );
  });

  it("lists the objects it could not map as comments, with the reason", async () => {
    const out = "imported.yaml";

    await runCli(["import", "--identities", "identities", ...SNAPSHOTS, "--out", out], { cwd: work.dir });

    const yaml = readFileSync(path.join(work.dir, out), "utf8");
    for (const sam of [
      "asmith",
      "cwhite",
      "dlee",
      "gkim",
      "hmartin",
      "iwong",
      "lnguyen",
      "mnoble",
      "opetrov",
    ])
      expect(yaml).toMatch(new RegExp(`^# ${sam} \\(user, CN=[^)]*\\): no cloud object matches`, "m"));
    expect(yaml).toContain("# PROPOSED, confidence low: CN=Reception Desk");
    expect(yaml).toContain("displayName differs: 'Reception Desk' on-prem, 'Mia Noble' in the cloud");
  });

  it("refuses to replace an existing file unless --force", async () => {
    const out = "identities/imported.yaml";
    await runCli(["import", ...SNAPSHOTS, "--out", out], { cwd: work.dir });
    const first = readFileSync(path.join(work.dir, out), "utf8");

    const again = await runCli(["import", ...SNAPSHOTS, "--out", out], { cwd: work.dir });
    const forced = await runCli(["import", ...SNAPSHOTS, "--out", out, "--force"], { cwd: work.dir });

    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${out}: already exists; choose another --out or pass --force`);
    expect(forced.code).toBe(0);
    // Its own entries do not count as already mapped when the file is being replaced.
    expect(readFileSync(path.join(work.dir, out), "utf8")).toBe(first);
    expect(readdirSync(path.join(work.dir, "identities")).sort()).toEqual(["imported.yaml", "settings.yaml"]);
  });
});
