/**
 * Hostile files in identities/: symbolic links (a pull request can commit them), a FIFO, and
 * nesting thousands of levels deep in YAML and JSON. Each gives one clear error naming the file,
 * never an internal error, and nothing outside the folder is read.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "@jest/globals";

import { main } from "../../src/cli/main.js";
import { SETTINGS_YAML, workspaces } from "../support/files.js";

const workspace = workspaces();
const STAFF =
  "kind: IdentityMap\nidentities:\n  - ad: asmith\n    cloud: asmith@contoso.onmicrosoft.com\n    smtp: asmith@contoso.com\n";
const SECRET = "kind: IdentityMap\nidentities:\n  - ad: {SECRET-CONTENT-of-the-runner}\n";

async function run(cwd: string, argv: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const ctx = {
    env,
    cwd,
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
  };
  const code = await main(argv, ctx);
  return { code, out: stdout + stderr };
}

const validate = (cwd: string) => run(cwd, ["validate", "--identities", "identities", "--format", "text"]);

describe("symbolic links in identities/", () => {
  it("a link to a file outside the folder is refused and its contents never shown", async () => {
    const outside = workspace({ "secret.yaml": SECRET });
    const dir = workspace({ "identities/settings.yaml": SETTINGS_YAML, "identities/staff.yaml": STAFF });
    symlinkSync(path.join(outside, "secret.yaml"), path.join(dir, "identities", "extra.yaml"));

    const result = await validate(dir);

    expect(result.code).toBe(1);
    expect(result.out).toContain(
      "identities/extra.yaml: error SymlinkRefused: is a symbolic link that leaves the identities folder; refused (not read)",
    );
    expect(result.out).not.toContain("SECRET-CONTENT");
  });

  it("a relative link climbing out of the folder is refused too", async () => {
    const dir = workspace({
      "identities/settings.yaml": SETTINGS_YAML,
      "identities/staff.yaml": STAFF,
      "elsewhere.yaml": SECRET,
    });
    symlinkSync("../elsewhere.yaml", path.join(dir, "identities", "up.yaml"));

    const result = await validate(dir);

    expect(result.code).toBe(1);
    expect(result.out).toContain("identities/up.yaml: error SymlinkRefused");
    expect(result.out).not.toContain("SECRET-CONTENT");
  });

  it("a link to a folder gives a clear message, not an internal error", async () => {
    const dir = workspace({ "identities/settings.yaml": SETTINGS_YAML, "identities/sub/staff.yaml": STAFF });
    symlinkSync(path.join(dir, "identities", "sub"), path.join(dir, "identities", "linked.yaml"));
    symlinkSync("sub", path.join(dir, "identities", "more"));

    const result = await validate(dir);

    expect(result.code).toBe(1);
    expect(result.out).toContain(
      "identities/linked.yaml: error SymlinkRefused: is a symbolic link to a folder; not followed",
    );
    expect(result.out).toContain(
      "identities/more: error SymlinkRefused: is a symbolic link to a folder; not followed",
    );
    expect(result.out).not.toMatch(/internal error|EISDIR/);
  });

  it("a dangling link and a FIFO named .yaml are refused without blocking", async () => {
    const dir = workspace({ "identities/settings.yaml": SETTINGS_YAML, "identities/staff.yaml": STAFF });
    symlinkSync(path.join(dir, "nothing.yaml"), path.join(dir, "identities", "gone.yaml"));
    execFileSync("mkfifo", [path.join(dir, "identities", "pipe.yaml")]);

    const result = await validate(dir);

    expect(result.code).toBe(1);
    expect(result.out).toContain("identities/gone.yaml: error SymlinkRefused: is a symbolic link to nothing");
    expect(result.out).toContain("identities/pipe.yaml: error InvalidInput: is not a regular file");
  });

  it("a link to a file inside the folder is read", async () => {
    const dir = workspace({ "identities/settings.yaml": SETTINGS_YAML, "identities/real/staff.yaml": STAFF });
    mkdirSync(path.join(dir, "identities", "links"));
    symlinkSync("../real/staff.yaml", path.join(dir, "identities", "links", "staff.yaml"));
    // The target itself is read too, as real/staff.yaml: the same entry twice is a duplicate.
    const result = await validate(dir);

    expect(result.out).toContain("DuplicateInDesiredState");
    expect(result.out).not.toContain("SymlinkRefused");
  });

  it("an identities folder that is itself a link out of the working folder is refused", async () => {
    const outside = workspace({ "settings.yaml": SETTINGS_YAML, "secret.yaml": SECRET });
    const dir = workspace();
    symlinkSync(outside, path.join(dir, "identities"));

    const result = await validate(dir);

    expect(result.code).toBe(1);
    expect(result.out).toContain(
      "identities: error SymlinkRefused: is a symbolic link that leaves the working folder",
    );
    expect(result.out).not.toContain("SECRET-CONTENT");
  });
});

describe("deep nesting: 'nesting too deep at file:line', within jest's default 5 s", () => {
  it.each([
    ["flow", `kind: IdentityMap\nidentities: ${"[".repeat(3000)}${"]".repeat(3000)}\n`, 2],
    [
      "block",
      `kind: IdentityMap\nx:\n${Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i + 1)}a:`).join("\n")}\n`,
      66,
    ],
    ["sequence", `kind: IdentityMap\nidentities:\n${"- ".repeat(3000)}x\n`, 3],
  ])("YAML nested 3,000 deep (%s)", async (_kind, yaml, line) => {
    const dir = workspace({ "identities/settings.yaml": SETTINGS_YAML, "identities/deep.yaml": yaml });

    const result = await validate(dir);

    expect(result.code).toBe(1);
    expect(result.out).toContain(`error NestingTooDeep: nesting too deep at identities/deep.yaml:${line} `);
    expect(result.out).not.toMatch(/call stack|internal error/);
  });

  it("an Entra snapshot nested 10,000 deep", async () => {
    const dir = workspace({
      "identities/settings.yaml": SETTINGS_YAML,
      "identities/staff.yaml": STAFF,
      // An empty export is refused on its own now: the AD side holds its OU, so the Entra side is what fails.
      "ad.ldif": "dn: OU=Staff,DC=corp,DC=contoso,DC=com\nobjectClass: organizationalUnit\n",
      "entra.json": `{\n  "users": ${"[".repeat(10_000)}${"]".repeat(10_000)}\n}\n`,
    });

    const result = await run(dir, ["plan", "--ad-snapshot", "ad.ldif", "--entra-snapshot", "entra.json"]);

    expect(result.code).toBe(1);
    expect(result.out).toContain("nesting too deep at entra.json:2 ");
    expect(result.out).not.toMatch(/call stack|internal error/);
  });

  it("a plan file nested 10,000 deep (apply, github comment)", async () => {
    const deep = `{"version": 1, "identities": ${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    const dir = workspace({ "identities/settings.yaml": SETTINGS_YAML, "plan.json": deep });

    const apply = await run(dir, ["apply", "plan.json"]);
    const comment = await run(dir, ["github", "comment", "--plan-file", "plan.json", "--pr", "1"], {
      GITHUB_TOKEN: "ghs_unused-the-plan-is-refused-first",
      GITHUB_REPOSITORY: "contoso/identities",
    });

    expect(apply.code).toBe(1);
    expect(apply.out).toContain("nesting too deep at plan.json:1 ");
    expect(comment.out).toContain("nesting too deep at plan.json:1 ");
    expect(apply.out + comment.out).not.toMatch(/call stack|internal error/);
  });
});
