/** Every idanchor call in the workflows names a command and options the CLI has: they cannot drift apart. */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "@jest/globals";
import type { Command } from "commander";
import { parse } from "yaml";

import { buildProgram } from "../../src/cli/main.js";

const REPO = path.resolve(new URL("../..", import.meta.url).pathname);
const WORKFLOWS = path.join(REPO, ".github", "workflows");

interface Workflow {
  jobs: Record<string, { steps?: { run?: string }[] }>;
}

/** Each run script that calls the bin: the command words after it, and every --flag in the script. */
function calls(): { where: string; words: string[]; flags: string[] }[] {
  const out: { where: string; words: string[]; flags: string[] }[] = [];
  for (const file of readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f))) {
    const workflow = parse(readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
    for (const [job, { steps = [] }] of Object.entries(workflow.jobs))
      for (const { run } of steps) {
        if (!run?.includes("idanchor.js")) continue;
        for (const match of run.matchAll(/idanchor\.js"? ((?:[a-z][a-z-]* ?)+)/g))
          out.push({
            where: `${file} ${job}: idanchor ${match[1]!.trim()}`,
            words: match[1]!.trim().split(" "),
            flags: [...run.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((m) => m[1]!),
          });
      }
  }
  return out;
}

function find(program: Command, words: readonly string[]): Command | undefined {
  let command: Command | undefined = program;
  for (const word of words) command = command?.commands.find((c) => c.name() === word);
  return command;
}

describe("the workflows' idanchor calls", () => {
  const program = buildProgram(
    { env: {}, cwd: REPO, stdout: { write: () => true }, stderr: { write: () => true } },
    () => undefined,
  );
  const found = calls();

  it("are found (plan, apply, drift and the github steps)", () => {
    const commands = new Set(found.map((c) => c.words.join(" ")));

    expect([...commands].sort()).toEqual(
      [
        "apply",
        "drift",
        "github annotate",
        "github comment",
        "github drift-issue",
        "github fetch-plan",
        "github pr-note",
        "github verify-issues",
        "plan",
        "verify",
      ].sort(),
    );
  });

  it.each(found.map((c) => [c.where, c] as const))("%s: command and options exist", (_where, call) => {
    const command = find(program, call.words);
    const known = new Set(command?.options.map((o) => o.long));

    expect(command?.name()).toBe(call.words.at(-1));
    expect(call.flags.filter((flag) => !known.has(flag))).toEqual([]);
  });
});
