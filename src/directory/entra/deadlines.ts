/**
 * Deadlines for one HTTPS exchange, stage by stage: a host that accepts TCP and never answers must
 * fail the run within seconds with its name in the message, not hang a CI job until its timeout.
 */

export interface Deadlines {
  /** TCP connect, then (separately) the TLS handshake. */
  connectMs: number;
  /** From the request being sent to the first byte of the response. */
  firstByteMs: number;
  /** The whole exchange, from the first attempt to connect to the last byte of the body. */
  totalMs: number;
}

export const DEFAULT_DEADLINES: Deadlines = { connectMs: 10_000, firstByteMs: 30_000, totalMs: 120_000 };

export type Stage = "connecting" | "TLS handshake" | "waiting for the response" | "reading the response";

export const TIMEOUT_ERROR_NAME = "NetworkTimeoutError";

/** A deadline passed; the message names the service, host, stage and the deadline in seconds. */
export class NetworkTimeoutError extends Error {
  override readonly name = TIMEOUT_ERROR_NAME;
  readonly code = "ETIMEDOUT";
  constructor(
    readonly service: string,
    readonly host: string,
    readonly stage: Stage,
    readonly ms: number,
  ) {
    super(`${service}: no answer from ${host} within ${formatSeconds(ms)} (${stage})`);
  }
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** Duck-typed (errors may cross realms, or be rewrapped keeping the name). */
export function isNetworkTimeout(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    ((error as { name?: unknown }).name === TIMEOUT_ERROR_NAME ||
      (typeof (error as { message?: unknown }).message === "string" &&
        / no answer from \S+ within [\d.]+ s \(/.test((error as { message: string }).message)))
  );
}
