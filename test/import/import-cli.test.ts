import { mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { parse } from "yaml";

import type { Plan } from "../../src/plan/types.js";
import { runCli } from "../support/cli.js";
import { tempDir } from "../support/files.js";

const REPO = path.resolve(new URL("../..", import.meta.url).pathname);
const AD = path.join(REPO, "examples/contoso/ad.ldif");
const ENTRA = path.join(REPO, "examples/contoso/entra.json");
const SNAPSHOTS = ["--ad-snapshot", AD, "--entra-snapshot", ENTRA];
const VERSION = (JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string })
  .version;

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
      `idanchor import: wrote ${out}: 1 already joined, 4 proposed, 1 low-confidence commented out, 15 need a decision\n`,
    );
    const yaml = readFileSync(path.join(work.dir, out), "utf8");
    // The temporary folder holds no copy of the schemas: the versioned URL, never a path out of it.
    expect(yaml.split("\n")[0]).toBe(
      `# yaml-language-server: $schema=https://raw.githubusercontent.com/idanchor/idanchor/v${VERSION}/schemas/identity-map.schema.json`,
    );
    expect(yaml).not.toContain(REPO);
    expect(yaml).toContain("from AD (snapshot ad.ldif) and Entra ID (snapshot entra.json)");
    expect(validated).toMatchObject({ code: 0, stdout: "valid: 2 files, 5 identities\n" });
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
        ["sales-team", "will-join"],
        ["uvega", "will-join"],
        ["vpatel", "will-join"],
      ].sort(),
    );
  });

  it("writes a low-confidence proposal commented out, and as an entry with --include-low", async () => {
    const held = await runCli(["import", ...SNAPSHOTS, "--out", "held.yaml"], { cwd: work.dir });
    const included = await runCli(["import", ...SNAPSHOTS, "--out", "included.yaml", "--include-low"], {
      cwd: work.dir,
    });

    expect([held.code, included.code]).toEqual([0, 0]);
    const heldYaml = readFileSync(path.join(work.dir, "held.yaml"), "utf8");
    const heldDoc = parse(heldYaml) as { identities: { ad: unknown }[] };
    expect(heldDoc.identities.map((i) => i.ad)).not.toContain("reception");
    expect(heldYaml).toMatch(/^# {3}- ad: reception\n# {5}cloud: mia\.noble@contoso\.onmicrosoft\.com$/m);
    const includedDoc = parse(readFileSync(path.join(work.dir, "included.yaml"), "utf8")) as {
      identities: { ad: unknown; cloud: string }[];
    };
    expect(includedDoc.identities).toContainEqual(
      expect.objectContaining({ ad: "reception", cloud: "mia.noble@contoso.onmicrosoft.com" }),
    );
    expect(included.stdout).toContain("5 proposed, 0 low-confidence commented out");
  });

  it("points $schema at the shipped schema by a relative path inside a repository that holds it", async () => {
    // Under the git-ignored .idanchor-tmp/, so that tests reading identities/ never see the file.
    const folder = path.join(REPO, ".idanchor-tmp", `import-${process.pid}`);
    mkdirSync(folder, { recursive: true });
    const out = path.relative(REPO, path.join(folder, "imported.yaml"));

    const imported = await runCli(["import", ...SNAPSHOTS, "--identities", "identities", "--out", out], {
      cwd: REPO,
    });

    try {
      expect(imported.code).toBe(0);
      const yaml = readFileSync(path.join(REPO, out), "utf8");
      expect(yaml.split("\n")[0]).toBe(
        "# yaml-language-server: $schema=../../schemas/identity-map.schema.json",
      );
      expect(yaml).toContain("from AD (snapshot examples/contoso/ad.ldif)");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
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
