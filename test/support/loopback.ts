/**
 * Hands out loopback addresses (127.0.0.10 - 127.0.0.250) so that test servers started at the same
 * time, by parallel jest workers or by other jest runs on the machine, never share an address.
 * A reservation is a directory created atomically under the temp folder, holding the owner's pid;
 * a reservation whose process is gone is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const FIRST = 10;
const LAST = 250;

function lockDir(ip: string): string {
  return path.join(os.tmpdir(), "idanchor-loopback", ip);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function tryReserve(ip: string): boolean {
  const dir = lockDir(ip);
  try {
    mkdirSync(dir);
  } catch {
    let owner = NaN;
    try {
      owner = Number(readFileSync(path.join(dir, "pid"), "utf8"));
    } catch {
      // being created right now by its owner, or left half-made: leave it alone
      return false;
    }
    if (!Number.isInteger(owner) || alive(owner)) return false;
    rmSync(dir, { recursive: true, force: true });
    try {
      mkdirSync(dir);
    } catch {
      return false;
    }
  }
  writeFileSync(path.join(dir, "pid"), String(process.pid));
  return true;
}

/** Whether nothing listens on ip:port (a server left behind by a killed run would). */
function portFree(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, ip, () => server.close(() => resolve(true)));
  });
}

/** Reserves a free 127.0.0.N (ports 389 and 636 unused) for this process; starts near the jest worker's slot. */
export async function reserveLoopbackAddress(ports: number[] = [389, 636]): Promise<string> {
  mkdirSync(path.dirname(lockDir("x")), { recursive: true });
  const worker = Number(process.env.JEST_WORKER_ID ?? "1");
  const span = LAST - FIRST + 1;
  for (let i = 0; i < span; i++) {
    const ip = `127.0.0.${FIRST + ((worker * 7 + i) % span)}`;
    if (!tryReserve(ip)) continue;
    if ((await Promise.all(ports.map((p) => portFree(ip, p)))).every(Boolean)) return ip;
    releaseLoopbackAddress(ip);
  }
  throw new Error(`no free loopback address in 127.0.0.${FIRST}-${LAST} (see ${path.dirname(lockDir("x"))})`);
}

export function releaseLoopbackAddress(ip: string): void {
  rmSync(lockDir(ip), { recursive: true, force: true });
}
