/** JSON Schema stage: the documents' shape, with every error pointed at its YAML node. */
import type { ErrorObject } from "ajv";

import { pathText, pointerSegments, schemaValidator } from "./json-schema.js";
import type { SchemaFile } from "./json-schema.js";

import type { ParsedDocument } from "./yaml-files.js";
import type { ValidationFinding } from "./types.js";

export type DocumentKind = "Settings" | "IdentityMap";

const SCHEMA_FILES: Record<DocumentKind, SchemaFile> = {
  Settings: "settings.schema.json",
  IdentityMap: "identity-map.schema.json",
};

function describeType(value: unknown): string {
  if (value === null) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

function unknownKeyMessage(key: string, allowed: string[]): string {
  const close = allowed.find((name) => editDistance(name.toLowerCase(), key.toLowerCase()) <= 2);
  const hint = close ? `did you mean '${close}'?` : `allowed keys: ${allowed.join(", ")}`;
  return `unknown key '${key}' (${hint})`;
}

function messageFor(error: ErrorObject): string {
  const parent = error.parentSchema as
    { description?: string; properties?: Record<string, unknown> } | undefined;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return unknownKeyMessage(String(params.additionalProperty), Object.keys(parent?.properties ?? {}));
    case "required":
      return `missing required field '${String(params.missingProperty)}'`;
    case "type":
      return `must be ${String(params.type)}, not ${describeType(error.data)}`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, not ${JSON.stringify(error.data)}`;
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case "anyOf":
    case "oneOf": {
      const typo = closeRequiredKey(error);
      const expected = `must be ${parent?.description ?? "one of the allowed forms"}`;
      return typo ? `${typo}; ${expected}` : `${expected}, not ${describeType(error.data)}`;
    }
    case "pattern":
      return parent?.description
        ? `${JSON.stringify(error.data)} is not ${parent.description}`
        : `${JSON.stringify(error.data)} has the wrong form (expected ${String(params.pattern)})`;
    case "minLength":
    case "minItems":
      return "must not be empty";
    default:
      return error.message ?? `fails the ${error.keyword} rule`;
  }
}

/**
 * The branch number of an error inside the anyOf at `prefix` (".../anyOf/") for the value at
 * `at`, or undefined. The same anyOf checks every list item: the instance path tells them apart.
 */
function branchOf(error: ErrorObject, prefix: string, at: string): number | undefined {
  if (!error.schemaPath.startsWith(prefix)) return undefined;
  if (error.instancePath !== at && !error.instancePath.startsWith(`${at}/`)) return undefined;
  return Number(error.schemaPath.slice(prefix.length).split("/")[0]);
}

/**
 * Errors inside an anyOf branch mostly repeat that the value fits no branch, so the anyOf error
 * stands alone, except where the value has the shape of exactly one branch (its required key is
 * there: `{create: {...}}`, `{guid: ...}`): then that branch's own errors say what is wrong
 * (`create.givenname: unknown key`, a sAMAccountName too long) and the anyOf error goes.
 */
function withoutBranchNoise(errors: ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  for (const anyOf of errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf")) {
    const prefix = anyOf.schemaPath.replace(/\/(anyOf|oneOf)$/, "/$1/");
    const inside = errors.filter((e) => branchOf(e, prefix, anyOf.instancePath) !== undefined);
    const branches = new Set(inside.map((e) => branchOf(e, prefix, anyOf.instancePath)!));
    // A branch whose shape fails at the value itself (wrong type, required key absent) is not the one meant.
    const shapeFails = (b: number): boolean =>
      inside.some(
        (e) =>
          branchOf(e, prefix, anyOf.instancePath) === b &&
          e.instancePath === anyOf.instancePath &&
          (e.keyword === "type" || e.keyword === "required"),
      );
    const fitting = [...branches].filter((b) => !shapeFails(b));
    if (fitting.length === 1) {
      drop.add(anyOf);
      for (const e of inside) if (branchOf(e, prefix, anyOf.instancePath) !== fitting[0]) drop.add(e);
    } else for (const e of inside) drop.add(e);
  }
  return errors.filter((e) => !drop.has(e));
}

/** For a mapping no anyOf branch takes: a key that is close to a branch's required key. */
function closeRequiredKey(error: ErrorObject): string | undefined {
  const branches = (error.schema as { required?: string[] }[] | undefined) ?? [];
  if (typeof error.data !== "object" || error.data === null || Array.isArray(error.data)) return undefined;
  const required = branches.flatMap((b) => b.required ?? []);
  for (const key of Object.keys(error.data)) {
    if (required.includes(key)) continue;
    // Two-letter keys are too close to everything ('cn' is a create field, not a typo of 'dn').
    const close = required.find(
      (name) =>
        name.toLowerCase() === key.toLowerCase() ||
        (key.length > 3 && editDistance(name.toLowerCase(), key.toLowerCase()) <= 2),
    );
    if (close) return `unknown key '${key}' (did you mean '${close}'?)`;
  }
  return undefined;
}

export function validateDocumentSchema(parsed: ParsedDocument, kind: DocumentKind): ValidationFinding[] {
  const validate = schemaValidator(SCHEMA_FILES[kind]);
  if (validate(parsed.value)) return [];
  const seen = new Set<string>();
  const findings: ValidationFinding[] = [];
  for (const error of withoutBranchNoise(validate.errors ?? [])) {
    const segments = pointerSegments(error.instancePath);
    const position =
      error.keyword === "additionalProperties"
        ? parsed.keyAt(segments, String((error.params as { additionalProperty: string }).additionalProperty))
        : parsed.at(segments);
    const where = pathText(segments);
    const message = `${where ? `${where}: ` : ""}${messageFor(error)}`;
    const id = `${position.line}:${position.column}:${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    findings.push({ ...position, severity: "error", code: "SchemaViolation", message });
  }
  return findings;
}
