/**
 * Adds where a failed Graph call went and how it authenticated to its error: "network_error" or
 * "Azure CLI could not be found" alone does not tell an administrator which host or which
 * credential to look at.
 */
import { DirectoryError } from "../../model/errors.js";
import type { CredentialMethod } from "./credentials.js";

export interface GraphEndpoint {
  graphHost: string;
  authorityHost: string;
  tenantId: string;
  method: CredentialMethod | "custom";
}

const METHOD_TEXT: Record<CredentialMethod | "custom", string> = {
  "github-oidc": "GitHub Actions OIDC credential (ACTIONS_ID_TOKEN_REQUEST_URL)",
  "client-certificate": "client certificate credential (AZURE_CLIENT_CERTIFICATE_PATH)",
  "client-secret": "client secret credential (AZURE_CLIENT_SECRET)",
  "azure-cli": "Azure CLI credential",
  custom: "credential passed in by the caller",
};

/** The Azure CLI is only the fallback: say what was missing for the others to be chosen. */
const CLI_FALLBACK =
  "; no AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or GitHub OIDC token is set, so the Azure CLI's " +
  "signed-in account was tried: set one of them (docs/entra-credentials.md) or run 'az login'";

export function describeEndpoint(endpoint: GraphEndpoint): string {
  return (
    `Graph ${endpoint.graphHost}, authority ${endpoint.authorityHost}, tenant ${endpoint.tenantId}, ` +
    METHOD_TEXT[endpoint.method]
  );
}

export function withEndpoint(error: unknown, endpoint: GraphEndpoint): Error {
  if (!(error instanceof DirectoryError)) return error instanceof Error ? error : new Error(String(error));
  const tokenFailure = /could not get a token|credential|authority|endpoints_resolution/i.test(error.message);
  const fallback = endpoint.method === "azure-cli" && tokenFailure ? CLI_FALLBACK : "";
  return new DirectoryError("entra", `${error.message} [${describeEndpoint(endpoint)}]${fallback}`, {
    ...error.details,
    cause: error,
  });
}
