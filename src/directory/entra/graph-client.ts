/**
 * Builds the Microsoft Graph client: the library's authentication and telemetry handlers, our
 * bounded retry, and a node:https transport that shares the credential's Agent.
 */
import type https from "node:https";

import type { TokenCredential } from "@azure/identity";
import { AuthenticationHandler, Client, TelemetryHandler } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";

import type { Logger } from "../../model/log.js";
import type { Deadlines } from "./deadlines.js";
import { HttpsTransport } from "./https-transport.js";
import { GraphRetryHandler } from "./retry-handler.js";
import type { RetryPolicy } from "./retry-handler.js";

export interface GraphClientOptions {
  /** https://graph.microsoft.com or a national cloud's / test server's equivalent. */
  graphUrl: string;
  credential: TokenCredential;
  agent: https.Agent;
  retry: RetryPolicy;
  logger: Logger;
  deadlines?: Deadlines;
}

export function graphBaseUrl(graphUrl: string): string {
  return graphUrl.replace(/\/+$/, "");
}

export function createGraphClient(options: GraphClientOptions): Client {
  const base = graphBaseUrl(options.graphUrl);
  const authProvider = new TokenCredentialAuthenticationProvider(options.credential, {
    scopes: [`${base}/.default`],
  });
  const retry = new GraphRetryHandler(options.retry, options.logger);
  return Client.initWithMiddleware({
    baseUrl: `${base}/`,
    defaultVersion: "v1.0",
    // The client attaches the token only to Graph hosts it knows; a national cloud or test host must be named.
    customHosts: new Set([new URL(base).hostname]),
    // Authentication and telemetry headers outside the retry: they are set once per request, not per attempt.
    middleware: [
      new AuthenticationHandler(authProvider),
      new TelemetryHandler(),
      retry,
      new HttpsTransport(options.agent, options.deadlines),
    ],
  });
}
