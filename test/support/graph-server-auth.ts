/**
 * The identity half of the Graph test server: what @azure/identity (MSAL) asks an authority that is
 * not a Microsoft host once instance discovery is off — the tenant's OpenID configuration, then the
 * token endpoint (client secret, certificate-signed assertion, or a federated assertion) — plus
 * GitHub Actions' OIDC token endpoint. Every value here is made up at run time.
 */
import { createPublicKey, randomBytes, verify, constants } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface AppRegistration {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** PEM private key + certificate, as AZURE_CLIENT_CERTIFICATE_PATH expects. */
  certificatePath: string;
  certificatePem: string;
  /** What a GitHub Actions job would find in ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  actionsRequestToken: string;
  /** Application permissions granted; issued tokens carry them as the `roles` claim, as Entra's do. */
  roles?: string[];
}

export interface AuthReply {
  status: number;
  body: unknown;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

export function randomGuid(): string {
  const hex = randomBytes(16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export function createAppRegistration(
  dir: string,
  ids: { tenantId?: string; clientId?: string },
): AppRegistration {
  const key = path.join(dir, "app-key.pem");
  const cert = path.join(dir, "app-cert.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=idanchor test app"].concat([
      "-keyout",
      key,
      "-out",
      cert,
    ]),
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const certificatePem = readFileSync(cert, "utf8");
  const certificatePath = path.join(dir, "app-credential.pem");
  writeFileSync(certificatePath, readFileSync(key, "utf8") + certificatePem);
  return {
    tenantId: ids.tenantId ?? randomGuid(),
    clientId: ids.clientId ?? randomGuid(),
    clientSecret: `fake-secret-${randomBytes(12).toString("hex")}`,
    certificatePath,
    certificatePem,
    actionsRequestToken: `fake-actions-request-${randomBytes(12).toString("hex")}`,
  };
}

/** A JWT-shaped (unsigned) token: it looks like GitHub's, so output scrubbing is really exercised. */
function fakeJwt(claims: Record<string, unknown>): string {
  return [
    b64url(JSON.stringify({ alg: "RS256", typ: "JWT" })),
    b64url(JSON.stringify(claims)),
    b64url(randomBytes(32)),
  ].join(".");
}

function verifyCertificateAssertion(assertion: string, app: AppRegistration): boolean {
  const [header, payload, signature] = assertion.split(".");
  if (!header || !payload || !signature) return false;
  try {
    const h = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: string };
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      iss?: string;
      sub?: string;
    };
    if (claims.iss !== app.clientId || claims.sub !== app.clientId) return false;
    const key = createPublicKey(app.certificatePem);
    const data = Buffer.from(`${header}.${payload}`);
    const sig = Buffer.from(signature, "base64url");
    if (h.alg === "RS256") return verify("sha256", data, key, sig);
    if (h.alg === "PS256") {
      return verify("sha256", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);
    }
    return false;
  } catch {
    return false;
  }
}

const oauthError = (status: number, error: string, description: string): AuthReply => ({
  status,
  body: { error, error_description: description, error_codes: [7000215], trace_id: randomGuid() },
});

export class AuthEndpoints {
  /** Access tokens handed out; Graph accepts only these. */
  readonly issuedTokens = new Set<string>();
  /** GitHub OIDC tokens handed out; the token endpoint accepts them as federated assertions. */
  readonly issuedAssertions = new Set<string>();
  /** Which credential kind obtained each token request. */
  readonly grants: ("secret" | "certificate" | "federated")[] = [];

  constructor(
    private readonly app: AppRegistration,
    private readonly baseUrl: () => string,
  ) {}

  openIdConfiguration(tenant: string): AuthReply {
    if (tenant !== this.app.tenantId)
      return oauthError(400, "invalid_tenant", "AADSTS90002: Tenant not found.");
    const base = `${this.baseUrl()}/${tenant}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        issuer: `${base}/v2.0`,
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        token_endpoint_auth_methods_supported: [
          "client_secret_post",
          "private_key_jwt",
          "client_secret_basic",
        ],
        tenant_region_scope: "WW",
      },
    };
  }

  token(tenant: string, form: URLSearchParams): AuthReply {
    if (tenant !== this.app.tenantId)
      return oauthError(400, "invalid_tenant", "AADSTS90002: Tenant not found.");
    if (form.get("grant_type") !== "client_credentials") {
      return oauthError(
        400,
        "unsupported_grant_type",
        "AADSTS70003: only client_credentials is supported here.",
      );
    }
    if (form.get("client_id") !== this.app.clientId) {
      return oauthError(400, "unauthorized_client", "AADSTS700016: Application not found in the directory.");
    }
    if (!(form.get("scope") ?? "").endsWith("/.default")) {
      return oauthError(400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid.");
    }
    const secret = form.get("client_secret");
    const assertion = form.get("client_assertion");
    let grant: "secret" | "certificate" | "federated" | undefined;
    if (secret !== null) grant = secret === this.app.clientSecret ? "secret" : undefined;
    else if (assertion !== null) {
      if (this.issuedAssertions.has(assertion)) grant = "federated";
      else if (verifyCertificateAssertion(assertion, this.app)) grant = "certificate";
    }
    if (!grant)
      return oauthError(401, "invalid_client", "AADSTS7000215: Invalid client secret or assertion provided.");
    this.grants.push(grant);
    const accessToken = fakeJwt({
      aud: "graph",
      tid: tenant,
      appid: this.app.clientId,
      n: randomGuid(),
      ...(this.app.roles ? { roles: this.app.roles } : {}),
    });
    this.issuedTokens.add(accessToken);
    return {
      status: 200,
      body: { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: accessToken },
    };
  }

  /** GitHub Actions: GET ACTIONS_ID_TOKEN_REQUEST_URL&audience=... with the request token. */
  actionsIdToken(authorization: string | undefined, audience: string | null): AuthReply {
    if (authorization !== `bearer ${this.app.actionsRequestToken}`) {
      return { status: 401, body: { message: "Bad credentials" } };
    }
    if (audience !== "api://AzureADTokenExchange")
      return { status: 400, body: { message: "wrong audience" } };
    const token = fakeJwt({
      iss: "https://token.actions.githubusercontent.com",
      aud: audience,
      sub: "repo:contoso/identities:ref:refs/heads/main",
    });
    this.issuedAssertions.add(token);
    return { status: 200, body: { count: 1, value: token } };
  }
}
