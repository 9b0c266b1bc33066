/**
 * Opening a bound LDAP connection from the Settings: LDAPS by default, StartTLS on request, plain
 * ldap:// only with allowInsecure; credentials from the environment only. Failures become errors
 * an administrator can act on, never stack traces.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type tls from "node:tls";

import { Client, ResultCodeError } from "ldapts";

import type { ActiveDirectorySettings } from "../../desired/settings.js";
import { DirectoryError, InputError } from "../../model/errors.js";
import { trustingAlso } from "../trust.js";

/** Connect and operation timeout when none is given: "DC unreachable" is reported well within 10 s. */
export const DEFAULT_TIMEOUT_MS = 8000;

export interface ConnectionPlan {
  url: string;
  secure: boolean;
  startTls: boolean;
  tlsOptions: tls.ConnectionOptions;
  bindDn: string;
  password: string;
  timeoutMs: number;
}

function required(env: Record<string, string | undefined>, name: string, what: string): string {
  const value = env[name];
  if (value === undefined || value === "")
    throw new InputError(`environment variable ${name} is not set; it must hold ${what}`);
  return value;
}

function trustedCas(settings: ActiveDirectorySettings, settingsDir: string): tls.SecureContext | undefined {
  if (!settings.caFile) return undefined;
  const file = path.resolve(settingsDir, settings.caFile);
  try {
    return trustingAlso([readFileSync(file, "utf8")]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(`activeDirectory.caFile ${settings.caFile} (${file}) cannot be read (${code})`, {
      file,
    });
  }
}

/** Checks the Settings and environment before any network traffic. */
export function connectionPlan(
  settings: ActiveDirectorySettings,
  settingsDir: string,
  env: Record<string, string | undefined>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): ConnectionPlan {
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    throw new InputError(
      `activeDirectory.url "${settings.url}" is not a URL such as ldaps://dc01.corp.example.com`,
    );
  }
  const scheme = url.protocol.replace(/:$/, "").toLowerCase();
  if (scheme !== "ldaps" && scheme !== "ldap")
    throw new InputError(`activeDirectory.url "${settings.url}" must start with ldaps:// or ldap://`);
  const secure = scheme === "ldaps";
  const startTls = !secure && settings.startTls;
  if (!secure && !startTls && !settings.allowInsecure)
    throw new InputError(
      `refusing a simple bind over plain ${settings.url}: the bind DN and password would cross the network ` +
        "unencrypted, and AD accepts such binds only if LDAP signing is not enforced. Use ldaps:// (port 636), " +
        "or set activeDirectory.startTls: true, or (for a lab only) allowInsecure: true",
    );
  const bindDn = required(env, settings.bindDnEnv, "the DN (or user@domain) for the LDAP bind");
  const password = required(env, settings.passwordEnv, `the password of ${bindDn}`);
  const ca = trustedCas(settings, settingsDir);
  return {
    url: `${scheme}://${url.host}`,
    secure,
    startTls,
    // `host` makes StartTLS check the certificate against the DC's name (not "localhost"); the one
    // context serves every connection of the plan (the read's parts open several).
    tlsOptions: { ...(ca ? { secureContext: ca } : {}), host: url.hostname.replace(/^\[|\]$/g, "") },
    bindDn,
    password,
    timeoutMs,
  };
}

/** AD's "data NNN" in a bind failure says why (MS-ADTS / KB 2000 codes). */
const BIND_REASONS: Record<string, string> = {
  "52e": "wrong password or unknown account",
  "525": "unknown account",
  "530": "logon not permitted at this time",
  "531": "logon not permitted from this workstation",
  "532": "password expired",
  "533": "account disabled",
  "701": "account expired",
  "773": "password must be changed",
  "775": "account locked out",
};

const TLS_REASONS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "certificate not issued by a trusted CA",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "certificate not issued by a trusted CA",
  SELF_SIGNED_CERT_IN_CHAIN: "certificate chain ends in an untrusted CA",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed certificate",
  CERT_HAS_EXPIRED: "certificate expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "certificate is not for this host name",
};

/** The plain-language reason of a network or TLS failure, or undefined when it is something else. */
export function networkReason(error: unknown, timeoutMs: number): string | undefined {
  // Duck-typed: errors from Node's core may come from another realm (e.g. under jest's VM modules).
  if (typeof error !== "object" || error === null) return undefined;
  const { code = "", message = "" } = error as { code?: unknown; message?: unknown };
  if (typeof code !== "string" || typeof message !== "string") return undefined;
  if (code in TLS_REASONS)
    return (
      `TLS failed: ${TLS_REASONS[code]} (${code}); set activeDirectory.caFile to the PEM of the CA that ` +
      "issued the DC's certificate, and use the host name the certificate names"
    );
  if (code === "ECONNREFUSED") return "connection refused (is the DC up, and is the port right?)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host name not found in DNS";
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return "host unreachable";
  if (code === "ECONNRESET" || code === "EPIPE") return "the connection was reset";
  if (/Connection timeout|timed out/i.test(message))
    return `no answer within ${Math.round(timeoutMs / 1000)} s (DC down, firewall, or wrong port?)`;
  if (/Connection closed|Socket error|Socket connection not established/i.test(message))
    return "the connection was closed";
  return undefined;
}

function bindFailure(error: unknown, plan: ConnectionPlan): DirectoryError {
  const where = `LDAP bind as "${plan.bindDn}" to ${plan.url}`;
  if (error instanceof ResultCodeError) {
    if (error.code === 49) {
      const data = /data ([0-9a-f]{3})/i.exec(error.message)?.[1]?.toLowerCase();
      const reason = (data && BIND_REASONS[data]) ?? "wrong password, or the account is disabled or locked";
      return new DirectoryError("ad", `${where} was refused: invalid credentials (${reason})`, {
        code: "invalidCredentials",
        status: 49,
      });
    }
    if (error.code === 8 || error.code === 13)
      return new DirectoryError(
        "ad",
        `${where} was refused: the DC requires an encrypted connection (use ldaps:// or startTls: true)`,
        { code: "strongAuthRequired", status: error.code },
      );
    return new DirectoryError("ad", `${where} failed: ${error.message}`, { status: error.code });
  }
  const reason = networkReason(error, plan.timeoutMs);
  if (reason) return new DirectoryError("ad", `cannot reach the domain controller at ${plan.url}: ${reason}`);
  return new DirectoryError("ad", `${where} failed: ${messageOf(error)}`);
}

/** Connects (TLS as planned) and binds; any failure is a DirectoryError naming the DC or bind DN. */
export async function connectAndBind(plan: ConnectionPlan): Promise<Client> {
  const client = new Client({
    url: plan.url,
    connectTimeout: plan.timeoutMs,
    timeout: plan.timeoutMs,
    // ldapts speaks TLS from the first byte whenever tlsOptions are given: only for ldaps://.
    ...(plan.secure ? { tlsOptions: plan.tlsOptions } : {}),
  });
  try {
    if (plan.startTls) await client.startTLS({ ...plan.tlsOptions }); // ldapts mutates the options
    await client.bind(plan.bindDn, plan.password);
    return client;
  } catch (error) {
    await client.unbind().catch(() => undefined);
    throw bindFailure(error, plan);
  }
}

/** The message of anything thrown, without the "Error: " prefix String() adds. */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}
