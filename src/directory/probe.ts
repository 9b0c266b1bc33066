/** What `idanchor doctor` reports per check: plain data, rendered by the CLI. */
export type ProbeStatus = "ok" | "warn" | "fail" | "skip";

export interface ProbeResult {
  system: "ad" | "entra";
  check: string;
  status: ProbeStatus;
  detail: string;
  /** What to change, for warn and fail. */
  fix?: string;
  ms: number;
}

export class DeadlineError extends Error {
  override readonly name = "DeadlineError";
}

/** Every probe step has a deadline: doctor must never hang without a word. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineError(`${what}: no answer within ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one step, timing it; `step` returns the result's status, detail and fix. */
export async function timed(
  system: ProbeResult["system"],
  check: string,
  step: () => Promise<Omit<ProbeResult, "system" | "check" | "ms">>,
): Promise<ProbeResult> {
  const started = performance.now();
  const result = await step();
  return { system, check, ...result, ms: Math.round(performance.now() - started) };
}
