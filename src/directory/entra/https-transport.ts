/**
 * The last link of the Graph middleware chain: sends the request with node:https instead of the
 * global fetch, so that one https.Agent (extra trusted CA, keep-alive) serves Graph and the
 * authority alike. Node's global fetch cannot take an Agent, and NODE_EXTRA_CA_CERTS is only read
 * at process start.
 */
import https from "node:https";
import tls from "node:tls";

import type { Context, Middleware } from "@microsoft/microsoft-graph-client";

/** Keep-alive agent; with `ca` it trusts those PEM certificates in addition to Node's defaults. */
export function createHttpsAgent(ca?: string | string[]): https.Agent {
  const extra = [ca ?? []].flat();
  return new https.Agent({
    keepAlive: true,
    // Passing `ca` replaces Node's store; add the defaults back so the option only ever adds trust.
    ...(extra.length > 0 ? { ca: [...tls.rootCertificates, ...extra] } : {}),
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

/** One HTTPS exchange; rejects on a network failure (reset, refused, TLS), never on an HTTP status. */
export function httpsRequest(agent: https.Agent, request: SimpleRequest): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    if (url.protocol !== "https:") {
      reject(new Error(`refusing to send a request over ${url.protocol} (only https is allowed)`));
      return;
    }
    const req = https.request(url, { method: request.method, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
        }
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    for (const [name, value] of request.headers ?? []) req.setHeader(name, value);
    req.on("error", (error: NodeJS.ErrnoException) =>
      // Only the code and host: the request object carries the Authorization header.
      reject(
        new Error(`${request.method} ${url.host}${url.pathname} failed: ${error.code ?? error.message}`),
      ),
    );
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
  constructor(private readonly agent: https.Agent) {}

  async execute(context: Context): Promise<void> {
    const url = requestUrl(context);
    const options = context.options ?? {};
    const response = await httpsRequest(this.agent, {
      method: options.method ?? "GET",
      url,
      headers: headerEntries(options.headers),
      body: bodyText(options.body),
    });
    const noBody = response.status === 204 || response.status === 304 || response.body === "";
    context.response = new Response(noBody ? null : response.body, {
      status: response.status,
      headers: response.headers,
    });
  }
}
