/**
 * JSON batching ($batch): up to 20 requests per POST. Graph throttles items one by one, so an item
 * answered 429/503/504 is sent again in a later batch after its Retry-After, a bounded number of
 * times; every other item keeps the answer it got.
 */
import type { Client } from "@microsoft/microsoft-graph-client";

import type { Logger } from "../../model/log.js";
import { oneLine } from "../../model/sanitize.js";
import type { RetryPolicy } from "./retry-handler.js";
import { RETRY_STATUSES, retryDelayMs, secondsText, sleep } from "./retry-handler.js";

export const BATCH_LIMIT = 20;

export interface BatchItem {
  id: string;
  method: "GET" | "PATCH";
  /** Relative to the version root, e.g. /users/{id}?$select=id. */
  url: string;
  body?: unknown;
}

export type BatchResult =
  | { ok: true; status: number; body: unknown }
  /** The whole POST failed (after the client's retries): the item's fate is unknown. */
  | { ok: false; error: unknown };

interface BatchResponseItem {
  id?: unknown;
  status?: unknown;
  headers?: Record<string, string>;
  body?: unknown;
}

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers?.[key];
}

async function postBatch(client: Client, chunk: BatchItem[]): Promise<Map<string, BatchResponseItem>> {
  const requests = chunk.map((item) => ({
    id: item.id,
    method: item.method,
    url: item.url,
    ...(item.body === undefined ? {} : { body: item.body, headers: { "Content-Type": "application/json" } }),
  }));
  const response = (await client.api("/$batch").post({ requests })) as { responses?: unknown };
  const responses = Array.isArray(response?.responses) ? (response.responses as BatchResponseItem[]) : [];
  return new Map(responses.map((r) => [String(r.id), r]));
}

/** Runs every item; the result map has one entry per item id. */
export async function runBatch(
  client: Client,
  items: BatchItem[],
  policy: RetryPolicy,
  logger: Logger,
): Promise<Map<string, BatchResult>> {
  const results = new Map<string, BatchResult>();
  let pending = items;
  for (let round = 1; pending.length > 0; round++) {
    const again: BatchItem[] = [];
    let waitMs = 0;
    for (let start = 0; start < pending.length; start += BATCH_LIMIT) {
      const chunk = pending.slice(start, start + BATCH_LIMIT);
      let answers: Map<string, BatchResponseItem>;
      try {
        answers = await postBatch(client, chunk);
      } catch (error) {
        for (const item of chunk) results.set(item.id, { ok: false, error });
        continue;
      }
      for (const item of chunk) {
        const answer = answers.get(item.id);
        const status = typeof answer?.status === "number" ? answer.status : 0;
        results.set(item.id, { ok: true, status, body: answer?.body ?? null });
        if (RETRY_STATUSES.has(status) && round <= policy.maxRetries) {
          again.push(item);
          waitMs = Math.max(waitMs, retryDelayMs(header(answer?.headers, "retry-after"), round, policy));
        }
      }
    }
    if (again.length > 0) {
      logger.info(`Graph throttled ${again.length} $batch items, retrying in ${secondsText(waitMs)}`, {
        round,
        of: policy.maxRetries,
      });
      await sleep(waitMs);
    }
    pending = again;
  }
  return results;
}

/** Graph's error text from a batch item body ({"error":{"code","message"}}). */
export function itemError(result: BatchResult & { ok: true }): string {
  const error = (result.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === "string" ? ` ${error.code}` : "";
  const message = typeof error?.message === "string" ? `: ${error.message}` : "";
  // Graph's text is the server's: one line, no control characters.
  return oneLine(`HTTP ${result.status}${code}${message}`);
}
