/**
 * A throwaway Samba AD DC for integration tests. Provisioning (~5 s) happens once per machine into a
 * template under the temp folder; each DC copies it, gets its own loopback address (127.0.0.N, all of
 * 127/8 reaches lo), temp folder, CA and server certificate, and serves LDAPS there. Several test
 * files (and several jest runs) can each run their own DC at the same time.
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import {
  closeSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { promisify } from "node:util";

import type { ActiveDirectorySettings } from "../../src/desired/settings.js";
import { releaseLoopbackAddress, reserveLoopbackAddress } from "./loopback.js";
import { ADMIN_PASSWORD, BASE_DN, REALM, exchangeTemplate, template } from "./samba-template.js";
import { createTestCertificates } from "./tls.js";

const run = promisify(execFile);

const START_TIMEOUT_MS = 30_000;

export interface SambaDc {
  /** The loopback address this DC alone listens on. */
  readonly ip: string;
  /** ldaps://ip:636 */
  readonly url: string;
  /** ldap://ip:389 (plain; for StartTLS and "refuse plaintext" tests) */
  readonly plainUrl: string;
  /** PEM of the CA that issued the DC's certificate (IP SAN for `ip`). */
  readonly caFile: string;
  readonly baseDN: string;
  readonly realm: string;
  readonly bindDn: string;
  readonly password: string;
  /** IDANCHOR_AD_BIND_DN and IDANCHOR_AD_PASSWORD for the administrator. */
  readonly env: Record<string, string>;
  /** The DC's private folder (removed by stop()). */
  readonly dir: string;
  /** How long start took, in ms. */
  readonly startMs: number;
  /** ActiveDirectorySettings for this DC; syncScope defaults to OU=Staff and OU=Shared. */
  settings(overrides?: Partial<ActiveDirectorySettings>): ActiveDirectorySettings;
  /** Runs `ldapsearch -LLL` bound as the administrator over LDAPS; `args` are base, filter, attributes... */
  ldapsearch(args: string[]): Promise<string>;
  /** Runs `ldbsearch` on the database files: shows GUIDs as text, an independent check of our conversion. */
  ldbsearch(args: string[]): Promise<string>;
  /** Runs `ldapmodify` over LDAPS; records without `changetype:` are adds. */
  ldapModify(ldif: string): Promise<void>;
  /** Adds LDIF records straight into the database files (no LDAP): the fast way to seed thousands. */
  ldbAdd(ldif: string): Promise<void>;
  /** Stops the DC (its whole process group) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartSambaOptions {
  /** Keep the DC's folder after stop() (for debugging). */
  keepDir?: boolean;
  /**
   * Extend the schema with on-prem Exchange's address-policy attributes (msExchPoliciesExcluded,
   * msExchPoliciesIncluded, msExchRecipientTypeDetails, targetAddress), from a second cached template.
   */
  exchangeSchema?: boolean;
}

/** The template's smb.conf, moved to `dir`, listening on `ip` only, serving LDAP alone, with our TLS files. */
function smbConf(templateConf: string, templateDir: string, dir: string, ip: string): string {
  const ours: Record<string, string> = {
    interfaces: `${ip}/8`,
    "bind interfaces only": "yes",
    "server services": "ldap",
    "log file": path.join(dir, "log", "log.%m"),
    "log level": "0",
    "pid directory": path.join(dir, "run"),
    "ncalrpc dir": path.join(dir, "run", "ncalrpc"),
    "winbindd socket directory": path.join(dir, "run", "winbindd"),
    "ntp signd socket directory": path.join(dir, "run", "ntp"),
    "tls enabled": "yes",
    "tls keyfile": path.join(dir, "tls", "server-key.pem"),
    "tls certfile": path.join(dir, "tls", "server.pem"),
    "tls cafile": path.join(dir, "tls", "ca.pem"),
    // Lets a test extend the schema (e.g. with Exchange attributes).
    "dsdb:schema update allowed": "true",
  };
  const lines = templateConf.split(templateDir).join(dir).split("\n");
  const kept = lines.filter((line) => {
    const key = /^\s*([^=[]+?)\s*=/.exec(line)?.[1]?.toLowerCase();
    return key === undefined || !(key in ours);
  });
  const at = kept.findIndex((line) => line.trim() === "[global]");
  const settings = Object.entries(ours).map(([k, v]) => `\t${k} = ${v}`);
  kept.splice(at + 1, 0, ...settings);
  return kept.join("\n");
}

/** Resolves once the DC completes a TLS handshake on 636 with a certificate signed by our CA. */
async function waitForLdaps(ip: string, ca: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`samba exited during start (${child.exitCode ?? child.signalCode}):\n${tail(logFile)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = tls.connect({ host: ip, port: 636, ca, timeout: 1000 }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
      socket.on("timeout", () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `samba did not answer LDAPS on ${ip}:636 within ${START_TIMEOUT_MS / 1000} s:\n${tail(logFile)}`,
  );
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "(no output)";
  }
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort when a worker exits without afterAll: never leave a DC behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of running) killGroup(child, "SIGKILL");
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

export async function startSambaDc(options: StartSambaOptions = {}): Promise<SambaDc> {
  const started = Date.now();
  const templateDir = options.exchangeSchema ? await exchangeTemplate() : await template();
  const ip = await reserveLoopbackAddress();
  const dir = mkdtempSync(path.join(os.tmpdir(), "idanchor-samba-dc-"));
  let child: ChildProcess | undefined;
  try {
    cpSync(templateDir, dir, { recursive: true });
    for (const sub of ["log", "run", "tls"]) mkdirSync(path.join(dir, sub), { recursive: true });
    const certs = createTestCertificates(path.join(dir, "tls"), { ips: [ip], hosts: ["localhost"] });
    const conf = path.join(dir, "etc", "smb.conf");
    const templatePath = readFileSync(path.join(templateDir, "template-dir"), "utf8");
    writeFileSync(conf, smbConf(readFileSync(conf, "utf8"), templatePath, dir, ip));
    const logFile = path.join(dir, "log", "samba.out");
    const out = openSync(logFile, "a");
    child = spawn("samba", ["-s", conf, "-i", "-M", "single"], {
      detached: true,
      stdio: ["ignore", out, out],
    });
    closeSync(out);
    running.add(child);
    installExitHook();
    await waitForLdaps(ip, certs.ca, child, logFile);
  } catch (error) {
    if (child) {
      await stopChild(child);
      running.delete(child);
    }
    rmSync(dir, { recursive: true, force: true });
    releaseLoopbackAddress(ip);
    throw error;
  }
  return makeDc({ ip, dir, child, startMs: Date.now() - started, keepDir: options.keepDir ?? false });
}

function makeDc(opts: {
  ip: string;
  dir: string;
  child: ChildProcess;
  startMs: number;
  keepDir: boolean;
}): SambaDc {
  const { ip, dir, child } = opts;
  const caFile = path.join(dir, "tls", "ca.pem");
  const bindDn = `CN=Administrator,CN=Users,${BASE_DN}`;
  const url = `ldaps://${ip}:636`;
  const clientEnv = { ...process.env, LDAPTLS_CACERT: caFile, LDAPTLS_REQCERT: "demand" };
  const auth = ["-H", url, "-x", "-D", bindDn, "-w", ADMIN_PASSWORD];
  let stopped = false;
  const withInput = async (cmd: string, args: string[], input: string): Promise<string> => {
    const proc = execFile(cmd, args, { env: clientEnv, maxBuffer: 256 * 1024 * 1024 });
    const done = new Promise<string>((resolve, reject) => {
      let stdout = "";
      let stderr = "";
      proc.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
      proc.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
      proc.on("close", (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`${cmd} failed (${code}): ${stderr || stdout}`)),
      );
    });
    proc.stdin?.end(input);
    return done;
  };
  return {
    ip,
    url,
    plainUrl: `ldap://${ip}:389`,
    caFile,
    baseDN: BASE_DN,
    realm: REALM,
    bindDn,
    password: ADMIN_PASSWORD,
    env: { IDANCHOR_AD_BIND_DN: bindDn, IDANCHOR_AD_PASSWORD: ADMIN_PASSWORD },
    dir,
    startMs: opts.startMs,
    settings: (overrides = {}) => ({
      url,
      baseDN: BASE_DN,
      syncScope: [`OU=Staff,${BASE_DN}`, `OU=Shared,${BASE_DN}`],
      sourceAnchor: "mS-DS-ConsistencyGuid",
      caFile,
      startTls: false,
      allowInsecure: false,
      bindDnEnv: "IDANCHOR_AD_BIND_DN",
      passwordEnv: "IDANCHOR_AD_PASSWORD",
      ...overrides,
    }),
    ldapsearch: async (args) => {
      const { stdout } = await run("ldapsearch", ["-LLL", ...auth, ...args], {
        env: clientEnv,
        maxBuffer: 256 * 1024 * 1024,
      });
      return stdout;
    },
    ldbsearch: async (args) => {
      const { stdout } = await run("ldbsearch", ["-H", path.join(dir, "private", "sam.ldb"), ...args], {
        maxBuffer: 256 * 1024 * 1024,
      });
      return stdout;
    },
    ldapModify: async (ldif) => {
      await withInput("ldapmodify", ["-a", ...auth], ldif);
    },
    ldbAdd: async (ldif) => {
      await withInput("ldbadd", ["-H", path.join(dir, "private", "sam.ldb")], ldif);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopChild(child);
      running.delete(child);
      if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
      releaseLoopbackAddress(ip);
    },
  };
}
