/**
 * Loopback stand-ins for a hostile network: a TCP server that accepts and never answers, a TLS
 * server that completes the handshake and never answers, and one that sends headers and then
 * trickles its body forever.
 */
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
