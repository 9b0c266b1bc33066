/**
 * A hostile LDAP server on loopback (plain ldap://, BER by hand): answers binds with a chosen result
 * code and diagnostic message (which may carry terminal escapes), and either answers searches
 * with an error carrying the same message or never answers them at all.
 */
import net from "node:net";

export interface LdapStandIn {
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Resolves once no connection is open (at once when none is). */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

export interface LdapStandInOptions {
  /** Result code of every bind (0 success, 49 invalidCredentials). */
  bindResult: number;
  diagnostic: string;
  /** After a successful bind: "error" answers searches with resultCode 1 and the diagnostic; "silent" never answers. */
  search: "error" | "silent";
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, value: Buffer): Buffer =>
  Buffer.concat([Buffer.from([tag]), length(value.length), value]);

function integer(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return Buffer.from(bytes);
}

/** LDAPResult-shaped response: [APPLICATION tag] { resultCode, matchedDN "", diagnosticMessage }. */
function result(messageId: number, appTag: number, code: number, diagnostic: string): Buffer {
  const op = tlv(
    appTag,
    Buffer.concat([
      tlv(0x0a, integer(code)),
      tlv(0x04, Buffer.alloc(0)),
      tlv(0x04, Buffer.from(diagnostic, "utf8")),
    ]),
  );
  return tlv(0x30, Buffer.concat([tlv(0x02, integer(messageId)), op]));
}

/** Reads one TLV at `offset`: tag, value start, end; undefined when incomplete. */
function readTlv(buf: Buffer, offset: number): { tag: number; start: number; end: number } | undefined {
  if (offset + 2 > buf.length) return undefined;
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (start + count > buf.length) return undefined;
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + buf[start + i]!;
    start += count;
  }
  return start + len <= buf.length ? { tag, start, end: start + len } : undefined;
}

export async function startLdapStandIn(options: LdapStandInOptions): Promise<LdapStandIn> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const waiting: (() => void)[] = [];
  const server = net.createServer((socket) => {
    sockets.add(socket);
    accepted += 1;
    socket.on("error", () => undefined);
    socket.on("close", () => {
      sockets.delete(socket);
      if (sockets.size === 0) for (const resolve of waiting.splice(0)) resolve();
    });
    let pending = Buffer.alloc(0);
    socket.on("data", (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const message = readTlv(pending, 0);
        if (!message) return;
        const id = readTlv(pending, message.start)!;
        let messageId = 0;
        for (let i = id.start; i < id.end; i++) messageId = messageId * 256 + pending[i]!;
        const op = pending[id.end]!;
        pending = pending.subarray(message.end);
        if (op === 0x60) socket.write(result(messageId, 0x61, options.bindResult, options.diagnostic));
        else if (op === 0x63 && options.search === "error")
          socket.write(result(messageId, 0x65, 1, options.diagnostic));
        else if (op === 0x42) socket.end();
        // A search in "silent" mode, or anything else, gets no answer.
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `ldap://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: () => accepted,
    allClosed: () =>
      sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A Settings document pointing at a stand-in DC (plain ldap:// with allowInsecure, base
 * DC=corp,DC=example), with more `entra:` lines when the test needs them (graphUrl, authorityHost).
 */
export function standInSettingsYaml(dcUrl: string, entraLines: string[] = []): string {
  return [
    "kind: Settings",
    "activeDirectory:",
    `  url: ${dcUrl}`,
    "  allowInsecure: true",
    "  baseDN: DC=corp,DC=example",
    '  syncScope: ["DC=corp,DC=example"]',
    "entra:",
    "  tenantId: 00000000-0000-0000-0000-000000000001",
    "  clientId: 00000000-0000-0000-0000-000000000002",
    ...entraLines,
  ].join("\n");
}
