/**
 * `idanchor hygiene` end to end: a generated 10,000-object LDIF with problems planted at known
 * objects finds exactly those, in JSON and in the CSV; exit codes, formats, progress, --out.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "@jest/globals";

import type { HygieneReport } from "../../src/hygiene/index.js";
import { main } from "../../src/cli/main.js";
import { runCli } from "../support/cli.js";
import { workspaces } from "../support/files.js";
import { addAttribute, cleanEntry, FORMER, setAttribute, toLdif } from "./planted-estate.js";
import type { Entry } from "./planted-estate.js";

const workspace = workspaces();
const REPO = path.resolve(new URL("../..", import.meta.url).pathname);

type Expected = [attribute: string, value: string, rule: string];

interface Plant {
  /** Which object (an index into the estate) and its type, so the test states what it plants where. */
  at: number;
  type: Entry["objectClass"];
  plant(entry: Entry): void;
  expect: Expected[];
}

const longLocal = "x".repeat(65);

/** Each plant breaks one rule once; the duplicates plant on two objects and expect a row on each. */
const PLANTS: Plant[] = [
  {
    at: 10,
    type: "user",
    plant: (e) => setAttribute(e, "userPrincipalName", "nina&baker@contoso.com"),
    expect: [["userPrincipalName", "nina&baker@contoso.com", "InvalidCharacter"]],
  },
  {
    at: 511,
    type: "user",
    plant: (e) => setAttribute(e, "userPrincipalName", "niña@contoso.com"),
    expect: [["userPrincipalName", "niña@contoso.com", "InvalidCharacter"]],
  },
  {
    at: 1012,
    type: "user",
    plant: (e) => setAttribute(e, "userPrincipalName", `${longLocal}@contoso.com`),
    expect: [["userPrincipalName", `${longLocal}@contoso.com`, "TooLong"]],
  },
  {
    at: 1518,
    type: "user",
    plant: (e) => setAttribute(e, "userPrincipalName", "u1518@corp.contoso.local"),
    expect: [["userPrincipalName", "u1518@corp.contoso.local", "NonRoutableDomain"]],
  },
  {
    at: 2014,
    type: "user",
    plant: (e) => setAttribute(e, "mailNickname", ".first.last2014"),
    expect: [["mailNickname", ".first.last2014", "LeadingOrTrailingPeriod"]],
  },
  {
    at: 2515,
    type: "user",
    plant: (e) => setAttribute(e, "mailNickname", "first last2515"),
    expect: [["mailNickname", "first last2515", "InvalidCharacter"]],
  },
  {
    at: 3016,
    type: "user",
    plant: (e) => setAttribute(e, "sAMAccountName", "u3016/x"),
    expect: [["sAMAccountName", "u3016/x", "InvalidCharacter"]],
  },
  {
    at: 3519,
    type: "user",
    plant: (e) => addAttribute(e, "proxyAddresses", "smtp:a(b)@contoso.com"),
    expect: [["proxyAddresses", "smtp:a(b)@contoso.com", "InvalidAddress"]],
  },
  {
    at: 4018,
    type: "user",
    plant: (e) => setAttribute(e, "mail", "first.last4018@contoso.lan"),
    expect: [["mail", "first.last4018@contoso.lan", "NonRoutableDomain"]],
  },
  { at: 4521, type: "user", plant: (e) => setAttribute(e, "mail", ""), expect: [["mail", "", "Blank"]] },
  {
    at: 5020,
    type: "user",
    plant: (e) => setAttribute(e, "userPrincipalName", null),
    expect: [["userPrincipalName", "", "MissingUserPrincipalName"]],
  },
  {
    at: 5525,
    type: "user",
    plant: (e) => setAttribute(e, "userPrincipalName", "u5525@contoso.x"),
    expect: [["userPrincipalName", "u5525@contoso.x", "NonRoutableDomain"]],
  },
  {
    at: 6026,
    type: "user",
    plant: (e) => addAttribute(e, "proxyAddresses", "smtp:team6027@contoso.com"),
    expect: [["proxyAddresses", "smtp:team6027@contoso.com", "AttributeValueMustBeUnique"]],
  },
  {
    at: 6027,
    type: "group",
    plant: () => undefined,
    expect: [["mail", "team6027@contoso.com", "AttributeValueMustBeUnique"]],
  },
  {
    at: 7021,
    type: "user",
    plant: () => undefined,
    expect: [["userPrincipalName", "u7021@contoso.com", "AttributeValueMustBeUnique"]],
  },
  {
    at: 7022,
    type: "user",
    plant: (e) => setAttribute(e, "userPrincipalName", "U7021@Contoso.com"),
    expect: [["userPrincipalName", "U7021@Contoso.com", "AttributeValueMustBeUnique"]],
  },
  {
    at: 8023,
    type: "contact",
    plant: () => undefined,
    expect: [["mail", "ext8023@fabrikam.net", "AttributeValueMustBeUnique"]],
  },
  {
    at: 9033,
    type: "contact",
    plant: (e) => addAttribute(e, "proxyAddresses", "smtp:EXT8023@fabrikam.net"),
    expect: [["proxyAddresses", "smtp:EXT8023@fabrikam.net", "AttributeValueMustBeUnique"]],
  },
  {
    at: 9998,
    type: "user",
    plant: (e) => setAttribute(e, "userPrincipalName", "u9998 @contoso.com"),
    expect: [["userPrincipalName", "u9998 @contoso.com", "InvalidCharacter"]],
  },
];

function plantedEstate(n: number): { ldif: string; expected: string[] } {
  const entries = Array.from({ length: n }, (_, i) => cleanEntry(i));
  const expected: string[] = [];
  for (const p of PLANTS) {
    const entry = entries[p.at]!;
    expect(entry.objectClass).toBe(p.type);
    p.plant(entry);
    for (const [attribute, value, rule] of p.expect)
      expected.push([entry.dn, attribute, value, rule].join(" | "));
  }
  // Outside the sync scope, and Entra Connect's own account: broken, and never reported.
  const outside = cleanEntry(n, FORMER);
  setAttribute(outside, "userPrincipalName", "bad user@corp.local");
  const connect = cleanEntry(n + 1);
  setAttribute(connect, "sAMAccountName", "MSOL_0123456789ab");
  setAttribute(connect, "userPrincipalName", null);
  return { ldif: toLdif([...entries, outside, connect]), expected: expected.sort() };
}

/** The sync scope quoted: in a YAML flow sequence, the commas of an unquoted DN would split it. */
const SETTINGS = `kind: Settings
activeDirectory:
  url: ldaps://dc01.corp.contoso.com
  baseDN: DC=corp,DC=contoso,DC=com
  syncScope: ["OU=Staff,DC=corp,DC=contoso,DC=com"]
entra:
  tenantId: 4f2b9a1c-6d0e-4c3b-9a57-2f1e8d7c6b5a
  clientId: 9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
`;

function setup(files: Record<string, string> = {}): string {
  return workspace({ "identities/settings.yaml": SETTINGS, ...files });
}

describe("idanchor hygiene on a generated 10,000-object estate with planted problems", () => {
  it("finds exactly the planted problems, and the CSV has one row for each", async () => {
    const { ldif, expected } = plantedEstate(10_000);
    const dir = setup({ "ad.ldif": ldif });

    const json = await runCli(["hygiene", "--ad-snapshot", "ad.ldif", "--format", "json"], { cwd: dir });
    const csv = await runCli(["hygiene", "--ad-snapshot", "ad.ldif", "--format", "csv"], { cwd: dir });

    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout) as HygieneReport;
    const found = report.problems.map((p) => [p.dn, p.attribute, p.value, p.rule].join(" | ")).sort();
    expect(found).toEqual(expected);
    expect(report.summary).toMatchObject({
      objects: 10_002,
      checked: 10_000,
      excluded: 1,
      problems: expected.length,
    });
    expect(csv.code).toBe(2);
    const rows = csv.stdout.trimEnd().split("\r\n");
    expect(rows[0]).toBe("dn,objectClass,attribute,value,problem,severity,suggestedValue,message,fix");
    expect(rows).toHaveLength(1 + expected.length);
    expect(rows.filter((r) => r.includes(",AttributeValueMustBeUnique,"))).toHaveLength(6);
    expect(rows.find((r) => r.includes("nina&baker"))).toMatch(
      /^"CN=User 10,OU=Staff,DC=corp,DC=contoso,DC=com",user,userPrincipalName,nina&baker@contoso.com,InvalidCharacter,error,ninabaker@contoso.com,/,
    );
  });
});

describe("idanchor hygiene: exit codes, formats, progress", () => {
  const clean = toLdif(Array.from({ length: 30 }, (_, i) => cleanEntry(i)));

  it("exits 0 on a clean estate and says so", async () => {
    const dir = setup({ "ad.ldif": clean });

    const run = await runCli(["hygiene", "--ad-snapshot", "ad.ldif"], { cwd: dir });

    expect(run).toEqual({
      code: 0,
      stdout:
        "30 objects checked (30 read, 0 in scope but never exported by Entra Connect), Entra ID not read: no problems\n",
      stderr: "",
    });
  });

  it("exits 1 when the snapshot cannot be read, naming the file", async () => {
    const dir = setup();

    const run = await runCli(["hygiene", "--ad-snapshot", "missing.ldif"], { cwd: dir });

    expect(run.code).toBe(1);
    expect(run.stderr).toBe("idanchor: missing.ldif: cannot read the AD snapshot (ENOENT)\n");
    expect(run.stdout).toBe("");
  });

  it("compares with Entra on the demo snapshots: the alias a cloud user already holds", async () => {
    const dir = setup({
      "identities/settings.yaml": readFileSync(path.join(REPO, "identities/settings.yaml"), "utf8"),
    });
    const snapshots = ["--ad-snapshot", path.join(REPO, "examples/contoso/ad.ldif")];

    const alone = await runCli(["hygiene", ...snapshots], { cwd: dir });
    const compared = await runCli(
      [
        "hygiene",
        ...snapshots,
        "--entra-snapshot",
        path.join(REPO, "examples/contoso/entra.json"),
        "--format",
        "markdown",
      ],
      { cwd: dir },
    );

    // Alone, only the demo's .local UPN (uvega); the alias another cloud user holds needs Entra to be seen.
    expect(alone.code).toBe(2);
    expect(alone.stdout).toContain("NonRoutableDomain: userPrincipalName 'uvega@corp.contoso.local'");
    expect(alone.stdout).not.toContain("AttributeValueMustBeUnique");
    expect(compared.code).toBe(2);
    expect(compared.stdout).toContain("## Directory hygiene");
    expect(compared.stdout).toContain(
      "| user `CN=Reception Desk,OU=Staff,DC=corp,DC=contoso,DC=com` | proxyAddresses | `smtp:info@contoso.com` | **error** AttributeValueMustBeUnique |",
    );
  });

  it("writes the report to --out and shows progress on a terminal only", async () => {
    const dir = setup({ "ad.ldif": toLdif([cleanEntry(0), cleanEntry(1, FORMER)]) });
    let stdout = "";
    let stderr = "";

    const code = await main(
      ["hygiene", "--ad-snapshot", "ad.ldif", "--format", "csv", "--out", "report.csv"],
      {
        env: {},
        cwd: dir,
        stdout: { write: (s: string) => (stdout += s), isTTY: true },
        stderr: { write: (s: string) => (stderr += s), isTTY: true },
      },
    );

    expect(code).toBe(0);
    expect(stdout).toBe(
      "idanchor hygiene: wrote report.csv: 1 objects checked, 0 problems (0 errors, 0 warnings)\n",
    );
    expect(readFileSync(path.join(dir, "report.csv"), "utf8")).toBe(
      "dn,objectClass,attribute,value,problem,severity,suggestedValue,message,fix\r\n",
    );
    expect(stderr).toMatch(/^Loading the desired state \(identities\)\.\.\.\n/);
    expect(stderr).toMatch(/\nReading Active Directory \(snapshot ad\.ldif\)\.\.\.\n/);
    expect(stderr).toMatch(/Reading Active Directory \(snapshot ad\.ldif\): 2 objects \(\d+\.\d s\)\n/);
    expect(stderr).toMatch(/Checking the sync scope: 1 objects, 0 problems \(\d+\.\d s\)\n$/);
  });
});

describe("the README's excerpt", () => {
  it("is what idanchor hygiene prints for examples/hygiene", async () => {
    const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
    const block = /An excerpt of `idanchor (hygiene [^`]*)`:\n\n```text\n([\s\S]*?)```/.exec(readme);

    const run = await runCli(block![1]!.split(" "), { cwd: REPO });

    expect(run.code).toBe(2);
    const printed = run.stdout.split("\n");
    const shown = block![2]!.split("\n").filter((l) => l !== "" && l !== "...");
    expect(shown.length).toBeGreaterThan(5);
    for (const line of shown) expect(printed).toContain(line);
  });
});
