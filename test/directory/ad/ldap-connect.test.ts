/**
 * Connecting to AD: LDAPS verified with the Settings' CA, StartTLS, plaintext refused, and clear
 * errors (no stack traces) for a wrong password, missing credentials and an unreachable DC.
 */
import net from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { openLdap } from "../../../src/directory/ad/index.js";
import type { ActiveDirectorySettings } from "../../../src/desired/settings.js";
import { DirectoryError, InputError } from "../../../src/model/errors.js";
import { startSambaDc, type SambaDc } from "../../support/samba.js";

let dc: SambaDc;

beforeAll(async () => {
  dc = await startSambaDc();
}, 60_000);

afterAll(async () => {
  await dc?.stop();
});

async function openError(
  settings: ActiveDirectorySettings,
  env: Record<string, string | undefined> = dc.env,
  timeoutMs?: number,
): Promise<Error> {
  try {
    const ldap = await openLdap({ settings, settingsDir: dc.dir, env, timeoutMs });
    await ldap.close();
  } catch (error) {
    return error as Error;
  }
  throw new Error("openLdap succeeded");
}

describe("connecting to AD", () => {
  it("binds over LDAPS, trusting the caFile given relative to the Settings folder", async () => {
    const ldap = await openLdap({
      settings: dc.settings({ caFile: "tls/ca.pem" }),
      settingsDir: dc.dir,
      env: dc.env,
    });

    const state = await ldap.readAll();
    await ldap.close();

    expect(ldap.description).toBe(`Active Directory ${dc.url} (${dc.baseDN})`);
    expect(state.objects.map((o) => o.sAMAccountName)).toContain("Administrator");
  });

  it("binds over ldap:// with StartTLS", async () => {
    const ldap = await openLdap({
      settings: dc.settings({ url: dc.plainUrl, startTls: true }),
      settingsDir: dc.dir,
      env: dc.env,
    });

    const state = await ldap.readAll();
    await ldap.close();

    expect(state.objects.map((o) => o.sAMAccountName)).toContain("Administrator");
  });

  it("refuses a simple bind over plain ldap:// and says why", async () => {
    const error = await openError(dc.settings({ url: dc.plainUrl }));

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^refusing a simple bind over plain ldap:\/\/127\.0\.0\.\d+:389: the bind DN and password would cross the network unencrypted/,
    );
    expect(error.message).toMatch(/startTls: true/);
  });

  it("with allowInsecure, reports the DC's own refusal of plaintext binds clearly", async () => {
    const error = await openError(dc.settings({ url: dc.plainUrl, allowInsecure: true }));

    expect(error).toBeInstanceOf(DirectoryError);
    expect(error.message).toBe(
      `LDAP bind as "${dc.bindDn}" to ${dc.plainUrl} was refused: the DC requires an encrypted connection (use ldaps:// or startTls: true)`,
    );
  });

  it("names the bind DN when the password is wrong, without a stack trace", async () => {
    const error = await openError(dc.settings(), { ...dc.env, IDANCHOR_AD_PASSWORD: "not-the-password" });

    expect(error).toBeInstanceOf(DirectoryError);
    expect(error.message).toBe(
      `LDAP bind as "${dc.bindDn}" to ${dc.url} was refused: invalid credentials (wrong password or unknown account)`,
    );
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it("names the environment variable that is missing", async () => {
    const error = await openError(dc.settings({ passwordEnv: "CORP_AD_PASSWORD" }));

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      `environment variable CORP_AD_PASSWORD is not set; it must hold the password of ${dc.bindDn}`,
    );
  });

  it("explains an untrusted certificate and points to caFile", async () => {
    const error = await openError(dc.settings({ caFile: null }));

    expect(error).toBeInstanceOf(DirectoryError);
    expect(error.message).toMatch(
      /^cannot reach the domain controller at ldaps:\/\/.*: TLS failed: .*set activeDirectory\.caFile/,
    );
  });

  it("reports a missing caFile as bad input", async () => {
    const error = await openError(dc.settings({ caFile: "certs/missing.pem" }));

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^activeDirectory\.caFile certs\/missing\.pem \(.*missing\.pem\) cannot be read \(ENOENT\)/,
    );
  });

  it("reports a refused connection at once", async () => {
    const started = Date.now();

    const error = await openError(dc.settings({ url: `ldaps://${dc.ip}:1` }));

    expect(error).toBeInstanceOf(DirectoryError);
    expect(error.message).toBe(
      `cannot reach the domain controller at ldaps://${dc.ip}:1: connection refused (is the DC up, and is the port right?)`,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("gives up on a DC that never answers within 10 s (default timeout)", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const started = Date.now();

    const error = await openError(dc.settings({ url: `ldaps://127.0.0.1:${port}` }));
    const elapsed = Date.now() - started;
    sockets.forEach((s) => s.destroy());
    silent.close();

    expect(error).toBeInstanceOf(DirectoryError);
    expect(error.message).toBe(
      `cannot reach the domain controller at ldaps://127.0.0.1:${port}: no answer within 8 s (DC down, firewall, or wrong port?)`,
    );
    expect(elapsed).toBeLessThan(10_000);
  }, 15_000);
});
