/**
 * Runs `idanchor plan` through the CLI's own main() in a fresh process, so its peak RSS is the
 * plan's alone (not the bench's, which holds the Graph server and the estate). Prints one JSON line.
 *
 * usage: node plan-child.js <cwd> <argv...>   (the environment carries the credentials)
 */
import { main } from "../src/cli/main.js";

export interface PlanChildResult {
  code: number;
  /** main() alone, without Node's start-up. */
  mainMs: number;
  maxRssKb: number;
  /** User + system CPU time of the whole process: the figure that holds on a shared, busy machine. */
  cpuMs?: number;
  stdoutBytes: number;
  /** Includes the progress lines main() writes to a TTY: "Reading Active Directory (...): 1234 objects (1.2 s)". */
  stderr: string;
}

export async function runPlanChild(cwd: string, argv: string[]): Promise<PlanChildResult> {
  let stdoutBytes = 0;
  let stderr = "";
  const started = performance.now();
  const code = await main(argv, {
    env: process.env,
    cwd,
    // Output is counted, not kept: holding a 100k-identity rendering would inflate the RSS we measure.
    stdout: { write: (s: string) => (stdoutBytes += Buffer.byteLength(s)), isTTY: false },
    // A TTY stderr makes main() time its read steps (src/cli/progress.ts): the per-phase figures.
    stderr: { write: (s: string) => (stderr += s), isTTY: true },
  });
  const mainMs = performance.now() - started;
  return {
    code,
    mainMs,
    maxRssKb: process.resourceUsage().maxRSS,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    stdoutBytes,
    stderr: stderr.slice(0, 4000),
  };
}

const [cwd, ...argv] = process.argv.slice(2);
if (cwd !== undefined) {
  const result = await runPlanChild(cwd, argv);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
