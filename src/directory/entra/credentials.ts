/**
 * Chooses the Entra credential from the environment, the way the Azure SDK's own variables are
 * used elsewhere: GitHub Actions OIDC, then a client certificate, then a client secret, else the
 * Azure CLI's signed-in account. The environment is an argument (STYLE rule 9); secrets it holds
 * are returned so that error messages can be scrubbed of them.
 */
import type https from "node:https";

import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";

import type { EntraSettings } from "../../desired/settings.js";
import { DirectoryError } from "../../model/errors.js";
import { sanitizeServerText } from "../../model/sanitize.js";
import { DEFAULT_DEADLINES } from "./deadlines.js";
import type { Deadlines } from "./deadlines.js";
import { httpsRequest } from "./https-transport.js";
import { identityHttpClient } from "./identity-http-client.js";

export type CredentialMethod = "github-oidc" | "client-certificate" | "client-secret" | "azure-cli";

export interface ChosenCredential {
  credential: TokenCredential;
  method: CredentialMethod;
  tenantId: string;
  clientId: string;
  /** Values that must never appear in output (secrets, request tokens). */
  secrets: string[];
  /** The token requests' last network failure (host, stage), which the SDK's own error omits. */
  networkFailure?: () => string | undefined;
}

/** The audience GitHub's OIDC token must carry for an Entra federated credential. */
export const ACTIONS_AUDIENCE = "api://AzureADTokenExchange";

/** Microsoft's own login hosts; any other authority skips instance discovery (it would call login.microsoftonline.com). */
const MICROSOFT_LOGIN_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoft.com",
  "login.windows.net",
  "login.microsoftonline.us",
  "login.usgovcloudapi.net",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
  "login.microsoftonline.de",
]);

export function isMicrosoftLoginHost(authorityHost: string): boolean {
  return MICROSOFT_LOGIN_HOSTS.has(new URL(authorityHost).hostname.toLowerCase());
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === "" ? undefined : value;

/** Fetches the GitHub Actions OIDC token that ClientAssertionCredential exchanges for an Entra token. */
export function actionsIdToken(
  requestUrl: string,
  requestToken: string,
  agent: https.Agent,
  deadlines: Deadlines = DEFAULT_DEADLINES,
): () => Promise<string> {
  return async () => {
    const url = new URL(requestUrl);
    url.searchParams.set("audience", ACTIONS_AUDIENCE);
    const response = await httpsRequest(
      agent,
      {
        method: "GET",
        url: url.toString(),
        headers: [
          ["Authorization", `bearer ${requestToken}`],
          ["Accept", "application/json"],
        ],
      },
      { service: "GitHub Actions OIDC token request", deadlines },
    );
    if (response.status !== 200) {
      throw new DirectoryError(
        "entra",
        `the GitHub Actions OIDC token request failed: HTTP ${response.status}`,
        {
          status: response.status,
        },
      );
    }
    let value: unknown;
    try {
      value = (JSON.parse(response.body) as { value?: unknown }).value;
    } catch {
      value = undefined;
    }
    if (typeof value !== "string" || value === "") {
      throw new DirectoryError("entra", "the GitHub Actions OIDC token response has no token");
    }
    return value;
  };
}

/**
 * The Azure SDK is loaded when a credential is first needed: it takes a third of a second to load,
 * which every offline command (snapshots, validate, audit) would otherwise pay at start-up.
 */
export async function chooseCredential(
  settings: EntraSettings,
  env: Record<string, string | undefined>,
  agent: https.Agent,
  deadlines: Deadlines = DEFAULT_DEADLINES,
): Promise<ChosenCredential> {
  const {
    AzureCliCredential,
    ClientAssertionCredential,
    ClientCertificateCredential,
    ClientSecretCredential,
  } = await import("@azure/identity");
  const tenantId = nonEmpty(env.AZURE_TENANT_ID) ?? settings.tenantId;
  const clientId = nonEmpty(env.AZURE_CLIENT_ID) ?? settings.clientId;
  const http = identityHttpClient(agent, deadlines);
  const networkFailure = (): string | undefined => http.takeFailure();
  const common = {
    authorityHost: settings.authorityHost,
    disableInstanceDiscovery: !isMicrosoftLoginHost(settings.authorityHost),
    // Token requests go through our client: the SDK's sets no deadline.
    httpClient: http.client,
  };
  const oidcUrl = nonEmpty(env.ACTIONS_ID_TOKEN_REQUEST_URL);
  const oidcToken = nonEmpty(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
  if (oidcUrl && oidcToken) {
    const getAssertion = actionsIdToken(oidcUrl, oidcToken, agent, deadlines);
    return {
      credential: new ClientAssertionCredential(tenantId, clientId, getAssertion, common),
      method: "github-oidc",
      tenantId,
      clientId,
      secrets: [oidcToken],
      networkFailure,
    };
  }
  const certificatePath = nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PATH);
  if (certificatePath) {
    const certificatePassword = nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PASSWORD);
    return {
      credential: new ClientCertificateCredential(
        tenantId,
        clientId,
        { certificatePath, ...(certificatePassword ? { certificatePassword } : {}) },
        { ...common, sendCertificateChain: env.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN === "true" },
      ),
      method: "client-certificate",
      tenantId,
      clientId,
      secrets: certificatePassword ? [certificatePassword] : [],
      networkFailure,
    };
  }
  const secret = nonEmpty(env.AZURE_CLIENT_SECRET);
  if (secret) {
    return {
      credential: new ClientSecretCredential(tenantId, clientId, secret, common),
      method: "client-secret",
      tenantId,
      clientId,
      secrets: [secret],
      networkFailure,
    };
  }
  return {
    credential: new AzureCliCredential({ tenantId }),
    method: "azure-cli",
    tenantId,
    clientId,
    secrets: [],
  };
}

/**
 * Removes known secrets (also URL-encoded, JSON-escaped or in base64), anything shaped like a JWT
 * or a bearer token, and control characters from a message.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  return sanitizeServerText(text, secrets);
}

/** Name of the error a token failure surfaces as, through the Graph client, to toDirectoryError. */
export const TOKEN_ERROR_NAME = "TokenRequestError";

/** Tokens are reused until five minutes before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * One token request for many concurrent Graph requests: the parallel collection reads would
 * otherwise each ask the authority (and GitHub's OIDC endpoint) before the first answer is cached.
 * A failure becomes an error named TOKEN_ERROR_NAME with a scrubbed, one-line message.
 */
export function sharedTokenCredential(
  inner: TokenCredential,
  secrets: readonly string[],
  networkFailure?: () => string | undefined,
): TokenCredential {
  let cached: { key: string; token: AccessToken } | undefined;
  let pending: { key: string; promise: Promise<AccessToken | null> } | undefined;
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const key = [scopes].flat().join(" ");
      if (cached?.key === key && cached.token.expiresOnTimestamp - Date.now() > REFRESH_MARGIN_MS) {
        return Promise.resolve(cached.token);
      }
      if (pending?.key === key) return pending.promise;
      const promise = inner
        .getToken(scopes, options)
        .then(
          (token) => {
            if (token) cached = { key, token };
            return token;
          },
          (error: unknown) => {
            const sdkText = error instanceof Error ? error.message : String(error);
            const network = networkFailure?.();
            const text = network === undefined ? sdkText : `${network} (${sdkText})`;
            const line =
              scrub(text, secrets)
                .split("\n")
                .find((l) => l.trim() !== "") ?? "";
            const wrapped = new Error(line.length > 300 ? `${line.slice(0, 297)}...` : line);
            wrapped.name = TOKEN_ERROR_NAME;
            throw wrapped;
          },
        )
        .finally(() => {
          if (pending?.promise === promise) pending = undefined;
        });
      pending = { key, promise };
      return promise;
    },
  };
}
