/**
 * The last link of the Graph middleware chain: sends the request with node:https instead of the
 * global fetch, so that one https.Agent (extra trusted CA, keep-alive) serves Graph and the
 * authority alike. Node's global fetch cannot take an Agent, and NODE_EXTRA_CA_CERTS is only read
 * at process start.
 */
import https from "node:https";
import type { TLSSocket } from "node:tls";

import type { Context, Middleware } from "@microsoft/microsoft-graph-client";

import { trustingAlso } from "../trust.js";
import { DEFAULT_DEADLINES, NetworkTimeoutError } from "./deadlines.js";
import type { Deadlines, Stage } from "./deadlines.js";

/** Keep-alive agent; with `ca` it trusts those PEM certificates in addition to Node's defaults. */
export function createHttpsAgent(ca?: string | string[]): https.Agent {
  const extra = [ca ?? []].flat();
  return new https.Agent({
    keepAlive: true,
    // A context, not `ca`: the agent would also key its pool on the CAs' whole text at every request.
    ...(extra.length > 0 ? { secureContext: trustingAlso(extra) } : {}),
  });
}

function headerEntries(headers: unknown): [string, string][] {
  if (headers === undefined || headers === null) return [];
  if (headers instanceof Headers) return [...headers.entries()];
  if (Array.isArray(headers)) return headers as [string, string][];
  return Object.entries(headers as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
}

export interface SimpleRequest {
  method: string;
  url: string;
  headers?: [string, string][];
  body?: string;
}

export interface SimpleResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ExchangeOptions {
  /** Named first in error messages: "Graph", "Entra sign-in", "GitHub Actions OIDC". */
  service: string;
  deadlines?: Deadlines;
}

/**
 * One HTTPS exchange; rejects on a network failure (reset, refused, TLS) or a passed deadline, never
 * on an HTTP status. Each stage has its own deadline, and the whole exchange one more.
 */
export function httpsRequest(
  agent: https.Agent,
  request: SimpleRequest,
  options: ExchangeOptions,
): Promise<SimpleResponse> {
  const deadlines = options.deadlines ?? DEFAULT_DEADLINES;
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    if (url.protocol !== "https:") {
      reject(new Error(`refusing to send a request over ${url.protocol} (only https is allowed)`));
      return;
    }
    let stageTimer: NodeJS.Timeout | undefined;
    let stage: Stage = "connecting";
    const fail = (which: Stage, ms: number): void => {
      req.destroy(new NetworkTimeoutError(options.service, url.host, which, ms));
    };
    const enter = (next: Stage, ms: number | undefined): void => {
      stage = next;
      clearTimeout(stageTimer);
      stageTimer = ms === undefined ? undefined : setTimeout(() => fail(next, ms), ms);
    };
    const totalTimer = setTimeout(() => fail(stage, deadlines.totalMs), deadlines.totalMs);
    const done = (): void => {
      clearTimeout(stageTimer);
      clearTimeout(totalTimer);
    };
    const req = https.request(url, { method: request.method, agent }, (res) => {
      // Headers arrived; the body is bounded by the total deadline.
      enter("reading the response", undefined);
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (error) => {
        done();
        reject(error);
      });
      res.on("end", () => {
        done();
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
        }
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.on("socket", (socket: TLSSocket) => {
      const waiting = (): void => enter("waiting for the response", deadlines.firstByteMs);
      if (!socket.connecting && socket.encrypted && !socket.destroyed) {
        waiting(); // a kept-alive connection
        return;
      }
      enter("connecting", deadlines.connectMs);
      socket.once("connect", () => enter("TLS handshake", deadlines.connectMs));
      socket.once("secureConnect", waiting);
    });
    for (const [name, value] of request.headers ?? []) req.setHeader(name, value);
    req.on("error", (error: NodeJS.ErrnoException) => {
      done();
      if (error instanceof NetworkTimeoutError) reject(error);
      // Only the code and host: the request object carries the Authorization header.
      else
        reject(
          new Error(
            `${options.service}: ${request.method} ${url.host}${url.pathname} failed: ${error.code ?? error.message}`,
          ),
        );
    });
    if (request.body !== undefined) req.end(request.body);
    else req.end();
  });
}

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString("utf8");
  if (ArrayBuffer.isView(body))
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  throw new Error("unsupported request body type");
}

/** The URL of a middleware context's request (a string, or a Request object in browsers). */
export function requestUrl(context: Context): string {
  const request = context.request as unknown;
  return typeof request === "string" ? request : (request as { url: string }).url;
}

/** Graph client middleware that ends the chain (replaces HTTPMessageHandler). */
export class HttpsTransport implements Middleware {
  constructor(
    private readonly agent: https.Agent,
    private readonly deadlines: Deadlines = DEFAULT_DEADLINES,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = requestUrl(context);
    const options = context.options ?? {};
    const response = await httpsRequest(
      this.agent,
      {
        method: options.method ?? "GET",
        url,
        headers: headerEntries(options.headers),
        body: bodyText(options.body),
      },
      { service: "Graph", deadlines: this.deadlines },
    );
    const noBody = response.status === 204 || response.status === 304 || response.body === "";
    context.response = new Response(noBody ? null : response.body, {
      status: response.status,
      headers: response.headers,
    });
  }
}
