/**
 * The HTTP client @azure/identity sends token requests through: node:https with the shared Agent
 * and the same per-stage deadlines as Graph. The SDK's own client sets no deadline, so an
 * authority that accepts TCP and never answers would hang the run.
 */
import type https from "node:https";

import type { TokenCredentialOptions } from "@azure/identity";

import type { Deadlines } from "./deadlines.js";
import { httpsRequest } from "./https-transport.js";

type HttpClient = NonNullable<TokenCredentialOptions["httpClient"]>;
type PipelineRequest = Parameters<HttpClient["sendRequest"]>[0];
type PipelineResponse = Awaited<ReturnType<HttpClient["sendRequest"]>>;
type HttpHeaders = PipelineResponse["headers"];

/** Case-insensitive response headers, as the pipeline's HttpHeaders interface asks. */
function responseHeaders(raw: Record<string, string>): HttpHeaders {
  const map = new Map<string, { name: string; value: string }>();
  for (const [name, value] of Object.entries(raw)) map.set(name.toLowerCase(), { name, value });
  const headers: HttpHeaders = {
    get: (name) => map.get(name.toLowerCase())?.value,
    has: (name) => map.has(name.toLowerCase()),
    set: (name, value) => void map.set(name.toLowerCase(), { name, value: String(value) }),
    delete: (name) => void map.delete(name.toLowerCase()),
    toJSON: (options) =>
      Object.fromEntries(
        [...map.entries()].map(([key, h]) => [options?.preserveCase ? h.name : key, h.value]),
      ),
    [Symbol.iterator]: () => [...map.entries()].map(([key, h]): [string, string] => [key, h.value]).values(),
  };
  return headers;
}

function requestBody(request: PipelineRequest): string | undefined {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  // Token requests are URL-encoded forms; anything else means the SDK changed under us.
  throw new Error("unsupported token request body");
}

export interface IdentityHttp {
  client: HttpClient;
  /**
   * The network failure of the last request, if it failed, and forgets it. MSAL reports a failed
   * discovery as "endpoints_resolution_error" without saying which host or why; this says both.
   */
  takeFailure(): string | undefined;
}

export function identityHttpClient(agent: https.Agent, deadlines: Deadlines): IdentityHttp {
  let failure: string | undefined;
  const client: HttpClient = {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      failure = undefined;
      const response = await httpsRequest(
        agent,
        {
          method: request.method,
          url: request.url,
          headers: [...request.headers],
          body: requestBody(request),
        },
        { service: "Entra sign-in (token request)", deadlines },
      ).catch((error: unknown) => {
        failure = error instanceof Error ? error.message : String(error);
        throw error;
      });
      return {
        request,
        status: response.status,
        headers: responseHeaders(response.headers),
        bodyAsText: response.body,
      };
    },
  };
  return {
    client,
    takeFailure: () => {
      const last = failure;
      failure = undefined;
      return last;
    },
  };
}
