/**
 * `idanchor plan` -> `apply` -> `drift` end to end, as the workflows run them: a real Samba AD DC, the
 * Graph test server driven through the real Graph SDK and @azure/identity, and a real git repository
 * that receives the receipt as a git note.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { parseReceiptNote } from "../../src/apply/git-note.js";
import type { Receipt } from "../../src/model/receipts.js";
import { runCli } from "../support/cli.js";
import type { CliRun } from "../support/cli.js";
import { tempDir } from "../support/files.js";
import { startGraphServer } from "../support/graph-server.js";
import type { GraphServer, Json } from "../support/graph-server.js";
import { startSambaDc } from "../support/samba.js";
import type { SambaDc } from "../support/samba.js";

const MAPPED = ["m1", "m2", "m3"];
const HARD = ["h1", "h2", "h3", "h4", "h5"];

let dc: SambaDc;
let graph: GraphServer;
let repo: ReturnType<typeof tempDir>;
let env: Record<string, string>;

const cloudId = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

function cloudUsers(): Json[] {
  return [...MAPPED, ...HARD].map((sam, i) => ({
    id: cloudId(i + 1),
    userPrincipalName: `${sam}@idanchor.onmicrosoft.com`,
    mail: `${sam}.cloud@idanchor.test`,
    proxyAddresses: [`SMTP:${sam}.cloud@idanchor.test`],
    onPremisesImmutableId: null,
    onPremisesSyncEnabled: null,
  }));
}

function settingsYaml(url: string): string {
  return `kind: Settings
activeDirectory:
  url: ${url}
  baseDN: ${dc.baseDN}
  syncScope: ["OU=Staff,${dc.baseDN}"]
  sourceAnchor: objectGUID
  caFile: ${dc.caFile}
entra:
  tenantId: ${graph.app.tenantId}
  clientId: ${graph.app.clientId}
  graphUrl: ${graph.url}
  authorityHost: ${graph.url}
policy:
  maxChangesPerApply: 3
`;
}

const identitiesYaml = `kind: IdentityMap
identities:
${MAPPED.map((s) => `  - {ad: ${s}, cloud: ${s}@idanchor.onmicrosoft.com, smtp: ${s}.cloud@idanchor.test}`).join("\n")}
${HARD.map((s) => `  - {ad: ${s}, cloud: ${s}@idanchor.onmicrosoft.com, smtp: ${s}.cloud@idanchor.test, match: hard}`).join("\n")}
`;

function git(...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@idanchor.test", ...args], {
    cwd: repo.dir,
    encoding: "utf8",
  });
}

const cli = (...argv: string[]): Promise<CliRun> => runCli(argv, { cwd: repo.dir, env });

async function adValues(sam: string): Promise<string> {
  const out = await dc.ldapsearch([
    `-b`,
    `OU=Staff,${dc.baseDN}`,
    `(sAMAccountName=${sam})`,
    "mail",
    "proxyAddresses",
  ]);
  return out
    .split("\n")
    .filter((line) => /^(mail|proxyAddresses):/.test(line))
    .sort()
    .join("; ");
}

function immutableIds(): (string | null)[] {
  return HARD.map((_, i) => {
    const user = graph.data.users?.find((u) => (u as { id: string }).id === cloudId(MAPPED.length + i + 1));
    return (user as { onPremisesImmutableId?: string | null }).onPremisesImmutableId ?? null;
  });
}

beforeAll(async () => {
  repo = tempDir();
  dc = await startSambaDc();
  graph = await startGraphServer({
    dir: repo.dir,
    tenant: {
      users: cloudUsers(),
      domains: [
        { id: "idanchor.test", isVerified: true },
        { id: "idanchor.onmicrosoft.com", isVerified: true },
      ],
    },
  });
  const staff = `OU=Staff,${dc.baseDN}`;
  await dc.ldapModify(
    [
      `dn: ${staff}\nobjectClass: organizationalUnit\n`,
      ...MAPPED.map(
        (s) =>
          `dn: CN=${s},${staff}\nobjectClass: user\nsAMAccountName: ${s}\nmail: ${s}@idanchor.test\nproxyAddresses: SMTP:${s}@idanchor.test\nproxyAddresses: X500:/o=Idanchor/cn=${s}\n`,
      ),
      ...HARD.map(
        (s) =>
          `dn: CN=${s},${staff}\nobjectClass: user\nsAMAccountName: ${s}\nmail: ${s}.cloud@idanchor.test\nproxyAddresses: SMTP:${s}.cloud@idanchor.test\n`,
      ),
    ].join("\n"),
  );
  env = { ...dc.env, ...graph.env("secret"), NODE_EXTRA_CA_CERTS: graph.caFile };
  writeFileSync(path.join(repo.dir, "settings.yaml"), settingsYaml(dc.url));
  writeFileSync(path.join(repo.dir, "identities.yaml"), identitiesYaml);
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-qm", "Map the staff");
}, 120_000);

afterAll(async () => {
  await graph?.close();
  await dc?.stop();
  repo?.remove();
});

describe("plan, apply and drift against Samba AD and the Graph test server", () => {
  it("refuses a plan that changes more objects than maxChangesPerApply, and writes nothing", async () => {
    const plan = await cli("plan", "--identities", ".", "--out", "plan.json", "--format", "json");
    const before = await Promise.all(MAPPED.map(adValues));

    const apply = await cli("apply", "plan.json", "--identities", ".");

    expect(plan.code).toBe(2);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("changes 8 objects, more than policy.maxChangesPerApply (3)");
    expect(apply.stderr).toContain("--allow-mass-change 8");
    expect(await Promise.all(MAPPED.map(adValues))).toEqual(before);
    expect(immutableIds()).toEqual([null, null, null, null, null]);
  });

  it("refuses plaintext LDAP with a clear message and writes nothing", async () => {
    writeFileSync(path.join(repo.dir, "settings.yaml"), settingsYaml(dc.plainUrl));
    const before = await Promise.all(MAPPED.map(adValues));

    const apply = await cli("apply", "plan.json", "--identities", ".", "--allow-mass-change", "8");

    writeFileSync(path.join(repo.dir, "settings.yaml"), settingsYaml(dc.url));
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/ldap:\/\/.*(startTls|allowInsecure)/);
    expect(await Promise.all(MAPPED.map(adValues))).toEqual(before);
    expect(immutableIds()).toEqual([null, null, null, null, null]);
  });

  it("applies through a 429 storm on the hard-match batch, attaches the receipt note, and a new plan is clean", async () => {
    graph.addFault({
      kinds: ["user-patch"],
      fault: { type: "status", status: 429, retryAfter: 0 },
      rate: 0.5,
      seed: 7,
    });

    const apply = await cli(
      "apply",
      "plan.json",
      "--identities",
      ".",
      "--allow-mass-change",
      "8",
      "--receipt",
      "receipt.json",
      "--format",
      "json",
    );
    graph.clearFaults();
    const again = await cli("plan", "--identities", ".", "--format", "json");

    expect(apply.stderr).toBe("");
    expect(apply.code).toBe(0);
    const receipt = JSON.parse(readFileSync(path.join(repo.dir, "receipt.json"), "utf8")) as Receipt;
    expect(receipt.summary).toEqual({ applied: 8, skipped: 0, conflict: 0, failed: 0 });
    // --format json: stdout is one JSON document, the receipt itself.
    expect(JSON.parse(apply.stdout)).toEqual(receipt);
    expect(graph.requests.filter((r) => r.kind === "user-patch" && r.status === 429).length).toBeGreaterThan(
      0,
    );
    expect(immutableIds().every((id) => typeof id === "string" && id.length === 24)).toBe(true);
    expect(await adValues("m1")).toBe(
      "mail: m1.cloud@idanchor.test; proxyAddresses: SMTP:m1.cloud@idanchor.test; proxyAddresses: X500:/o=Idanchor/cn=m1; proxyAddresses: smtp:m1@idanchor.test",
    );
    const note = parseReceiptNote(git("notes", "--ref=idanchor", "show", "HEAD"));
    expect(note.flatMap((r) => r.objects.map((o) => `${o.target}:${o.key}:${o.result}`)).sort()).toEqual(
      [...MAPPED.map((s) => `ad:${s}:applied`), ...HARD.map((s) => `entra:${s}:applied`)].sort(),
    );
    expect(again.code).toBe(0);
    const replanned = JSON.parse(again.stdout) as {
      identities: { key: string; outcome: string; via: string }[];
    };
    expect(replanned.identities.map((i) => `${i.key} ${i.outcome} ${i.via}`)).toEqual([
      ...MAPPED.map((s) => `${s} will-join smtp`),
      ...HARD.map((s) => `${s} will-join anchor`),
    ]);
  }, 120_000);

  it("applying the same plan again is a no-op with exit 0", async () => {
    const apply = await cli("apply", "plan.json", "--identities", ".", "--allow-mass-change", "8");

    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain("0 applied, 8 skipped, 0 conflict, 0 failed");
  });

  it("refuses to point a joined identity at another cloud object without rebind: true, and writes nothing", async () => {
    const h1 = graph.data.users?.find((u) => (u as { id: string }).id === cloudId(MAPPED.length + 1)) as {
      onPremisesSyncEnabled: boolean | null;
    };
    h1.onPremisesSyncEnabled = true;
    graph.data.users?.push({
      id: cloudId(99),
      userPrincipalName: "spare@idanchor.onmicrosoft.com",
      proxyAddresses: ["SMTP:h1.cloud@idanchor.test"],
      onPremisesImmutableId: null,
      onPremisesSyncEnabled: null,
    });
    const rebindDir = tempDir({
      "settings.yaml": settingsYaml(dc.url),
      "map.yaml": identitiesYaml.replace("{ad: h1, cloud: h1@", "{ad: h1, cloud: spare@"),
    });

    const plan = await runCli(["plan", "--identities", rebindDir.dir, "--out", "rebind-plan.json"], {
      cwd: repo.dir,
      env,
    });
    const apply = await runCli(["apply", "rebind-plan.json", "--identities", rebindDir.dir], {
      cwd: repo.dir,
      env,
    });
    rebindDir.remove();

    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain("spare@idanchor.onmicrosoft.com");
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/h1 \(.*\): not written: blocking findings/);
    const spare = graph.data.users?.find((u) => (u as { id: string }).id === cloudId(99)) as {
      onPremisesImmutableId: string | null;
    };
    expect(spare.onPremisesImmutableId).toBeNull();
    expect(immutableIds()[0]).toHaveLength(24);
  });

  it("drift: a value edited in AD by hand is drift (exit 2); an unreachable DC is a failure (exit 1), never drift", async () => {
    const clean = await cli("drift", "--identities", ".");
    await dc.ldapModify(
      `dn: CN=m2,OU=Staff,${dc.baseDN}\nchangetype: modify\nadd: proxyAddresses\nproxyAddresses: smtp:by.hand@idanchor.test\n-\n`,
    );

    const drift = await cli("drift", "--identities", ".", "--format", "markdown");
    writeFileSync(path.join(repo.dir, "settings.yaml"), settingsYaml("ldaps://127.0.0.1:1"));
    const down = await cli("drift", "--identities", ".");
    writeFileSync(path.join(repo.dir, "settings.yaml"), settingsYaml(dc.url));

    expect(clean.code).toBe(0);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain("m2");
    expect(drift.stdout).toContain("smtp:by.hand@idanchor.test");
    expect(down.code).toBe(1);
    expect(down.stdout).toBe("");
    expect(down.stderr).toMatch(/Active Directory/);
  }, 60_000);
});
