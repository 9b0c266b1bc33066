/**
 * The one Ajv set-up. Every schema in schemas/ (desired state, plan, Entra snapshot) is compiled
 * by the same strict Ajv, and JSON pointers read the same way everywhere.
 *
 * The build compiles them ahead of time (precompile-schemas.ts writes PRECOMPILED next to this
 * file): compiling at start-up took 60-110 ms a schema and loading Ajv another ~55 ms, before
 * `plan` could open a directory. A precompiled validator is used only for the very schema text it
 * was made from (its digest); any other text, or none built (tests run from src/), is compiled here.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import type { Ajv2020, Options } from "ajv/dist/2020.js";
import type * as AjvModule from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";

import { textDigest } from "./digest.js";

/** The schemas idanchor ships, next to the package's dist/ and src/. */
export const SCHEMA_DIR = new URL("../../schemas/", import.meta.url);

export const SCHEMA_FILES = [
  "settings.schema.json",
  "identity-map.schema.json",
  "plan.schema.json",
  "entra-snapshot.schema.json",
] as const;

export type SchemaFile = (typeof SCHEMA_FILES)[number];

/** The module the build writes beside this one (CommonJS: it is loaded when first needed, synchronously). */
export const PRECOMPILED = "schema-validators.cjs";

/** What the precompiled module exports besides its validators: which schema text each was made from. */
export interface PrecompiledSchema {
  file: SchemaFile;
  digest: string;
  /** The validator's export name. */
  name: string;
}

type PrecompiledModule = { schemas: PrecompiledSchema[] } & Record<string, ValidateFunction>;

const require = createRequire(import.meta.url);

export function schemaText(file: SchemaFile): string {
  return readFileSync(new URL(file, SCHEMA_DIR), "utf8");
}

/** A new Ajv with the project's options (`extra`: the build's `code` options). */
export function newAjv(extra: Options = {}): Ajv2020 {
  const { Ajv2020: Ajv } = require("ajv/dist/2020.js") as typeof AjvModule;
  return new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, ...extra });
}

let precompiled: PrecompiledModule | null | undefined;

function precompiledModule(): PrecompiledModule | null {
  if (precompiled !== undefined) return precompiled;
  try {
    precompiled = require(`./${PRECOMPILED}`) as PrecompiledModule;
  } catch (error) {
    if ((error as { code?: unknown }).code !== "MODULE_NOT_FOUND") throw error;
    precompiled = null;
  }
  return precompiled;
}

/** The precompiled validator of exactly this schema text, if the module has one. */
export function precompiledValidator(
  module: PrecompiledModule | null,
  file: SchemaFile,
  text: string,
): ValidateFunction | undefined {
  const entry = module?.schemas.find((schema) => schema.file === file);
  return entry && entry.digest === textDigest(text) ? module?.[entry.name] : undefined;
}

let ajv: Ajv2020 | undefined;
const validators = new Map<SchemaFile, ValidateFunction>();

export function schemaValidator(file: SchemaFile): ValidateFunction {
  const known = validators.get(file);
  if (known) return known;
  const text = schemaText(file);
  const validate =
    precompiledValidator(precompiledModule(), file, text) ??
    (ajv ??= newAjv()).compile(JSON.parse(text) as object);
  validators.set(file, validate);
  return validate;
}

/** `/users/3/proxyAddresses/0` -> ["users", 3, "proxyAddresses", 0]. */
export function pointerSegments(instancePath: string): (string | number)[] {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** ["users", 3, "proxyAddresses"] -> `users[3].proxyAddresses`. */
export function pathText(segments: readonly (string | number)[]): string {
  return segments.reduce<string>(
    (text, s) => (typeof s === "number" ? `${text}[${s}]` : text ? `${text}.${s}` : s),
    "",
  );
}
