/** Plans and Actions environments for the GitHub integration tests. */
import { writeFileSync } from "node:fs";
import path from "node:path";

import type { CliContext } from "../../src/cli/io.js";
import type { Outcome, Plan, PlanFinding, PlanIdentity } from "../../src/plan/types.js";
import { OUTCOMES, PLAN_VERSION } from "../../src/plan/types.js";
import type { GithubServer } from "../support/github-server.js";

export function finding(code: string, severity: "error" | "warning" = "error"): PlanFinding {
  return {
    severity,
    code,
    message: `The next sync reports ${code}: 50%, a:b, c\nd.`,
    fix: "Change the YAML entry.",
  };
}

export function planIdentity(n: number, fields: Partial<PlanIdentity> = {}): PlanIdentity {
  const sam = `user${String(n).padStart(5, "0")}`;
  const dn = `CN=${sam},OU=Staff,DC=corp,DC=contoso,DC=com`;
  return {
    key: sam,
    type: "user",
    source: { file: "identities/staff.yaml", line: 3 + n * 5, column: 5 },
    dn,
    targetId: `id-${n}`,
    targetName: `${sam}@contoso.onmicrosoft.com`,
    outcome: "will-join",
    via: "smtp",
    cloudId: `id-${n}`,
    cloudName: `${sam}@contoso.onmicrosoft.com`,
    rebind: false,
    read: { ad: { dn, proxyAddresses: [], mail: null }, entra: null },
    changes: [
      {
        target: "ad",
        dn,
        attribute: "proxyAddresses",
        add: [`SMTP:${sam}.with.a.long.name@contoso.com`, `smtp:${sam}@contoso.com`],
        remove: [],
      },
    ],
    findings: [],
    ...fields,
  };
}

export function planOf(identities: PlanIdentity[], findings: PlanFinding[] = []): Plan {
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const i of identities) outcomes[i.outcome]++;
  const all = [...findings, ...identities.flatMap((i) => i.findings)];
  return {
    version: PLAN_VERSION,
    identities,
    findings,
    summary: {
      identities: identities.length,
      changes: identities.reduce((n, i) => n + i.changes.length, 0),
      errors: all.filter((f) => f.severity === "error").length,
      warnings: all.filter((f) => f.severity === "warning").length,
      currentSyncErrors: all.filter((f) => f.code === "CurrentSyncError").length,
      outcomes,
    },
  };
}

/** A plan of `count` identities, with a few blocked ones so that every section appears. */
export function bigPlan(count: number, tag = ""): Plan {
  return planOf(
    Array.from({ length: count }, (_, n) =>
      n % 50 === 7
        ? planIdentity(n, { outcome: "blocked", findings: [finding(`InvalidSoftMatch${tag}`)] })
        : planIdentity(n),
    ),
  );
}

export function writePlan(dir: string, plan: Plan, name = "plan.json"): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${JSON.stringify(plan, null, 2)}\n`);
  return file;
}

export interface Captured {
  ctx: CliContext;
  stdout: () => string;
  stderr: () => string;
}

export function capture(env: Record<string, string | undefined>, cwd: string): Captured {
  let out = "";
  let err = "";
  return {
    ctx: {
      env,
      cwd,
      stdout: { write: (s: string) => (out += s), isTTY: false },
      stderr: { write: (s: string) => (err += s), isTTY: false },
    },
    stdout: () => out,
    stderr: () => err,
  };
}

/** The environment a pull_request job step sees, with the event payload written to `dir`. */
export function actionsEnv(
  server: GithubServer,
  dir: string,
  event: unknown,
  extra: Record<string, string> = {},
): Record<string, string> {
  const eventPath = path.join(dir, "event.json");
  writeFileSync(eventPath, JSON.stringify(event));
  return {
    GITHUB_API_URL: server.url,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_REPOSITORY: "contoso/identities",
    GITHUB_RUN_ID: "4242",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: dir,
    GITHUB_TOKEN: server.token,
    // The loopback GitHub stand-in speaks plain http.
    IDANCHOR_TEST_ONLY_ALLOW_HTTP: "1",
    ...extra,
  };
}

/** Checked independently of the splitter: every <details> closed, every fence line paired. */
export function balanced(part: string): boolean {
  const opens = part.match(/<details[\s>]/g)?.length ?? 0;
  const closes = part.match(/<\/details>/g)?.length ?? 0;
  const fences = part.split("\n").filter((l) => /^(```|~~~)/.test(l)).length;
  return opens === closes && fences % 2 === 0;
}
