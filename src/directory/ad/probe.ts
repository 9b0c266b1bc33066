/**
 * `doctor`'s checks of the AD connection, one step at a time so that each failure is named: the
 * DC answers on its port, the TLS certificate is trusted and names the host, the bind succeeds,
 * the base DN and every sync-scope OU can be read. Each step has a deadline.
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import tls from "node:tls";

import type { ActiveDirectorySettings } from "../../desired/settings.js";
import { DirectoryError, InputError } from "../../model/errors.js";
import { timed, withDeadline, type ProbeResult } from "../probe.js";
import { connectAndBind, connectionPlan, messageOf, networkReason } from "./ldap-connect.js";
import { trustingAlso } from "../trust.js";

export interface AdProbeOptions {
  settings: ActiveDirectorySettings;
  settingsDir: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
}

const DAY_MS = 86_400_000;

function endpoint(settings: ActiveDirectorySettings): { host: string; port: number; secure: boolean } {
  const url = new URL(settings.url);
  const secure = url.protocol === "ldaps:";
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: Number(url.port || (secure ? 636 : 389)),
    secure,
  };
}

function reach(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error("Connection timeout"));
    });
    socket.once("error", reject);
  });
}

function handshake(
  host: string,
  port: number,
  trust: tls.SecureContext | undefined,
  timeoutMs: number,
): Promise<tls.PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      ...(net.isIP(host) === 0 ? { servername: host } : {}),
      ...(trust ? { secureContext: trust } : {}),
      timeout: timeoutMs,
    });
    socket.once("secureConnect", () => {
      const certificate = socket.getPeerCertificate();
      socket.destroy();
      resolve(certificate);
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error("Connection timeout"));
    });
    socket.once("error", reject);
  });
}

function commonName(name: tls.Certificate | undefined): string {
  const cn = name?.CN;
  return (Array.isArray(cn) ? cn.join("+") : cn) ?? "(no CN)";
}

const CA_FIX =
  "set activeDirectory.caFile to the PEM of the CA that issued the DC's certificate (or add it to NODE_EXTRA_CA_CERTS), " +
  "and use the host name the certificate names in activeDirectory.url";

export async function probeActiveDirectory(options: AdProbeOptions): Promise<ProbeResult[]> {
  const { settings, timeoutMs } = options;
  const { host, port, secure } = endpoint(settings);
  const where = `${host}:${port}`;
  const results: ProbeResult[] = [];

  const reached = await timed("ad", "reach", async () => {
    try {
      await withDeadline(reach(host, port, timeoutMs), timeoutMs + 500, `connecting to ${where}`);
      return { status: "ok", detail: `${where} accepts connections` };
    } catch (error) {
      const reason = networkReason(error, timeoutMs) ?? messageOf(error);
      return {
        status: "fail",
        detail: `cannot reach the domain controller at ${where}: ${reason}`,
        fix: `check activeDirectory.url (${settings.url}), that the DC is up, and that this machine may reach port ${port} (firewall)`,
      };
    }
  });
  results.push(reached);
  if (reached.status === "fail") return results;

  results.push(
    await timed("ad", "tls", async () => {
      if (!secure)
        return settings.startTls
          ? { status: "skip", detail: "StartTLS: the certificate is checked by the bind below" }
          : {
              status: "warn",
              detail: `${settings.url} is plain LDAP: the bind password crosses the network unencrypted`,
              fix: "use ldaps:// (port 636) or startTls: true",
            };
      let trust: tls.SecureContext | undefined;
      if (settings.caFile) {
        const file = path.resolve(options.settingsDir, settings.caFile);
        try {
          trust = trustingAlso([readFileSync(file, "utf8")]);
        } catch (error) {
          return {
            status: "fail",
            detail: `activeDirectory.caFile ${settings.caFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
            fix: "point caFile at a PEM file, relative to the Settings file",
          };
        }
      }
      try {
        const certificate = await withDeadline(
          handshake(host, port, trust, timeoutMs),
          timeoutMs + 500,
          "TLS handshake",
        );
        const expires = new Date(certificate.valid_to);
        const days = Math.floor((expires.getTime() - Date.now()) / DAY_MS);
        const detail =
          `certificate ${commonName(certificate.subject)} issued by ${commonName(certificate.issuer)}, ` +
          `valid until ${expires.toISOString().slice(0, 10)}, trusted${settings.caFile ? ` (caFile ${settings.caFile})` : ""}`;
        return days < 30
          ? {
              status: "warn",
              detail: `${detail}; expires in ${days} days`,
              fix: "renew the DC's certificate",
            }
          : { status: "ok", detail };
      } catch (error) {
        return {
          status: "fail",
          detail: `TLS with ${where}: ${networkReason(error, timeoutMs) ?? messageOf(error)}`,
          fix: CA_FIX,
        };
      }
    }),
  );

  let plan: ReturnType<typeof connectionPlan> | undefined;
  const bound = await timed("ad", "bind", async () => {
    try {
      plan = connectionPlan(settings, options.settingsDir, options.env, timeoutMs);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return {
        status: "fail",
        detail: error.message,
        fix: `set ${settings.bindDnEnv} and ${settings.passwordEnv} for the account idanchor binds as`,
      };
    }
    try {
      const client = await withDeadline(connectAndBind(plan), timeoutMs * 2, `LDAP bind to ${settings.url}`);
      await client.unbind().catch(() => undefined);
      return { status: "ok", detail: `bound as ${plan.bindDn}` };
    } catch (error) {
      const message =
        error instanceof DirectoryError || error instanceof Error ? error.message : String(error);
      return {
        status: "fail",
        detail: message,
        fix: /TLS failed/.test(message)
          ? CA_FIX
          : `check ${settings.bindDnEnv} / ${settings.passwordEnv} and the account's state`,
      };
    }
  });
  results.push(bound);
  if (bound.status !== "ok" || !plan) return results;

  const bindPlan = plan;
  results.push(
    await timed("ad", "read", async () => {
      const client = await withDeadline(connectAndBind(bindPlan), timeoutMs * 2, "LDAP bind");
      try {
        const missing: string[] = [];
        for (const base of [settings.baseDN, ...settings.syncScope]) {
          try {
            await withDeadline(
              client.search(base, { scope: "base", filter: "(objectClass=*)", attributes: ["objectClass"] }),
              timeoutMs,
              `reading ${base}`,
            );
          } catch (error) {
            if ((error as { code?: unknown }).code === 32) missing.push(base);
            else throw error;
          }
        }
        return missing.length === 0
          ? { status: "ok", detail: `base DN and ${settings.syncScope.length} sync-scope OUs readable` }
          : {
              status: "fail",
              detail: `not found (or not visible to ${bindPlan.bindDn}): ${missing.join("; ")}`,
              fix: "correct activeDirectory.baseDN / syncScope, or give the account read access",
            };
      } catch (error) {
        return {
          status: "fail",
          detail: messageOf(error),
          fix: "give the bind account read access to the base DN",
        };
      } finally {
        await client.unbind().catch(() => undefined);
      }
    }),
  );
  return results;
}
