/**
 * A loopback TCP proxy in front of a server, able to cut every connection after the N-th chunk the
 * client sends: the fault tests use it to drop the LDAP connection at chosen points of an apply.
 * TLS passes through untouched, so the client still verifies the server's certificate.
 */
import net from "node:net";

export interface TcpProxy {
  host: string;
  port: number;
  /** Chunks forwarded from clients to the server since the last reset. */
  readonly clientChunks: number;
  /**
   * Cut all connections once this many client chunks have passed (null: never). With `deliverLast`
   * the chunk at the limit still reaches the server, so the request is done but its answer is lost.
   */
  cutAfter(chunks: number | null, options?: { deliverLast?: boolean }): void;
  /** Connections cut so far. */
  readonly cuts: number;
  close(): Promise<void>;
}

export async function startTcpProxy(
  target: { host: string; port: number },
  host = target.host,
): Promise<TcpProxy> {
  let chunks = 0;
  let limit: number | null = null;
  let deliverLast = false;
  let muted = false;
  let cuts = 0;
  const sockets = new Set<net.Socket>();
  const cutAll = (): void => {
    for (const s of sockets) s.destroy();
    cuts += 1;
    limit = null;
    muted = false;
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("data", (data: Buffer) => {
      if (limit !== null && chunks >= limit) {
        // The answer must not reach the client: mute the way back, let the server work, then cut.
        if (deliverLast) {
          muted = true;
          upstream.write(data, () => setTimeout(cutAll, 200));
        } else cutAll();
        limit = null;
        return;
      }
      chunks += 1;
      upstream.write(data);
    });
    upstream.on("data", (data: Buffer) => {
      if (!muted) client.write(data);
    });
    client.on("close", drop).on("error", drop);
    upstream.on("close", drop).on("error", drop);
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, host, resolve));
  const address = server.address() as net.AddressInfo;
  return {
    host,
    port: address.port,
    get clientChunks() {
      return chunks;
    },
    get cuts() {
      return cuts;
    },
    cutAfter(n, options = {}) {
      chunks = 0;
      limit = n;
      deliverLast = options.deliverLast ?? false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
