/**
 * `idanchor verify --entra-snapshot`: a real git repository whose note holds a receipt with its
 * predictions (as apply writes it), checked against Graph snapshots; bad input and failed reads exit 1.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "@jest/globals";

import type { Receipt } from "../../src/model/receipts.js";
import { anchorOf } from "../plan/builders.js";
import { AFTER, BEFORE, pending } from "../plan/verify-builders.js";
import { runCli } from "../support/cli.js";
import { SETTINGS_YAML, workspaces } from "../support/files.js";

const workspace = workspaces();

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@idanchor.test", ...args], {
    cwd,
    encoding: "utf8",
  });
}

/** A repository whose HEAD ("... (#21)") carries a receipt for u1 and u2 as a git note. */
function repository(): { dir: string; head: string } {
  const dir = workspace({ "identities/settings.yaml": SETTINGS_YAML });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", ".");
  git(dir, "commit", "-qm", "Map u1 and u2 (#21)");
  const head = git(dir, "rev-parse", "HEAD").trim();
  const receipt: Receipt = {
    version: 1,
    startedAt: "2026-03-01T10:00:00.000Z",
    finishedAt: "2026-03-01T10:00:05.000Z",
    commit: head,
    objects: [],
    summary: { applied: 2, conflict: 0, skipped: 0, failed: 0 },
    predictions: [pending(1).prediction, pending(2).prediction],
  };
  git(dir, "notes", "--ref=idanchor", "append", "-m", JSON.stringify(receipt), head);
  return { dir, head };
}

function snapshot(dir: string, name: string, users: unknown[]): string {
  writeFileSync(path.join(dir, name), JSON.stringify({ users, features: {}, roleAssignments: [] }));
  return name;
}

// Every property idanchor reads is present, as `idanchor export entra` writes it: an absent one is refused.
const graphUser = (n: number, fields: Record<string, unknown>) => ({
  id: `c${n}`,
  userPrincipalName: `c${n}@contoso.onmicrosoft.com`,
  displayName: null,
  givenName: null,
  surname: null,
  mail: null,
  proxyAddresses: [`SMTP:u${n}@contoso.com`],
  onPremisesImmutableId: null,
  onPremisesSyncEnabled: null,
  onPremisesDistinguishedName: null,
  onPremisesSamAccountName: null,
  onPremisesProvisioningErrors: [],
  serviceProvisioningErrors: [],
  createdDateTime: BEFORE,
  accountEnabled: true,
  userType: "Member",
  mailNickname: null,
  assignedPlans: [],
  ...fields,
});

describe("idanchor verify --entra-snapshot", () => {
  it("classifies from a snapshot, records the verdicts, then checks only what is not yet as predicted", async () => {
    const { dir, head } = repository();
    const joined = {
      onPremisesImmutableId: anchorOf(1),
      onPremisesSyncEnabled: true,
      onPremisesLastSyncDateTime: AFTER,
    };
    const file = snapshot(dir, "entra.json", [graphUser(1, joined), graphUser(2, {})]);

    const first = await runCli(["verify", "--entra-snapshot", file], { cwd: dir });
    const second = await runCli(["verify", "--entra-snapshot", file, "--format", "markdown"], { cwd: dir });

    expect(first.code).toBe(2);
    expect(first.stdout).toContain("2 identities: 1 as predicted, 1 not synced yet, 0 diverged");
    expect(first.stdout).toContain(`not synced yet u2 (PR #21, commit ${head.slice(0, 12)})`);
    expect(git(dir, "notes", "--ref=idanchor", "show", head)).toContain('"kind":"verification"');
    expect(second.code).toBe(2);
    expect(second.stdout).toContain("| u2 | not synced yet |");
    expect(second.stdout).not.toContain("| u1 |");
  });

  it("exits 0 when everything is as predicted, and 0 with nothing left to verify", async () => {
    const { dir } = repository();
    const file = snapshot(dir, "entra.json", [
      graphUser(1, { onPremisesImmutableId: anchorOf(1), onPremisesSyncEnabled: true }),
      graphUser(2, { onPremisesImmutableId: anchorOf(2), onPremisesSyncEnabled: true }),
    ]);

    const verified = await runCli(["verify", "--entra-snapshot", file], { cwd: dir });
    const nothing = await runCli(["verify", "--entra-snapshot", "missing.json"], { cwd: dir });

    expect(verified.code).toBe(0);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain("nothing to verify");
  });

  it("a snapshot that cannot be read is exit 1 and records nothing; so is a --since that is neither a commit nor a date", async () => {
    const { dir, head } = repository();

    const unreadable = await runCli(["verify", "--entra-snapshot", "missing.json"], { cwd: dir });
    const badSince = await runCli(["verify", "--since", "last tuesday"], { cwd: dir });

    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain("missing.json");
    expect(unreadable.stdout).toBe("");
    expect(git(dir, "notes", "--ref=idanchor", "show", head)).not.toContain("verification");
    expect(badSince.code).toBe(1);
    expect(badSince.stderr).toContain("--since 'last tuesday' is neither a commit");
  });
});
