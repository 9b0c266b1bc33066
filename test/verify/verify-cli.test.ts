/**
 * The whole loop against real parts: plan -> apply (Samba AD over LDAPS, receipts as git notes) ->
 * a simulated Entra Connect sync on the Graph test server -> `idanchor verify` through the real Graph
 * SDK -> `idanchor audit`. Six identities: three join as predicted, one is not synced yet, one gets
 * a duplicate (its cloud object gained an admin role, so the soft match is refused) and one a
 * provisioning error (its alias was taken by another cloud object after the apply).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { openLdap } from "../../src/directory/ad/index.js";
import type { AdObject } from "../../src/model/directory.js";
import type { VerifyReport } from "../../src/plan/verify-types.js";
import { runCli } from "../support/cli.js";
import type { CliRun } from "../support/cli.js";
import { tempDir } from "../support/files.js";
import { startGraphServer } from "../support/graph-server.js";
import type { GraphServer } from "../support/graph-server.js";
import { runSync } from "../support/graph-server-sync.js";
import { startSambaDc } from "../support/samba.js";
import type { SambaDc } from "../support/samba.js";

const SAMS = ["u1", "u2", "u3", "u4", "u5", "u6"];
const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
const cloudId = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

let dc: SambaDc;
let graph: GraphServer;
let repo: ReturnType<typeof tempDir>;
let env: Record<string, string>;
let commit: string;

function git(...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@idanchor.test", ...args], {
    cwd: repo.dir,
    encoding: "utf8",
  });
}

const cli = (...argv: string[]): Promise<CliRun> => runCli(argv, { cwd: repo.dir, env });

async function adObjects(...sams: string[]): Promise<AdObject[]> {
  const ldap = await openLdap({ settings: dc.settings(), settingsDir: dc.dir, env: dc.env });
  try {
    const { objects } = await ldap.readAll();
    return sams.map((sam) => objects.find((o) => o.sAMAccountName === sam)!);
  } finally {
    await ldap.close();
  }
}

function verdicts(report: VerifyReport): Record<string, string> {
  return Object.fromEntries(
    report.results.map((r) => [r.key, [r.verdict, ...r.divergences.map((d) => d.code)].join(" ")]),
  );
}

beforeAll(async () => {
  repo = tempDir();
  dc = await startSambaDc();
  graph = await startGraphServer({
    dir: repo.dir,
    tenant: {
      users: SAMS.map((sam, i) => ({
        id: cloudId(i + 1),
        userPrincipalName: `${sam}@idanchor.onmicrosoft.com`,
        mail: `${sam}.cloud@idanchor.test`,
        proxyAddresses: [`SMTP:${sam}.cloud@idanchor.test`],
        onPremisesImmutableId: null,
        onPremisesSyncEnabled: null,
        createdDateTime: "2024-01-01T00:00:00Z",
      })),
      domains: [
        { id: "idanchor.test", isVerified: true },
        { id: "idanchor.onmicrosoft.com", isVerified: true, isInitial: true },
      ],
      organization: { onPremisesLastSyncDateTime: "2024-01-01T00:00:00Z" },
    },
  });
  const staff = `OU=Staff,${dc.baseDN}`;
  await dc.ldapModify(
    [
      `dn: ${staff}\nobjectClass: organizationalUnit\n`,
      ...SAMS.map(
        (s) =>
          `dn: CN=${s},${staff}\nobjectClass: user\nsAMAccountName: ${s}\nmail: ${s}@idanchor.test\nproxyAddresses: SMTP:${s}@idanchor.test\n`,
      ),
    ].join("\n"),
  );
  env = { ...dc.env, ...graph.env("secret"), NODE_EXTRA_CA_CERTS: graph.caFile };
  writeFileSync(
    path.join(repo.dir, "settings.yaml"),
    `kind: Settings
activeDirectory:
  url: ${dc.url}
  baseDN: ${dc.baseDN}
  syncScope: ["${staff}"]
  sourceAnchor: objectGUID
  caFile: ${dc.caFile}
entra:
  tenantId: ${graph.app.tenantId}
  clientId: ${graph.app.clientId}
  graphUrl: ${graph.url}
  authorityHost: ${graph.url}
`,
  );
  writeFileSync(
    path.join(repo.dir, "identities.yaml"),
    `kind: IdentityMap\nidentities:\n${SAMS.map((s) => `  - {ad: ${s}, cloud: ${s}@idanchor.onmicrosoft.com, smtp: ${s}.cloud@idanchor.test}`).join("\n")}\n`,
  );
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-qm", "Map the staff to their cloud accounts (#7)");
  commit = git("rev-parse", "HEAD").trim();
}, 120_000);

afterAll(async () => {
  await graph?.close();
  await dc?.stop();
  repo?.remove();
});

describe("plan -> apply -> sync -> verify -> audit", () => {
  it("before any sync, every applied identity is not synced yet (exit 2)", async () => {
    const plan = await cli("plan", "--identities", ".", "--out", "plan.json");
    const apply = await cli("apply", "plan.json", "--identities", ".");

    const verify = await cli("verify", "--identities", ".", "--format", "json", "--no-record");

    expect(plan.code).toBe(2);
    expect(apply.code).toBe(0);
    expect(verify.code).toBe(2);
    const report = JSON.parse(verify.stdout) as VerifyReport;
    expect(report.summary).toEqual({ identities: 6, predicted: 0, pending: 6, diverged: 0 });
  }, 60_000);

  it("reports 3 as predicted, 1 not synced yet, 1 duplicate and 1 provisioning error, exit 2, naming PR and commit", async () => {
    // Between the apply and the sync the cloud side changes: u5's cloud account becomes a Global
    // Administrator, and someone gives u6's old address (now its alias) to another cloud user.
    graph.data.roleAssignments.push({ principalId: cloudId(5), roleDefinitionId: GLOBAL_ADMIN });
    graph.data.users.push({
      id: cloudId(50),
      userPrincipalName: "shared.inbox@idanchor.onmicrosoft.com",
      proxyAddresses: ["SMTP:u6@idanchor.test"],
      mail: "u6@idanchor.test",
      createdDateTime: "2024-01-01T00:00:00Z",
    });
    const sync = runSync(graph, await adObjects("u1", "u2", "u3", "u5", "u6"), {
      now: new Date(),
      sourceAnchor: "objectGUID",
    });

    const json = await cli("verify", "--identities", ".", "--format", "json", "--no-record");
    const text = await cli("verify", "--identities", ".", "--no-record");

    expect(sync.map((s) => `${s.action} ${s.refused ?? ""}`.trim())).toEqual([
      "soft-match-smtp",
      "soft-match-smtp",
      "soft-match-smtp",
      "created AdminRoleConflict",
      "soft-match-smtp",
    ]);
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout) as VerifyReport;
    expect(verdicts(report)).toEqual({
      u1: "predicted",
      u2: "predicted",
      u3: "predicted",
      u4: "pending",
      u5: "diverged Duplicate ProvisioningError ProvisioningError",
      u6: "diverged ProvisioningError",
    });
    const u5 = report.results.find((r) => r.key === "u5")!;
    expect(u5.plannedId).toBe(cloudId(5));
    expect(u5.observedId).toBe(sync[3]!.cloudId);
    expect(u5.receipt).toMatchObject({ pr: 7, commit });
    const u6 = report.results.find((r) => r.key === "u6")!;
    expect(u6.divergences[0]).toMatchObject({ objectId: cloudId(6), quarantined: "smtp:u6@idanchor.test" });
    expect(text.code).toBe(2);
    expect(text.stdout).toContain("6 identities: 3 as predicted, 1 not synced yet, 2 diverged");
    expect(text.stdout).toMatch(new RegExp(`diverged u5 \\(PR #7, commit ${commit.slice(0, 12)}\\)`));
  }, 60_000);

  it("records the verdicts next to the receipt, and audit shows planned, applied and verified or diverged", async () => {
    await cli("verify", "--identities", ".");

    const audit = await cli("audit", "--identities", ".", "--format", "json");
    const note = git("notes", "--ref=idanchor", "show", commit);

    expect(note.split("\n").filter((l) => l.includes('"kind":"verification"'))).toHaveLength(1);
    const records = (
      JSON.parse(audit.stdout) as {
        records: {
          key: string;
          field: string;
          applied: { status: string };
          verification?: { verdict: string; codes: string[] };
        }[];
      }
    ).records;
    expect(
      records.map((r) =>
        `${r.key} ${r.field} ${r.applied.status} ${r.verification?.verdict ?? "-"} ${r.verification?.codes.join(",") ?? ""}`.trim(),
      ),
    ).toEqual([
      "u1 identity-added applied predicted",
      "u2 identity-added applied predicted",
      "u3 identity-added applied predicted",
      "u4 identity-added applied pending",
      "u5 identity-added applied diverged Duplicate,ProvisioningError,ProvisioningError",
      "u6 identity-added applied diverged ProvisioningError",
    ]);
  }, 60_000);

  it("a second verify after the remaining one syncs reports it as predicted, and leaves the verified ones out", async () => {
    runSync(graph, await adObjects("u4"), { now: new Date(), sourceAnchor: "objectGUID" });

    const verify = await cli("verify", "--identities", ".", "--format", "json");
    const audit = await cli("audit", "u4", "--identities", ".");

    expect(verify.code).toBe(2);
    expect(verdicts(JSON.parse(verify.stdout) as VerifyReport)).toEqual({
      u4: "predicted",
      u5: "diverged Duplicate ProvisioningError ProvisioningError",
      u6: "diverged ProvisioningError",
    });
    expect(audit.stdout).toMatch(/u4 +identity added: .*applied .*; verified as predicted/);
  }, 60_000);

  it("once the conflict is resolved and the object syncs again, it is predicted; --since re-checks everything", async () => {
    graph.data.users = graph.data.users.filter((u) => u.id !== cloudId(50));
    runSync(graph, await adObjects("u6"), { now: new Date(), sourceAnchor: "objectGUID" });

    const verify = await cli("verify", "--identities", ".", "--format", "csv");
    const all = await cli(
      "verify",
      "--identities",
      ".",
      "--since",
      `${commit}~0`,
      "--format",
      "json",
      "--no-record",
    );
    const since = await cli(
      "verify",
      "--identities",
      ".",
      "--since",
      "2000-01-01",
      "--format",
      "json",
      "--no-record",
    );

    expect(verify.code).toBe(2);
    expect(verify.stdout.split("\r\n")[0]).toBe(
      "identity,type,verdict,codes,planned_object,observed_object,pr,commit,applied_at,message",
    );
    expect(verify.stdout).toMatch(/^u6,user,predicted,,/m);
    expect(verify.stdout).toMatch(/^u5,user,diverged,Duplicate ProvisioningError ProvisioningError,/m);
    // The receipt's commit is the first one: nothing was applied after it.
    expect((JSON.parse(all.stdout) as VerifyReport).summary.identities).toBe(0);
    expect((JSON.parse(since.stdout) as VerifyReport).summary).toEqual({
      identities: 6,
      predicted: 5,
      pending: 0,
      diverged: 1,
    });
  }, 60_000);
});
