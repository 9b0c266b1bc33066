/**
 * The part every offline bench shares: the compiled tree finds the schemas, `--n` lists the sizes,
 * each size is measured in turn and the results file is written by the bench itself.
 */
import { existsSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { writePrecompiledValidators } from "../src/desired/precompile-schemas.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const BENCH_DIR = path.resolve(here, "../../bench");

/**
 * dist-bench/ compiles src/ without what the package ships beside dist/ (schemas/, package.json
 * for --version and the Action's reference): link them in. The build's step after tsc, the
 * precompiled schema validators, is taken here too, so that the bench runs what users run.
 */
export function linkPackageFiles(): void {
  for (const [name, type] of [
    ["schemas", "dir"],
    ["package.json", "file"],
  ] as const) {
    const compiled = path.resolve(here, "..", name);
    if (!existsSync(compiled)) symlinkSync(path.resolve(BENCH_DIR, "..", name), compiled, type);
  }
  writePrecompiledValidators();
}

export async function runSizes<R>(bench: {
  /** The npm script, e.g. `bench:offline`. */
  script: string;
  /** The results file under bench/. */
  results: string;
  measure: (n: number) => Promise<R>;
  render: (records: R[], command: string) => string;
}): Promise<void> {
  linkPackageFiles();
  const argv = process.argv.slice(2);
  const { values } = parseArgs({ args: argv, options: { n: { type: "string", default: "10000,100000" } } });
  const sizes = values.n.split(",").map((v) => Number(v.replace(/_/g, "")));
  const name = bench.script.replace(/^bench:/, "");
  const records: R[] = [];
  for (const n of sizes) {
    process.stderr.write(`[bench ${name}] N=${n}\n`);
    records.push(await bench.measure(n));
  }
  const command = `npm run ${bench.script}${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`;
  writeFileSync(path.join(BENCH_DIR, bench.results), bench.render(records, command));
  process.stderr.write(`[bench ${name}] bench/${bench.results}\n`);
}
