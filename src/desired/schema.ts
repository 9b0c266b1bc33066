/** JSON Schema stage: the documents' shape, with every error pointed at its YAML node. */
import type { ErrorObject } from "ajv";

import { pathText, pointerSegments, schemaValidator } from "./json-schema.js";
import type { SchemaFile } from "./json-schema.js";

import type { ParsedDocument } from "./yaml-files.js";
import { keyNodeAt, nodeAt, positionOf } from "./yaml-files.js";
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
    case "oneOf":
      return `must be ${parent?.description ?? "one of the allowed forms"}, not ${describeType(error.data)}`;
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

/** Errors inside an anyOf branch only repeat that the value fits no branch; keep the anyOf error alone. */
function withoutBranchNoise(errors: ErrorObject[]): ErrorObject[] {
  const anyOfPaths = errors
    .filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf")
    .map((e) => e.schemaPath);
  return errors.filter(
    (e) =>
      !anyOfPaths.some(
        (p) => e.schemaPath !== p && e.schemaPath.startsWith(p.replace(/\/(anyOf|oneOf)$/, "/$1/")),
      ),
  );
}

export function validateDocumentSchema(parsed: ParsedDocument, kind: DocumentKind): ValidationFinding[] {
  const validate = schemaValidator(SCHEMA_FILES[kind]);
  if (validate(parsed.value)) return [];
  const seen = new Set<string>();
  const findings: ValidationFinding[] = [];
  for (const error of withoutBranchNoise(validate.errors ?? [])) {
    const segments = pointerSegments(error.instancePath);
    const node =
      error.keyword === "additionalProperties"
        ? keyNodeAt(
            parsed.doc,
            segments,
            String((error.params as { additionalProperty: string }).additionalProperty),
          )
        : nodeAt(parsed.doc, segments);
    const where = pathText(segments);
    const message = `${where ? `${where}: ` : ""}${messageFor(error)}`;
    const position = positionOf(parsed, node);
    const id = `${position.line}:${position.column}:${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    findings.push({ ...position, severity: "error", code: "SchemaViolation", message });
  }
  return findings;
}
