/**
 * The Entra ID source: a live Microsoft Graph adapter and a JSON snapshot reader, both yielding
 * the same EntraState. The live adapter also carries apply's Entra port (immutableId via $batch).
 */
import { readFileSync } from "node:fs";

import type { TokenCredential } from "@azure/identity";
import type { Client } from "@microsoft/microsoft-graph-client";

import type { ApplyPorts } from "../../model/ports.js";
import type { EntraSettings } from "../../desired/settings.js";
import { DirectoryError } from "../../model/errors.js";
import type { Logger } from "../../model/log.js";
import { silentLogger } from "../../model/log.js";
import type { EntraSource } from "../../model/directory.js";
import { chooseCredential, scrub, sharedTokenCredential } from "./credentials.js";
import type { CredentialMethod } from "./credentials.js";
import { withEndpoint } from "./error-context.js";
import type { GraphEndpoint } from "./error-context.js";
import { createGraphClient, graphBaseUrl } from "./graph-client.js";
import { GraphEntraDirectory } from "./graph-directory.js";
import { DEFAULT_DEADLINES } from "./deadlines.js";
import type { Deadlines } from "./deadlines.js";
import { createHttpsAgent } from "./https-transport.js";
import { DEFAULT_RETRY_POLICY } from "./retry-handler.js";
import type { RetryPolicy } from "./retry-handler.js";

export { readEntraSnapshot, parseEntraSnapshot, formatEntraSnapshot } from "./snapshot.js";
export { DEFAULT_SYNC_FEATURES, GRAPH_PROPERTIES, toEntraState } from "./to-entra-state.js";
export type { GraphCollections } from "./to-entra-state.js";
export { ACTIONS_AUDIENCE, isMicrosoftLoginHost } from "./credentials.js";
export type { CredentialMethod } from "./credentials.js";
export { DEFAULT_RETRY_POLICY } from "./retry-handler.js";
export { describeEndpoint, withEndpoint } from "./error-context.js";
export type { GraphEndpoint } from "./error-context.js";
export { toDirectoryError } from "./graph-errors.js";
export type { RetryPolicy } from "./retry-handler.js";
export { DEFAULT_DEADLINES } from "./deadlines.js";
export type { Deadlines } from "./deadlines.js";
export { BATCH_LIMIT } from "./graph-batch.js";
export { PAGE_SIZE } from "./graph-directory.js";

export interface GraphConnectOptions {
  settings: EntraSettings;
  /** The Azure SDK's own variables (AZURE_*, ACTIONS_ID_TOKEN_REQUEST_*) choose the credential. */
  env: Record<string, string | undefined>;
  logger?: Logger;
  /** Overrides the credential chosen from the environment (tests, embedding). */
  credential?: TokenCredential;
  /**
   * PEM CA certificate(s) trusted for Graph and the authority in addition to Node's own store
   * (which already includes NODE_EXTRA_CA_CERTS). Only ever adds trust; for private test servers.
   */
  ca?: string | string[];
  /** Bounds on retries of 429/503/504 and reset connections; defaults to DEFAULT_RETRY_POLICY. */
  retry?: Partial<RetryPolicy>;
  /** Per-stage deadlines of every HTTPS exchange (token, OIDC, Graph); defaults to DEFAULT_DEADLINES. */
  deadlines?: Partial<Deadlines>;
}

export interface GraphDirectory extends EntraSource {
  readonly description: string;
  /** How the credential was chosen ("custom" when one was passed in). */
  readonly credentialMethod: CredentialMethod | "custom";
  /** Where requests go and how they authenticate; named in every error. */
  readonly endpoint: GraphEndpoint;
  /** The configured Graph client and credential, for `doctor`'s one-call-per-permission checks. */
  readonly client: Client;
  readonly credential: TokenCredential;
  /** The token scope Graph calls use, e.g. https://graph.microsoft.com/.default. */
  readonly scope: string;
  readImmutableIds: ApplyPorts["entra"]["readImmutableIds"];
  /** The tenant's last directory sync (Graph organization onPremisesLastSyncDateTime), null when never. */
  readTenantLastSync(): Promise<string | null>;
  writeImmutableIds: ApplyPorts["entra"]["writeImmutableIds"];
}

function checkedUrl(value: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DirectoryError("entra", `${name} '${value}' is not a URL`);
  }
  if (url.protocol !== "https:") throw new DirectoryError("entra", `${name} must be an https:// URL`);
  return url;
}

/**
 * NODE_EXTRA_CA_CERTS from the environment argument: Node reads the variable only at process
 * start, so an in-process run (tests, embedding) would otherwise ignore it. Adding it again is harmless.
 */
function extraCaCertificates(env: Record<string, string | undefined>, logger: Logger): string[] {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return [readFileSync(file, "utf8")];
  } catch (error) {
    // Node itself only warns about an unreadable file; do the same.
    logger.warn("NODE_EXTRA_CA_CERTS not readable", { code: (error as NodeJS.ErrnoException).code });
    return [];
  }
}

/** Prepares the Graph adapter; nothing is sent until the first read or write. */
export async function openGraph(options: GraphConnectOptions): Promise<GraphDirectory> {
  try {
    const { settings } = options;
    const graphHost = checkedUrl(settings.graphUrl, "entra.graphUrl").host;
    checkedUrl(settings.authorityHost, "entra.authorityHost");
    const logger = options.logger ?? silentLogger;
    const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    const deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
    const agent = createHttpsAgent([
      ...[options.ca ?? []].flat(),
      ...extraCaCertificates(options.env, logger),
    ]);
    const chosen = options.credential
      ? {
          credential: options.credential,
          method: "custom" as const,
          tenantId: settings.tenantId,
          secrets: [],
          networkFailure: undefined,
        }
      : await chooseCredential(settings, options.env, agent, deadlines);
    const credential = sharedTokenCredential(chosen.credential, chosen.secrets, chosen.networkFailure);
    const client = createGraphClient({
      graphUrl: graphBaseUrl(settings.graphUrl),
      credential,
      agent,
      retry,
      logger,
      deadlines,
    });
    const directory = new GraphEntraDirectory({
      client,
      description: `Microsoft Graph ${graphHost}, tenant ${chosen.tenantId}, ${chosen.method} credential`,
      retry,
      logger,
      secrets: chosen.secrets,
    });
    const endpoint = {
      graphHost,
      authorityHost: new URL(settings.authorityHost).host,
      tenantId: chosen.tenantId,
      method: chosen.method,
    };
    const named = <T>(call: Promise<T>): Promise<T> =>
      call.catch((error: unknown) => Promise.reject(withEndpoint(error, endpoint)));
    return {
      description: directory.description,
      credentialMethod: chosen.method,
      endpoint,
      client,
      credential,
      scope: `${graphBaseUrl(settings.graphUrl)}/.default`,
      readAll: () => named(directory.readAll()),
      readImmutableIds: (ids) => named(directory.readImmutableIds(ids)),
      readTenantLastSync: () => named(directory.readTenantLastSync()),
      writeImmutableIds: (items) => named(directory.writeImmutableIds(items)),
    };
  } catch (error) {
    if (error instanceof DirectoryError) throw error;
    const message = scrub(error instanceof Error ? error.message : String(error), []);
    throw new DirectoryError("entra", `cannot prepare the Graph connection: ${message}`, { cause: error });
  }
}
