/** Progress on stderr while reading the directories: only on a TTY, so logs and pipes stay clean. */
import type { OutputStream } from "./io.js";

export interface Progress {
  step<T>(label: string, work: () => Promise<T>, describe: (result: T) => string): Promise<T>;
}

export function progressFor(stream: OutputStream, now: () => number = () => performance.now()): Progress {
  const enabled = stream.isTTY === true;
  return {
    // Steps may run at the same time, so each writes whole lines: one when it starts, one when it ends.
    async step(label, work, describe) {
      if (!enabled) return work();
      const started = now();
      stream.write(`${label}...\n`);
      try {
        const result = await work();
        stream.write(`${label}: ${describe(result)} (${((now() - started) / 1000).toFixed(1)} s)\n`);
        return result;
      } catch (error) {
        stream.write(`${label}: failed\n`);
        throw error;
      }
    },
  };
}

/** A "label: n/total" counter rewritten in place on a TTY; silent elsewhere. */
export function counterFor(
  stream: OutputStream,
  label: string,
  total: number,
): { tick(): void; done(): void } {
  if (stream.isTTY !== true || total === 0) return { tick: () => undefined, done: () => undefined };
  let count = 0;
  return {
    tick() {
      count += 1;
      stream.write(`\r${label}: ${count}/${total}`);
    },
    done() {
      if (count > 0) stream.write("\n");
    },
  };
}
