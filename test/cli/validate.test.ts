import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";

import { describe, expect, it } from "@jest/globals";

import { runCli } from "../support/cli.js";
import { SETTINGS_YAML, workspaces } from "../support/files.js";

const REPO = path.resolve(new URL("../..", import.meta.url).pathname);
const workspace = workspaces();

function errorLines(stdout: string): string[] {
  return stdout.split("\n").filter((line) => line.includes(": error "));
}

function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = "abcdefghij";
  for (let i = 1; i < names.length; i++) {
    const prev = names[i - 1]!;
    lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(",")}]`);
  }
  return `kind: IdentityMap\n${lines.join("\n")}\n`;
}

describe("idanchor validate", () => {
  it("accepts the repository's sample desired state", async () => {
    const run = await runCli(["validate"], { cwd: REPO });

    expect(run.stdout).toMatch(/^valid: 4 files, \d+ identities\n$/);
    expect(run.code).toBe(0);
  });

  it("prints findings as JSON with file, line, column, code, severity and message", async () => {
    const cwd = workspace({
      "ids/settings.yaml": SETTINGS_YAML,
      "ids/m.yaml":
        "kind: IdentityMap\nidentities:\n  - ad: x\n    cloud: x@contoso.com\n    smtp: x@@contoso.com\n",
    });

    const run = await runCli(["validate", "--identities", "ids", "--format", "json"], { cwd });

    expect(JSON.parse(run.stdout)).toEqual({
      findings: [
        {
          file: "ids/m.yaml",
          line: 5,
          column: 11,
          code: "InvalidAddress",
          severity: "error",
          message: "x: primary address: 'x@@contoso.com' is not a valid SMTP address: more than one '@'",
        },
      ],
    });
    expect(run.code).toBe(1);
  });

  describe("bad input gives one clear error line and exit 1", () => {
    const cases: [string, Record<string, string | Buffer>, RegExp][] = [
      [
        "unparsable YAML",
        { "bad.yaml": "kind: IdentityMap\nidentities: [\n  - ad: x\n" },
        /^bad\.yaml:\d+:\d+: error YamlSyntax: /,
      ],
      [
        "a YAML alias bomb",
        { "bomb.yaml": billionLaughs() },
        /^bomb\.yaml:1:1: error YamlSyntax: YAML aliases expand to too many nodes/,
      ],
      [
        "binary garbage",
        { "junk.yaml": randomBytes(4096) },
        /^junk\.yaml: error InvalidInput: is not a text file \(binary content\)/,
      ],
      ["an empty directory", {}, /^\.: error InvalidInput: holds no \*\.yaml or \*\.yml files/],
    ];

    it.each(cases)(
      "%s",
      async (_name, files, expected) => {
        const cwd = workspace(files);

        const run = await runCli(["validate", "--identities", "."], { cwd });

        expect(errorLines(run.stdout)).toHaveLength(1);
        expect(errorLines(run.stdout)[0]).toMatch(expected);
        expect(run.code).toBe(1);
      },
      5000,
    );

    it("a 50 MB file", async () => {
      const cwd = workspace({ "huge.yaml": Buffer.alloc(50 * 1024 * 1024, "a: b\n") });

      const run = await runCli(["validate", "--identities", "."], { cwd });

      expect(errorLines(run.stdout)).toEqual([
        "huge.yaml: error InvalidInput: is 50.0 MiB; desired-state files may be at most 5 MiB. Split it into several files",
      ]);
      expect(run.code).toBe(1);
    }, 5000);

    it("a missing directory", async () => {
      const cwd = workspace({});

      const run = await runCli(["validate", "--identities", "nowhere"], { cwd });

      expect(errorLines(run.stdout)).toEqual([
        "nowhere: error InvalidInput: no such directory; create it or pass --identities DIR",
      ]);
      expect(run.code).toBe(1);
    }, 5000);
  });

  it("exits 1 from the installed bin and names both places of a duplicate address", async () => {
    const cwd = workspace({
      "ids/settings.yaml": SETTINGS_YAML,
      "ids/one.yaml":
        "kind: IdentityMap\nidentities:\n  - ad: a\n    cloud: a@contoso.com\n    smtp: shared@contoso.com\n",
      "ids/two.yaml":
        "kind: IdentityMap\nidentities:\n  - ad: b\n    cloud: b@contoso.com\n    smtp: Shared@Contoso.com\n",
    });

    const result = await promisify(execFile)(
      process.execPath,
      [path.join(REPO, "bin/idanchor.js"), "validate", "--identities", "ids"],
      { cwd },
    ).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

    expect(result.code).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      "ids/two.yaml:5:11: error DuplicateInDesiredState: b: primary address 'Shared@Contoso.com' is already the primary address of 'a' at ids/one.yaml:5:11; an address may belong to one object only (AttributeValueMustBeUnique at sync). Remove one of them",
    ]);
  });

  it("rejects an unknown option with exit 1", async () => {
    const run = await runCli(["validate", "--formt", "json"], { cwd: REPO });

    expect(run.stderr).toContain("unknown option '--formt'");
    expect(run.code).toBe(1);
  });
});
