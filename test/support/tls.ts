/** A throwaway CA and a server certificate signed by it (openssl), for the test servers' TLS. */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
  ca: string;
  cert: string;
  key: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** Writes ca.pem, server.pem and server-key.pem into `dir`; the certificate names every IP and host given. */
export function createTestCertificates(
  dir: string,
  names: { ips?: string[]; hosts?: string[] } = { ips: ["127.0.0.1"], hosts: ["localhost"] },
): TestCertificates {
  const san = [...(names.ips ?? []).map((ip) => `IP:${ip}`), ...(names.hosts ?? []).map((h) => `DNS:${h}`)];
  writeFileSync(path.join(dir, "san.cnf"), `subjectAltName=${san.join(",")}\n`);
  openssl(
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=idanchor test CA"].concat([
      "-keyout",
      "ca-key.pem",
      "-out",
      "ca.pem",
    ]),
    dir,
  );
  openssl(
    [
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      `/CN=${names.hosts?.[0] ?? names.ips?.[0] ?? "localhost"}`,
    ].concat(["-keyout", "server-key.pem", "-out", "server.csr"]),
    dir,
  );
  openssl(
    ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial"].concat([
      "-days",
      "2",
      "-extfile",
      "san.cnf",
      "-out",
      "server.pem",
    ]),
    dir,
  );
  const file = (name: string): string => path.join(dir, name);
  return {
    caFile: file("ca.pem"),
    certFile: file("server.pem"),
    keyFile: file("server-key.pem"),
    ca: readFileSync(file("ca.pem"), "utf8"),
    cert: readFileSync(file("server.pem"), "utf8"),
    key: readFileSync(file("server-key.pem"), "utf8"),
  };
}
