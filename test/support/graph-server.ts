/**
 * An HTTPS server on 127.0.0.1 speaking Microsoft Graph v1.0's wire format for exactly the requests
 * idanchor makes (users, groups, orgContacts, onPremisesSynchronization, domains, role
 * assignments, deleted users, $batch, PATCH /users/{id}), plus the authority endpoints @azure/identity needs and
 * GitHub Actions' OIDC token endpoint. Graph answers 401 without a token it issued. Faults (429 with
 * Retry-After, 503, reset connections, slow pages) and latency are injectable; every request is
 * recorded with its kind and Authorization header.
 */
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import { mkdirSync } from "node:fs";
import path from "node:path";

import type { EntraSettings } from "../../src/desired/settings.js";
import { createTestCertificates } from "./tls.js";
import { AuthEndpoints, createAppRegistration } from "./graph-server-auth.js";
import type { AppRegistration } from "./graph-server-auth.js";
import {
  DEFAULT_USER_PROPERTIES,
  graphError,
  listPage,
  pageOf,
  project,
  selectParam,
} from "./graph-server-data.js";
import type { GraphTenantData, Json, Reply } from "./graph-server-data.js";
import { classify, faultFor, mulberry32 } from "./graph-server-faults.js";
import type { ActiveRule, FaultRule, GraphFault, RequestKind, SeenRequest } from "./graph-server-faults.js";

export type { GraphTenantData, Json } from "./graph-server-data.js";
export type { FaultRule, GraphFault, RequestKind, SeenRequest } from "./graph-server-faults.js";

export interface GraphServerOptions {
  /** Folder for the certificates (a test's temp dir). */
  dir: string;
  tenant?: GraphTenantData;
  tenantId?: string;
  clientId?: string;
  /** Added to every Graph request (benchmarks). */
  latencyMs?: number;
}

export type CredentialKind = "secret" | "certificate" | "oidc";

export interface GraphServer {
  /** https://127.0.0.1:PORT: Graph base URL and authority host alike. */
  url: string;
  /** The CA that signed the server certificate (PEM), for GraphConnectOptions.ca. */
  ca: string;
  caFile: string;
  app: AppRegistration;
  /** The tenant's live objects; tests may read and change them. */
  data: Required<Omit<GraphTenantData, "features" | "organization">> & {
    features: Json | undefined;
    organization: Json | undefined;
  };
  requests: SeenRequest[];
  /**
   * Properties the server leaves out of list pages although they were $select-ed, per collection:
   * what a proxy, an older API or a partial export does, to test that absent is read as unknown.
   */
  omitProperties: Map<RequestKind, string[]>;
  /** Access tokens the token endpoint issued. */
  issuedTokens: ReadonlySet<string>;
  /** The client credential behind each token issued, in order. */
  grants: readonly ("secret" | "certificate" | "federated")[];
  latencyMs: number;
  /** Entra settings pointing at this server. */
  settings(): EntraSettings;
  /** The environment that makes openGraph choose the given credential against this server. */
  env(kind: CredentialKind): Record<string, string>;
  count(kind: RequestKind): number;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  clearRequests(): void;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", reject);
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

export async function startGraphServer(options: GraphServerOptions): Promise<GraphServer> {
  const certDir = path.join(options.dir, "graph-server-tls");
  mkdirSync(certDir, { recursive: true });
  const certs = createTestCertificates(certDir);
  const app = createAppRegistration(certDir, options);
  const tenant = structuredClone(options.tenant ?? {});
  const data: GraphServer["data"] = {
    users: tenant.users ?? [],
    groups: tenant.groups ?? [],
    contacts: tenant.contacts ?? [],
    features: tenant.features,
    domains: tenant.domains ?? [],
    roleAssignments: tenant.roleAssignments ?? [],
    organization: tenant.organization,
    deletedUsers: tenant.deletedUsers ?? [],
  };
  const requests: SeenRequest[] = [];
  let rules: ActiveRule[] = [];
  let baseUrl = "";
  const auth = new AuthEndpoints(app, () => baseUrl);

  const omitProperties = new Map<RequestKind, string[]>();

  /** A list page with the omitted properties taken out of its objects. */
  function omitted(kind: RequestKind, reply: Reply): Reply {
    const omit = omitProperties.get(kind);
    const value = (reply.body as { value?: Json[] } | undefined)?.value;
    if (!omit || !Array.isArray(value)) return reply;
    for (const item of value) for (const key of omit) delete item[key];
    return reply;
  }

  /** One Graph request (top level or a $batch item), already authenticated. */
  function graph(method: string, url: URL, body: unknown): Reply {
    return omitted(classify(method, url.pathname), respond(method, url, body));
  }

  function respond(method: string, url: URL, body: unknown): Reply {
    const kind = classify(method, url.pathname);
    const query = url.searchParams;
    const collectionUrl = `${baseUrl}${url.pathname}`;
    const select = selectParam(query);
    switch (kind) {
      case "users":
        return listPage({ collectionUrl, query, items: data.users, defaults: DEFAULT_USER_PROPERTIES });
      case "groups":
        return listPage({
          collectionUrl,
          query,
          items: data.groups,
          filters: { "mailEnabled eq true": (g) => g.mailEnabled === true },
        });
      case "contacts":
        return listPage({ collectionUrl, query, items: data.contacts });
      case "domains":
        return listPage({ collectionUrl, query, items: data.domains, top: false });
      case "deleted-users":
        return listPage({
          collectionUrl,
          query,
          items: data.deletedUsers,
          defaults: DEFAULT_USER_PROPERTIES,
        });
      case "role-assignments":
        return listPage({ collectionUrl, query, items: data.roleAssignments, top: false });
      case "sync": {
        const items =
          data.features === undefined
            ? []
            : [{ id: app.tenantId, configuration: {}, features: data.features }];
        return listPage({ collectionUrl, query, items, top: false });
      }
      case "organization": {
        const items = [{ id: app.tenantId, onPremisesLastSyncDateTime: null, ...data.organization }];
        return listPage({ collectionUrl, query, items, top: false });
      }
      case "user":
      case "user-patch": {
        const id = decodeURIComponent(url.pathname.split("/").pop() ?? "");
        const user = data.users.find((u) => u.id === id || u.userPrincipalName === id);
        if (!user) {
          return graphError(
            404,
            "Request_ResourceNotFound",
            `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
          );
        }
        if (kind === "user") return { status: 200, body: project(user, select, DEFAULT_USER_PROPERTIES) };
        const patch = (body ?? {}) as Json;
        const immutableId = patch.onPremisesImmutableId;
        if (
          typeof immutableId === "string" &&
          data.users.some((u) => u !== user && u.onPremisesImmutableId === immutableId)
        ) {
          return graphError(
            400,
            "Request_BadRequest",
            "Another object with the same value for property onPremisesImmutableId already exists.",
          );
        }
        Object.assign(user, patch);
        return { status: 204 };
      }
      default:
        return graphError(
          400,
          "BadRequest",
          `Resource not found for the segment '${url.pathname.split("/").pop() ?? ""}'.`,
        );
    }
  }

  function record(
    method: string,
    url: URL,
    authorization: string | undefined,
    batchItem: boolean,
  ): SeenRequest {
    const seen: SeenRequest = {
      seq: requests.length + 1,
      method,
      url: url.pathname + url.search,
      kind: classify(method, url.pathname),
      page: pageOf(url.searchParams),
      authorization,
      batchItem,
      status: 0,
    };
    requests.push(seen);
    return seen;
  }

  function statusFault(fault: GraphFault & { type: "status" }): Reply {
    const headers = fault.retryAfter === undefined ? undefined : { "Retry-After": String(fault.retryAfter) };
    const code =
      fault.code ??
      (fault.status === 429
        ? "TooManyRequests"
        : fault.status === 503
          ? "ServiceUnavailable"
          : "UnknownError");
    return graphError(fault.status, code, fault.message ?? "Injected fault.", headers);
  }

  function batch(body: unknown, authorization: string | undefined): Reply {
    const items = (body as { requests?: unknown } | null)?.requests;
    if (!Array.isArray(items) || items.length === 0)
      return graphError(400, "BadRequest", "Invalid batch payload format.");
    if (items.length > 20)
      return graphError(400, "BadRequest", "Number of batch requests exceeds the limit of 20.");
    const responses = (items as Json[]).map((item) => {
      const url = new URL(`/v1.0/${String(item.url).replace(/^\//, "")}`, baseUrl);
      const method = (typeof item.method === "string" ? item.method : "GET").toUpperCase();
      const seen = record(method, url, authorization, true);
      const fault = faultFor(rules, seen);
      const reply = fault?.type === "status" ? statusFault(fault) : graph(method, url, item.body);
      seen.status = reply.status;
      return {
        id: item.id,
        status: reply.status,
        headers: { "Content-Type": "application/json", ...reply.headers },
        body: reply.body ?? null,
      };
    });
    return { status: 200, body: { responses } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", baseUrl);
    const method = req.method ?? "GET";
    const seen = record(method, url, req.headers.authorization, false);
    const text = await readBody(req);
    const send = (reply: Reply): void => {
      seen.status = reply.status;
      const json = reply.body === undefined ? "" : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...(json ? { "Content-Type": "application/json; odata.metadata=minimal" } : {}),
        ...reply.headers,
      });
      res.end(json);
    };
    const segments = url.pathname.split("/");
    if (seen.kind === "openid-configuration") return send(auth.openIdConfiguration(segments[1] ?? ""));
    if (seen.kind === "token") return send(auth.token(segments[1] ?? "", new URLSearchParams(text)));
    if (seen.kind === "actions-id-token") {
      return send(auth.actionsIdToken(req.headers.authorization, url.searchParams.get("audience")));
    }
    if (!url.pathname.startsWith("/v1.0/")) return send(graphError(404, "UnknownError", "Not found."));
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!token) return send(graphError(401, "InvalidAuthenticationToken", "Access token is empty."));
    if (!auth.issuedTokens.has(token)) {
      return send(
        graphError(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience."),
      );
    }
    if (server.latencyMs > 0) await sleep(server.latencyMs);
    const fault = faultFor(rules, seen);
    if (fault?.type === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.type === "delay") await sleep(fault.ms);
    if (fault?.type === "status") return send(statusFault(fault));
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      return send(graphError(400, "BadRequest", "Unable to read JSON request payload."));
    }
    if (seen.kind === "batch") return send(batch(body, req.headers.authorization));
    send(graph(method, url, body));
  }

  const httpsServer = https.createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => httpsServer.listen(0, "127.0.0.1", resolve));
  baseUrl = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}`;

  const server: GraphServer = {
    url: baseUrl,
    ca: certs.ca,
    caFile: certs.caFile,
    app,
    data,
    requests,
    omitProperties,
    issuedTokens: auth.issuedTokens,
    grants: auth.grants,
    latencyMs: options.latencyMs ?? 0,
    settings: () => ({
      tenantId: app.tenantId,
      clientId: app.clientId,
      cloud: "public",
      graphUrl: baseUrl,
      authorityHost: baseUrl,
      verifiedDomains: null,
    }),
    env: (kind) => {
      const ids = { AZURE_TENANT_ID: app.tenantId, AZURE_CLIENT_ID: app.clientId };
      if (kind === "secret") return { ...ids, AZURE_CLIENT_SECRET: app.clientSecret };
      if (kind === "certificate") return { ...ids, AZURE_CLIENT_CERTIFICATE_PATH: app.certificatePath };
      return {
        ...ids,
        ACTIONS_ID_TOKEN_REQUEST_URL: `${baseUrl}/_actions/id-token?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: app.actionsRequestToken,
      };
    },
    count: (kind) => requests.filter((r) => r.kind === kind).length,
    addFault: (rule) => {
      rules.push({ ...rule, fired: 0, random: mulberry32(rule.seed ?? 1) });
    },
    clearFaults: () => {
      rules = [];
    },
    clearRequests: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        httpsServer.closeAllConnections();
        httpsServer.close(() => resolve());
      }),
  };
  return server;
}
