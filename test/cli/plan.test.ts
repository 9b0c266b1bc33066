/** `idanchor plan` on the demo snapshots: every outcome, the JSON contract, exit codes, --out, bad input. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@jest/globals";

import { OUTCOMES } from "../../src/plan/index.js";
import type { Plan } from "../../src/plan/index.js";
import { runCli } from "../support/cli.js";
import { SETTINGS_YAML, workspaces } from "../support/files.js";
import { planValidator } from "../support/plan-schema.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const AD = path.join(ROOT, "examples/contoso/ad.ldif");
const ENTRA = path.join(ROOT, "examples/contoso/entra.json");
const LOCKED = path.join(ROOT, "examples/contoso/entra-locked-down.json");

const workspace = workspaces();

async function demoPlan(entra: string): Promise<{ code: number; plan: Plan }> {
  const run = await runCli(
    [
      "plan",
      "--identities",
      "identities",
      "--ad-snapshot",
      AD,
      "--entra-snapshot",
      entra,
      "--format",
      "json",
    ],
    { cwd: ROOT },
  );
  return { code: run.code, plan: JSON.parse(run.stdout) as Plan };
}

describe("idanchor plan", () => {
  it("the demo shows every outcome, and its JSON validates against schemas/plan.schema.json", async () => {
    const open = await demoPlan(ENTRA);
    const locked = await demoPlan(LOCKED);

    const outcomes = new Set([...open.plan.identities, ...locked.plan.identities].map((i) => i.outcome));
    expect([...outcomes].sort()).toEqual([...OUTCOMES].sort());
    const codes = new Set(
      [...open.plan.identities, ...locked.plan.identities].flatMap((i) => i.findings.map((f) => f.code)),
    );
    for (const code of [
      "InvalidSoftMatch",
      "InvalidHardMatch",
      "AdminRoleConflict",
      "SoftMatchBlocked",
      "ObjectTypeMismatch",
      "OutOfSyncScope",
      "WrongMatch",
      "WillCreateDuplicate",
      "CloudAddressMissing",
      "AttributeValueMustBeUnique",
      "AdObjectNotFound",
      "CloudObjectNotFound",
      "CloudObjectWillBeDeleted",
      "PasswordWillBeOverwritten",
      "CloudValuesWillBeOverwritten",
      "UpnWillChange",
      "ObjectWillBeCreated",
      "EmailAddressPolicyWillOverwrite",
      "RemoteRoutingAddressMismatch",
      // DESIGN 2b, from identities/connect-rules.yaml and the snapshots' round-2 objects.
      "NotExportedByConnect",
      "HardMatchRemapBlocked",
      "ReservedDomainDiscarded",
      "DuplicateMailbox",
      "CurrentSyncError",
      "WillRestoreDeletedUser",
      "UpnNotSynchronized",
    ])
      expect(codes).toContain(code);
    const verdict = (plan: Plan, key: string) => {
      const found = plan.identities.find((i) => i.key === key);
      return [
        found?.outcome,
        found?.findings.map((f) => f.code).filter((c) => c !== "PasswordWillBeOverwritten"),
      ];
    };
    expect(verdict(open.plan, "qross")).toEqual(["out-of-scope", ["NotExportedByConnect"]]);
    expect(verdict(open.plan, "rlopez")).toEqual(["blocked", ["InvalidHardMatch"]]);
    expect(verdict(open.plan, "eadams")).toEqual(["will-create", ["AdminRoleConflict"]]);
    expect(verdict(open.plan, "dlee")).toEqual([
      "blocked",
      ["InvalidSoftMatch", "AttributeValueMustBeUnique"],
    ]);
    expect(verdict(open.plan, "tbell")).toEqual([
      "will-join",
      ["ReservedDomainDiscarded", "AttributeValueMustBeUnique", "UpnWillChange"],
    ]);
    expect(verdict(open.plan, "uvega")).toEqual(["will-join", ["UpnWillChange"]]);
    expect(verdict(open.plan, "vpatel")).toEqual(["will-join", ["UpnWillChange", "DuplicateMailbox"]]);
    expect(verdict(open.plan, "wyoung")).toEqual(["will-join", ["WillRestoreDeletedUser", "UpnWillChange"]]);
    expect(verdict(locked.plan, "wyoung")).toEqual([
      "will-join",
      ["WillRestoreDeletedUser", "UpnNotSynchronized"],
    ]);
    expect(verdict(open.plan, "app-admins")).toEqual(["will-create", ["WillCreateDuplicate"]]);
    expect(verdict(open.plan, "old-project")).toEqual(["out-of-scope", ["CloudObjectWillBeDeleted"]]);
    expect(verdict(open.plan, "bjones")).toEqual(["joined", ["CurrentSyncError", "CurrentSyncError"]]);
    expect(open.plan.summary.currentSyncErrors).toBe(2);
    expect(planValidator()(open.plan)).toBe(true);
    expect(planValidator()(locked.plan)).toBe(true);
    expect(open.code).toBe(1);
  });

  it("exits 2 with changes pending, 0 when nothing is left, and saves the plan with --out", async () => {
    const cwd = workspace({
      "identities/settings.yaml": SETTINGS_YAML,
      "identities/map.yaml": `kind: IdentityMap
identities:
  - {ad: asmith, cloud: alice.smith@contoso.onmicrosoft.com, smtp: alice.smith@contoso.com}
`,
    });
    const done = readFileSync(AD, "utf8")
      .replace(
        "proxyAddresses: SMTP:asmith@contoso.com",
        "proxyAddresses: SMTP:alice.smith@contoso.com\nproxyAddresses: smtp:asmith@contoso.com",
      )
      .replace("mail: asmith@contoso.com", "mail: alice.smith@contoso.com");
    writeFileSync(path.join(cwd, "done.ldif"), done);

    const pending = await runCli(
      ["plan", "--ad-snapshot", AD, "--entra-snapshot", ENTRA, "--out", "plan.json"],
      { cwd },
    );
    const clean = await runCli(["plan", "--ad-snapshot", "done.ldif", "--entra-snapshot", ENTRA], { cwd });

    expect(pending.code).toBe(2);
    expect(pending.stdout).toContain("asmith -> alice.smith@contoso.onmicrosoft.com via smtp");
    const saved = JSON.parse(readFileSync(path.join(cwd, "plan.json"), "utf8")) as Plan;
    expect(saved.identities.map((i) => [i.key, i.outcome, i.changes.length])).toEqual([
      ["asmith", "will-join", 2],
    ]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("Nothing to change");
  });

  it("a missing snapshot is one clear error, exit 1, and no plan file is written", async () => {
    const cwd = workspace({ "identities/settings.yaml": SETTINGS_YAML });

    const run = await runCli(
      ["plan", "--ad-snapshot", "nowhere.ldif", "--entra-snapshot", ENTRA, "--out", "plan.json"],
      { cwd },
    );

    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^idanchor: nowhere\.ldif/);
    expect(existsSync(path.join(cwd, "plan.json"))).toBe(false);
  });

  it("a snapshot written without the properties the planner reads is refused in one line, and no plan is written", async () => {
    const old = JSON.parse(readFileSync(ENTRA, "utf8")) as { users: Record<string, unknown>[] };
    for (const user of old.users) delete user.assignedPlans;
    const cwd = workspace({
      "identities/settings.yaml": SETTINGS_YAML,
      "old.json": JSON.stringify(old, null, 2),
    });

    const run = await runCli(
      ["plan", "--ad-snapshot", AD, "--entra-snapshot", "old.json", "--out", "plan.json"],
      {
        cwd,
      },
    );

    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^idanchor: old\.json:3:5: the snapshot has users\[0\] \('alice\.smith@contoso\.onmicrosoft\.com'\) without 'assignedPlans': .*export with `idanchor export entra` or \$select it/,
    );
    expect(existsSync(path.join(cwd, "plan.json"))).toBe(false);
  });

  it("a desired state with errors stops before any directory is read", async () => {
    const cwd = workspace({
      "identities/settings.yaml": SETTINGS_YAML,
      "identities/bad.yaml": "kind: Nonsense\n",
    });

    const run = await runCli(["plan", "--ad-snapshot", AD, "--entra-snapshot", ENTRA], { cwd });

    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("fix them (see 'idanchor validate') before planning");
  });
  it("counts that do not mislead: every identity with a blocking error is under Blocked, its changes withheld", async () => {
    const { plan } = await demoPlan(ENTRA);
    const run = await runCli(
      [
        "plan",
        "--identities",
        "identities",
        "--ad-snapshot",
        AD,
        "--entra-snapshot",
        ENTRA,
        "--format",
        "text",
      ],
      { cwd: ROOT },
    );

    const blockedKeys = plan.identities
      .filter((i) => i.findings.some((f) => f.severity === "error"))
      .map((i) => i.key);
    const withheld = plan.identities
      .filter((i) => blockedKeys.includes(i.key))
      .reduce((n, i) => n + i.changes.length, 0);
    // The demo's cases: predicted to join or create, but with an error apply refuses them.
    const mnoble = plan.identities.find((i) => i.key === "mnoble")!;
    const olga = plan.identities.find((i) => i.key.startsWith("CN=Olga Petrov"))!;
    expect([mnoble.outcome, olga.outcome]).toEqual(["will-join", "will-create"]);
    expect(run.stdout).toContain(
      `${plan.summary.changes - withheld} change(s) will be written, ${withheld} withheld (they belong to blocked identities)`,
    );
    const sections = run.stdout.split(/\n(?=\S)/);
    const blocked = sections.find((s) => s.startsWith("Blocked"))!;
    expect(
      blocked.startsWith(
        `Blocked: the next sync fails or refuses the join, or apply refuses to write (${blockedKeys.length})`,
      ),
    ).toBe(true);
    for (const key of blockedKeys) expect(blocked).toContain(`  ${key} -> `);
    expect(blocked).toMatch(
      /mnoble -> .*\[next sync as planned: will-join; apply writes nothing until the errors are fixed\]/,
    );
    expect(blocked).toMatch(/~ AD mail of CN=Mia Noble.* \(withheld\)/);
    for (const other of sections.filter((s) => !s.startsWith("Blocked")))
      for (const key of blockedKeys) expect(other).not.toContain(`  ${key} -> `);
  });
});
