/**
 * Retries throttled and unavailable Graph responses (429, 503, 504) honouring Retry-After, and
 * network failures of idempotent GETs, a bounded number of times. The library's RetryHandler waits
 * up to 180 s per attempt and never retries a reset connection; a CI job wants shorter, clearer
 * bounds. After the last attempt the response (or error) is passed on and becomes a DirectoryError.
 */
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";

import type { Logger } from "../../model/log.js";
import { isNetworkTimeout } from "./deadlines.js";
import { requestUrl } from "./https-transport.js";

export interface RetryPolicy {
  /** Attempts after the first one. */
  maxRetries: number;
  /** First backoff when the server gives no Retry-After; doubles per attempt, with jitter. */
  baseDelayMs: number;
  /** Cap on any single wait, Retry-After included. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 6, baseDelayMs: 1000, maxDelayMs: 60_000 };

export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/** Milliseconds to wait, from a Retry-After header (seconds or an HTTP date) or exponential backoff. */
export function retryDelayMs(
  retryAfter: string | null | undefined,
  attempt: number,
  policy: RetryPolicy,
): number {
  let delay: number | undefined;
  if (retryAfter !== null && retryAfter !== undefined && retryAfter.trim() !== "") {
    const seconds = Number(retryAfter);
    delay = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
    if (!Number.isFinite(delay)) delay = undefined;
  }
  if (delay === undefined) delay = policy.baseDelayMs * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4);
  return Math.max(0, Math.min(delay, policy.maxDelayMs));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function describeRequest(context: Context): { method: string; path: string } {
  const { pathname } = new URL(requestUrl(context));
  return { method: context.options?.method ?? "GET", path: pathname };
}

/** "throttled" for 429, "unavailable (HTTP 503)" for 503/504, "unreachable" for a network failure. */
export function retryReason(status: number | undefined): string {
  if (status === undefined) return "unreachable";
  return status === 429 ? "throttled" : `unavailable (HTTP ${status})`;
}

/** Whole seconds where the wait is long enough to matter, else one decimal: "60 s", "0.4 s". */
export function secondsText(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export class GraphRetryHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error("GraphRetryHandler needs a next middleware");
    const { method, path } = describeRequest(context);
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      try {
        await this.next.execute(context);
      } catch (error) {
        failure = error;
      }
      const status = context.response?.status;
      const retryable =
        // A host that let a deadline pass is reported at once: retrying would multiply the wait.
        failure !== undefined
          ? method === "GET" && !isNetworkTimeout(failure)
          : status !== undefined && RETRY_STATUSES.has(status);
      if (!retryable || attempt > this.policy.maxRetries) {
        if (failure !== undefined) throw failure as Error;
        return;
      }
      const delayMs = retryDelayMs(context.response?.headers.get("retry-after"), attempt, this.policy);
      // Info, not debug: with --verbose a wait of up to a minute per attempt is announced, not silent.
      this.logger.info(
        `Graph ${retryReason(failure === undefined ? status : undefined)}, retrying in ${secondsText(delayMs)}`,
        {
          method,
          path,
          attempt,
          of: this.policy.maxRetries,
        },
      );
      // Drain the body of the refused response so the connection can be reused.
      await context.response?.text().catch(() => undefined);
      context.response = undefined;
      await sleep(delayMs);
    }
  }
}
