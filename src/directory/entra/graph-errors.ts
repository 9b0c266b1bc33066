/**
 * Turns whatever a Graph call threw (GraphError with Graph's error body, a token failure, a reset
 * connection) into one DirectoryError with a short, scrubbed message. Raw HTTP objects stay in
 * `cause` and are never printed: they can hold tokens.
 */
import { DirectoryError } from "../../model/errors.js";
import { TOKEN_ERROR_NAME, scrub } from "./credentials.js";
import { RETRY_STATUSES } from "./retry-handler.js";

const TOKEN_ERROR_NAMES = new Set([
  TOKEN_ERROR_NAME,
  "AuthenticationError",
  "CredentialUnavailableError",
  "AggregateAuthenticationError",
]);

interface GraphErrorLike {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
  name?: unknown;
}

/** First line only, bounded: identity errors carry long troubleshooting texts. */
function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

export function toDirectoryError(
  error: unknown,
  what: string,
  context: { secrets: readonly string[]; maxRetries: number },
): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as GraphErrorLike;
  const status = typeof e.statusCode === "number" && e.statusCode > 0 ? e.statusCode : undefined;
  const code = typeof e.code === "string" && e.code !== "" ? e.code : undefined;
  const message = firstLine(
    scrub(typeof e.message === "string" ? e.message : String(error), context.secrets),
  );
  if (status === undefined && code !== undefined && TOKEN_ERROR_NAMES.has(code)) {
    return new DirectoryError("entra", `${what}: could not get a token for Microsoft Graph: ${message}`, {
      code,
      cause: error,
    });
  }
  if (status === undefined) {
    return new DirectoryError("entra", `${what}: ${message || "the request failed"}`, { code, cause: error });
  }
  const retried = RETRY_STATUSES.has(status) ? ` (still failing after ${context.maxRetries} retries)` : "";
  const hint =
    status === 401 || status === 403
      ? " (check the app registration's Graph application permissions: docs/entra-credentials.md)"
      : "";
  return new DirectoryError(
    "entra",
    `${what}: HTTP ${status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}${retried}${hint}`,
    { status, code, cause: error },
  );
}
