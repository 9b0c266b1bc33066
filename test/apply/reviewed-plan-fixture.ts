/**
 * One Samba AD DC, the Graph test server and a git repository, with three desired states side by
 * side (one folder each, so each plan and apply sees only its own identities): `tamper` for the
 * edited-plan tests, `accept` for a plan applied as reviewed, `merge` for what moves between review
 * and merge.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { runCli } from "../support/cli.js";
import type { CliRun } from "../support/cli.js";
import { tempDir } from "../support/files.js";
import { startGraphServer } from "../support/graph-server.js";
import type { GraphServer, Json } from "../support/graph-server.js";
import { startSambaDc } from "../support/samba.js";
import type { SambaDc } from "../support/samba.js";

export interface Fixture {
  dc: SambaDc;
  graph: GraphServer;
  repo: { dir: string; remove: () => void };
  env: Record<string, string>;
  cli: (...argv: string[]) => Promise<CliRun>;
  git: (...args: string[]) => string;
  /** Every mail/proxyAddresses value and every DN under the base, and every cloud anchor: "what is written". */
  written: () => Promise<string>;
  readJson: (file: string) => unknown;
  readText: (full: string) => string;
  writeJson: (file: string, value: unknown) => void;
  close: () => Promise<void>;
}

/** AD objects (sAMAccountName) that exist before the tests, each with its own cloud user. */
const EXISTING = ["t1", "tb", "th", "a1", "a2", "ah", "x1", "x2", "x3"];
/** Cloud-only: the create entry's cloud user, and a spare user that another admin edits. */
const CLOUD_ONLY = ["tc", "spare"];

export const cloudId = (sam: string): string =>
  `00000000-0000-4000-8000-${String([...EXISTING, ...CLOUD_ONLY].indexOf(sam) + 1).padStart(12, "0")}`;

const entry = (sam: string, extra = ""): string =>
  `  - {ad: ${sam}, cloud: ${sam}@idanchor.onmicrosoft.com, smtp: ${sam}.cloud@idanchor.test${extra}}`;

export function identityMaps(staff: string): Record<string, string> {
  return {
    tamper: [
      entry("t1"),
      // Wants t1's old primary, which t1 keeps as an alias: AttributeValueMustBeUnique, blocking.
      entry("tb", ", aliases: [t1@idanchor.test]"),
      entry("th", ", match: hard"),
      `  - ad: {create: {ou: '${staff}', sAMAccountName: tc, givenName: Tess, sn: Carter, displayName: Tess Carter}}`,
      "    cloud: tc@idanchor.onmicrosoft.com",
      "    smtp: tc.cloud@idanchor.test",
    ].join("\n"),
    accept: [entry("a1"), entry("a2"), entry("ah", ", match: hard")].join("\n"),
    merge: [entry("x1"), entry("x2"), entry("x3")].join("\n"),
  };
}

export async function startFixture(): Promise<Fixture> {
  const repo = tempDir();
  const dc = await startSambaDc();
  const users: Json[] = [...EXISTING, ...CLOUD_ONLY].map((sam) => ({
    id: cloudId(sam),
    userPrincipalName: `${sam}@idanchor.onmicrosoft.com`,
    mail: `${sam}.cloud@idanchor.test`,
    proxyAddresses: [`SMTP:${sam}.cloud@idanchor.test`],
    onPremisesImmutableId: null,
    onPremisesSyncEnabled: null,
  }));
  const graph = await startGraphServer({
    dir: repo.dir,
    tenant: {
      users,
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
      ...EXISTING.map(
        (s) =>
          `dn: CN=${s},${staff}\nobjectClass: user\nsAMAccountName: ${s}\nmail: ${s}@idanchor.test\nproxyAddresses: SMTP:${s}@idanchor.test\nproxyAddresses: X500:/o=Idanchor/cn=${s}\n`,
      ),
    ].join("\n"),
  );
  const settings = `kind: Settings
activeDirectory:
  url: ${dc.url}
  baseDN: ${dc.baseDN}
  syncScope: ['${staff}']
  sourceAnchor: objectGUID
  caFile: ${dc.caFile}
entra:
  tenantId: ${graph.app.tenantId}
  clientId: ${graph.app.clientId}
  graphUrl: ${graph.url}
  authorityHost: ${graph.url}
policy:
  maxChangesPerApply: 50
`;
  for (const [dir, identities] of Object.entries(identityMaps(staff))) {
    tempWrite(repo.dir, `${dir}/settings.yaml`, settings);
    tempWrite(repo.dir, `${dir}/identities.yaml`, `kind: IdentityMap\nidentities:\n${identities}\n`);
  }
  const env = { ...dc.env, ...graph.env("secret"), NODE_EXTRA_CA_CERTS: graph.caFile };
  const git = (...args: string[]): string =>
    execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@idanchor.test", ...args], {
      cwd: repo.dir,
      encoding: "utf8",
    });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-qm", "Map the staff");
  const written = async (): Promise<string> => {
    const ad = await dc.ldapsearch([
      "-b",
      dc.baseDN,
      "(|(mail=*)(proxyAddresses=*)(objectClass=user))",
      "mail",
      "proxyAddresses",
      "userAccountControl",
    ]);
    const cloud = (graph.data.users ?? []).map((u) => {
      const user = u as { id: string; onPremisesImmutableId?: string | null };
      return `${user.id}=${user.onPremisesImmutableId ?? "null"}`;
    });
    return [
      ...ad
        .split("\n")
        .filter((line) => line.trim() !== "")
        .sort(),
      ...cloud,
    ].join("\n");
  };
  return {
    dc,
    graph,
    repo,
    env,
    git,
    written,
    cli: (...argv) => runCli(argv, { cwd: repo.dir, env }),
    readJson: (file) => JSON.parse(readFileSync(path.join(repo.dir, file), "utf8")) as unknown,
    readText: (full) => readFileSync(full, "utf8"),
    writeJson: (file, value) => writeFileSync(path.join(repo.dir, file), JSON.stringify(value)),
    close: async () => {
      await graph.close();
      await dc.stop();
      repo.remove();
    },
  };
}

function tempWrite(dir: string, name: string, content: string): void {
  const full = path.join(dir, name);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}
