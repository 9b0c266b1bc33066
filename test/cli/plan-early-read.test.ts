/**
 * `plan` against live directories starts reading them as soon as the Settings are parsed, while
 * the rest of the YAML is parsed; a desired state with errors is reported as such, and the reads
 * already under way are closed at once rather than left to their deadlines.
 */
import net from "node:net";

import { afterEach, describe, expect, it } from "@jest/globals";

import { main } from "../../src/cli/main.js";
import { tempDir } from "../support/files.js";
import { standInSettingsYaml, startLdapStandIn } from "../support/ldap-stand-in.js";
import type { LdapStandIn } from "../support/ldap-stand-in.js";

const env = {
  IDANCHOR_AD_BIND_DN: "CN=idanchor,CN=Users,DC=corp,DC=example",
  IDANCHOR_AD_PASSWORD: "pw-Secret-42",
  AZURE_CLIENT_SECRET: "client-Secret-43",
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A TCP server that accepts connections and never says a word: a Graph endpoint that hangs. */
async function silentServer(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as net.AddressInfo).port;
}

async function silentDc(): Promise<LdapStandIn> {
  const dc = await startLdapStandIn({ bindResult: 0, diagnostic: "", search: "silent" });
  cleanups.push(() => dc.close());
  return dc;
}

/** `plan --format json` on a desired state whose Settings point at a hung DC and a hung Graph. */
async function planAgainstHungDirectories(
  staff: string,
): Promise<{ code: number; stdout: string; stderr: string; dc: LdapStandIn }> {
  const dc = await silentDc();
  const graphPort = await silentServer();
  const t = tempDir({
    "identities/settings.yaml": standInSettingsYaml(dc.url, [
      `  graphUrl: https://127.0.0.1:${graphPort}`,
      `  authorityHost: https://127.0.0.1:${graphPort}`,
    ]),
    "identities/staff.yaml": staff,
  });
  cleanups.push(() => Promise.resolve(t.remove()));
  let stdout = "";
  let stderr = "";
  const code = await main(["plan", "--format", "json"], {
    env,
    cwd: t.dir,
    stdout: { write: (s: string | Uint8Array) => ((stdout += String(s)), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
  });
  return { code, stdout, stderr, dc };
}

const entry = (smtp: string): string =>
  `kind: IdentityMap\nidentities:\n  - ad: asmith\n    cloud: asmith@contoso.onmicrosoft.com\n    smtp: ${smtp}\n`;

describe("plan reads the directories while the YAML is parsed", () => {
  it("reports a desired-state error, not the hung directories, and closes the read it had started", async () => {
    const { code, stdout, stderr, dc } = await planAgainstHungDirectories(entry("not-an-address"));

    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^identities\/staff\.yaml:5:\d+: error \w+: .*not-an-address/m);
    expect(stderr).toContain("the desired state has errors");
    expect(stderr).not.toMatch(/Active Directory|domain controller|Graph|timed out|no answer/i);
    expect(stderr).not.toContain("pw-Secret-42");
    // The DC was reached before the load ended (the read had started), and nothing is left open:
    // the silent search would otherwise hold its connection until the 8-second operation deadline.
    expect(dc.connections()).toBeGreaterThanOrEqual(1);
    await dc.allClosed();
  });

  it("plans with the Settings it started the reads with: the hung DC is what fails, within its deadline", async () => {
    const { code, stderr, dc } = await planAgainstHungDirectories(entry("asmith@contoso.com"));

    expect(code).toBe(1);
    expect(stderr).not.toContain("the desired state has errors");
    expect(stderr).toMatch(/no answer within \d+ s|timed out/i);
    expect(stderr).not.toMatch(/pw-Secret-42|client-Secret-43/);
    expect(dc.connections()).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
