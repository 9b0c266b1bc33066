/**
 * The one Ajv set-up. Every schema in schemas/ (desired state, plan, Entra snapshot) is compiled
 * by the same strict Ajv, once per process, and JSON pointers read the same way everywhere.
 */
import { readFileSync } from "node:fs";

import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";

/** The schemas idanchor ships, next to the package's dist/ and src/. */
export const SCHEMA_DIR = new URL("../../schemas/", import.meta.url);

export type SchemaFile =
  "settings.schema.json" | "identity-map.schema.json" | "plan.schema.json" | "entra-snapshot.schema.json";

let ajv: Ajv2020 | undefined;
const validators = new Map<SchemaFile, ValidateFunction>();

export function schemaValidator(file: SchemaFile): ValidateFunction {
  const known = validators.get(file);
  if (known) return known;
  ajv ??= new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), "utf8")) as object);
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
