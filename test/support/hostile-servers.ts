/**
 * Loopback stand-ins for a hostile network: a TCP server that accepts and never answers, a TLS
 * server that completes the handshake and never answers, and one that sends headers and then
 * trickles its body forever.
 */
import http from "node:http";
import net from "node:net";
import tls from "node:tls";

import type { TestCertificates } from "./tls.js";

export interface StandIn {
  /** host:port */
  host: string;
  url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

type Kind = "silent-tcp" | "silent-tls" | "trickle";

export async function startStandIn(kind: Kind, certs?: TestCertificates): Promise<StandIn> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;
  const onSocket = (socket: net.Socket): void => {
    connections += 1;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    if (kind !== "trickle") return;
    socket.once("data", () => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{");
      const timer = setInterval(() => socket.write(" "), 100);
      timers.add(timer);
      socket.on("close", () => clearInterval(timer));
    });
  };
  const server =
    kind === "silent-tcp"
      ? net.createServer(onSocket)
      : tls.createServer({ cert: certs!.cert, key: certs!.key }, onSocket);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    host,
    url: `https://${host}`,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A GitHub stand-in that answers every request with an error whose body repeats the request's
 * Authorization header as is, URL-encoded and in base64, wrapped in terminal escape sequences.
 */
export async function startEchoingGithub(status = 401): Promise<StandIn & { seen: string[] }> {
  const seen: string[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    connections += 1;
    const auth = req.headers.authorization ?? "";
    seen.push(auth);
    const token = auth.replace(/^(token|bearer)\s+/i, "");
    const message =
      `\u001b[2J\u001b]0;owned\u0007Bad credentials for ${auth} ` +
      `(${encodeURIComponent(token)}; basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}; ` +
      `${Buffer.from(token).toString("base64")})\r\n\u001b[31mFAKE: all good\u001b[0m`;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ message, documentation_url: `https://docs.github.com/?t=${token}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    host,
    url: `http://${host}`,
    seen,
    get connections() {
      return connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
