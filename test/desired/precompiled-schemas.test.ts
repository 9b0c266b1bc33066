/**
 * The build's precompiled validators (dist/desired/schema-validators.cjs, written by `npm run
 * build`, which `npm test` runs first) decide every document exactly as Ajv compiling the schema
 * at run time does: the same verdict and the same errors, on the sample documents and on
 * thousands of broken variants of them. And one is used only for the schema text it was made from.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@jest/globals";
import type { ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";

import { loadDesiredState } from "../../src/desired/index.js";
import type { SchemaFile } from "../../src/desired/json-schema.js";
import {
  PRECOMPILED,
  SCHEMA_FILES,
  newAjv,
  precompiledValidator,
  schemaText,
} from "../../src/desired/json-schema.js";
import { precompiledSource } from "../../src/desired/precompile-schemas.js";
import { readLdifSnapshot } from "../../src/directory/ad/index.js";
import { readEntraSnapshot } from "../../src/directory/entra/index.js";
import { buildPlan } from "../../src/plan/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const built = path.join(root, "dist/desired", PRECOMPILED);

type Module = Parameters<typeof precompiledValidator>[0];

function builtModule(): NonNullable<Module> {
  return createRequire(import.meta.url)(built) as NonNullable<Module>;
}

function yamlDocuments(file: string): unknown[] {
  return parseAllDocuments(readFileSync(path.join(root, file), "utf8")).map((d) => d.toJS() as unknown);
}

const json = (file: string): unknown => JSON.parse(readFileSync(path.join(root, file), "utf8"));

/** The sample documents of each schema: the repository's own desired state, snapshots and demo plan. */
async function samples(): Promise<Record<SchemaFile, unknown[]>> {
  const desired = [
    ...["identities/settings.yaml", "identities/staff.yaml", "identities/shared.yaml"],
    ...["identities/connect-rules.yaml", "examples/hygiene/settings.yaml"],
  ].flatMap(yamlDocuments);
  const kind = (k: string) => desired.filter((d) => (d as { kind?: unknown }).kind === k);
  const loaded = await loadDesiredState("identities", root);
  if (!loaded.state) throw new Error("the sample desired state does not load");
  const ad = await readLdifSnapshot(path.join(root, "examples/contoso/ad.ldif"), {
    baseDN: loaded.state.settings.activeDirectory.baseDN,
  });
  const plans = [];
  for (const file of ["examples/contoso/entra.json", "examples/contoso/entra-locked-down.json"]) {
    const entra = await readEntraSnapshot(path.join(root, file));
    plans.push(JSON.parse(JSON.stringify(buildPlan(loaded.state, ad, entra))) as unknown);
  }
  return {
    "settings.schema.json": kind("Settings"),
    "identity-map.schema.json": kind("IdentityMap"),
    "plan.schema.json": plans,
    "entra-snapshot.schema.json": [
      json("examples/contoso/entra.json"),
      json("examples/contoso/entra-locked-down.json"),
    ],
  };
}

/** A small deterministic generator: the same variants on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const REPLACEMENTS: unknown[] = [
  null,
  0,
  -1,
  1.5,
  "",
  "x",
  "a".repeat(300),
  true,
  [],
  [1],
  {},
  { zz: 1 },
  "not@valid",
];

/** Every path in `value`, objects and arrays included. */
function paths(
  value: unknown,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

/** `doc` with the value at `at` replaced (`undefined`: removed), and with a stray key added. */
function variant(doc: unknown, at: (string | number)[], replacement: unknown, stray: boolean): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as unknown;
  if (at.length === 0) return replacement;
  let parent = copy as Record<string | number, unknown>;
  for (const segment of at.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = replacement;
  if (stray && parent !== null && typeof parent === "object" && !Array.isArray(parent)) parent.strayKey = 1;
  return copy;
}

function variants(doc: unknown, count: number, seed: number): unknown[] {
  const next = random(seed);
  const all = paths(doc);
  const out: unknown[] = [doc];
  for (let i = 0; i < count; i++) {
    const at = all[Math.floor(next() * all.length)]!;
    const pick = Math.floor(next() * (REPLACEMENTS.length + 1));
    out.push(variant(doc, at, pick === REPLACEMENTS.length ? undefined : REPLACEMENTS[pick], next() < 0.2));
  }
  return out;
}

function verdict(validate: ValidateFunction, doc: unknown): { valid: boolean; errors: unknown } {
  const valid = validate(doc);
  return { valid, errors: JSON.parse(JSON.stringify(validate.errors ?? null)) as unknown };
}

describe("precompiled schema validators", () => {
  it("are built from the schemas as they are now", () => {
    expect(readFileSync(built, "utf8")).toBe(precompiledSource());
    const module = builtModule();
    expect(module.schemas.map((s) => s.file)).toEqual([...SCHEMA_FILES]);
    for (const file of SCHEMA_FILES)
      expect(typeof precompiledValidator(module, file, schemaText(file))).toBe("function");
  });

  it("give the same verdict and the same errors as Ajv compiling the schema, on samples and broken variants", async () => {
    const module = builtModule();
    const docs = await samples();
    let invalid = 0;
    let checked = 0;
    for (const file of SCHEMA_FILES) {
      expect(docs[file].length).toBeGreaterThan(0);
      const fast = precompiledValidator(module, file, schemaText(file))!;
      const compiled = newAjv().compile(JSON.parse(schemaText(file)) as object);
      docs[file].forEach((doc, index) => {
        // The samples are valid as they are: their variants are what the errors are compared on.
        expect(verdict(compiled, doc)).toEqual({ valid: true, errors: null });
        for (const each of variants(doc, 600, index + 1)) {
          const expected = verdict(compiled, each);
          expect(verdict(fast, each)).toEqual(expected);
          if (!expected.valid) invalid++;
          checked++;
        }
      });
    }
    // Most variants break a rule: the errors themselves were compared, not only "valid".
    expect(invalid).toBeGreaterThan(checked / 2);
  });

  it("are not used for a schema text other than the one they were made from", () => {
    const module = builtModule();
    const file: SchemaFile = "identity-map.schema.json";
    const text = schemaText(file);
    expect(precompiledValidator(module, file, `${text}\n`)).toBeUndefined();
    expect(precompiledValidator(module, file, text.replace('"identities"', '"identity"'))).toBeUndefined();
    expect(precompiledValidator(null, file, text)).toBeUndefined();
  });
});
