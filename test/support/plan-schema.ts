import { readFileSync } from "node:fs";

import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";

/** The plan JSON Schema from schemas/, compiled with ajv (draft 2020-12). */
export function planValidator(): ValidateFunction {
  const schema = JSON.parse(
    readFileSync(new URL("../../schemas/plan.schema.json", import.meta.url), "utf8"),
  ) as object;
  return new Ajv2020({ allErrors: true, strict: true }).compile(schema);
}
