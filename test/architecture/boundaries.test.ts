/**
 * The pipeline of DESIGN.md section 5, checked two ways: lint refuses a backward import in every
 * folder, and the import graph of src/ (read here from the files themselves) has no folder cycle
 * and no edge that runs backwards.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@jest/globals";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";

import { stageBoundaries } from "../../eslint-stages.config.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SRC = path.join(ROOT, "src");

/** The stages in pipeline order, as DESIGN.md section 5 lists them: model first, the CLI last. */
const ORDER = [
  "model",
  "address",
  "desired",
  "directory",
  "plan",
  "hygiene",
  "render",
  "apply",
  "audit",
  "import",
  "github",
  "cli",
];

/** A file in each stage, and how it would spell an import of a module in another stage. */
const SAMPLE_FILE: Record<string, string> = {
  model: "src/model/log.ts",
  address: "src/address/smtp.ts",
  desired: "src/desired/parse.ts",
  directory: "src/directory/ad/ldif.ts",
  plan: "src/plan/predict.ts",
  hygiene: "src/hygiene/check.ts",
  render: "src/render/plan-text.ts",
  apply: "src/apply/apply-plan.ts",
  audit: "src/audit/diff.ts",
  import: "src/import/propose.ts",
  github: "src/github/comment.ts",
  cli: "src/cli/io.ts",
};
const SAMPLE_TARGET: Record<string, string> = {
  model: "src/model/errors.ts",
  address: "src/address/guid.ts",
  desired: "src/desired/types.ts",
  directory: "src/directory/ad/index.ts",
  plan: "src/plan/types.ts",
  hygiene: "src/hygiene/index.ts",
  render: "src/render/index.ts",
  apply: "src/apply/plan-file.ts",
  audit: "src/audit/index.ts",
  import: "src/import/index.ts",
  github: "src/github/comment.ts",
  cli: "src/cli/io.ts",
};

function specifier(from: string, to: string): string {
  const relative = path.relative(path.dirname(from), to).split(path.sep).join("/").replace(/\.ts$/, ".js");
  return relative.startsWith(".") ? relative : `./${relative}`;
}

/**
 * The boundary rules exactly as eslint.config.js uses them, without the typed rules (a typed
 * program per file made this test take a minute).
 */
const linter = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  baseConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, ...stageBoundaries()],
});

async function restrictedImports(file: string, target: string): Promise<string[]> {
  const eslint = linter;
  const text = `import * as later from "${specifier(file, target)}";\n\nexport const used = later;\n`;
  const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

function stageOf(file: string): string {
  const [first] = path.relative(SRC, file).split(path.sep);
  return first ?? "";
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** stage -> the stages its files import (relative imports and re-exports, type-only ones included). */
function stageGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = stageOf(file);
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+["'](\.[^"']+)["']/g)) {
      const to = stageOf(path.resolve(path.dirname(file), match[1]!));
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      edges.set(to, path.relative(ROOT, file));
      graph.set(from, edges);
    }
  }
  return graph;
}

describe("stage boundaries", () => {
  it("every folder of src/ is a known stage", () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();

    expect(folders).toEqual([...ORDER].sort());
  });

  it("lint refuses, in every stage, an import of the stage after it", async () => {
    const refused: Record<string, number> = {};
    for (const [index, stage] of ORDER.slice(0, -1).entries()) {
      const later = ORDER[index + 1]!;
      refused[`${stage} -> ${later}`] = (
        await restrictedImports(SAMPLE_FILE[stage]!, SAMPLE_TARGET[later]!)
      ).length;
    }

    for (const count of Object.values(refused)) expect(count).toBe(1);
    expect(Object.keys(refused)).toHaveLength(ORDER.length - 1);
  }, 120_000);

  it("lint refuses a jump over several stages and allows imports of model and earlier stages", async () => {
    const backward = await restrictedImports("src/plan/predict.ts", "src/cli/io.ts");
    const intoModel = await restrictedImports("src/plan/predict.ts", "src/model/directory.ts");
    const earlier = await restrictedImports("src/apply/apply-plan.ts", "src/plan/types.ts");
    const modelOutwards = await restrictedImports("src/model/log.ts", "src/address/guid.ts");

    expect(backward).toHaveLength(1);
    expect(backward[0]).toContain("docs/architecture.md");
    expect(intoModel).toEqual([]);
    expect(earlier).toEqual([]);
    expect(modelOutwards).toHaveLength(1);
  }, 120_000);

  it("the import graph of src/ runs forwards only, so it has no folder cycle", () => {
    const graph = stageGraph();
    const backward: string[] = [];

    for (const [from, edges] of graph)
      for (const [to, file] of edges)
        if (ORDER.indexOf(to) >= ORDER.indexOf(from)) backward.push(`${from} -> ${to} (${file})`);

    expect(backward).toEqual([]);
    expect(graph.get("cli")?.size).toBeGreaterThan(5);
  });
});
