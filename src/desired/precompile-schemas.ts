/**
 * The build step after tsc (`node dist/desired/precompile-schemas.js`; the bench calls it for
 * dist-bench/): every schema compiled by the project's Ajv into one CommonJS module of standalone
 * validators, written beside json-schema.js, with the digest of the schema text each was made from.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

import { textDigest } from "./digest.js";
import type { PrecompiledSchema } from "./json-schema.js";
import { PRECOMPILED, SCHEMA_FILES, newAjv, schemaText } from "./json-schema.js";

type StandaloneCode = (ajv: ReturnType<typeof newAjv>, refs: Record<string, string>) => string;

/** The module's text: Ajv's standalone code, then the list of schemas it holds. */
export function precompiledSource(): string {
  const require = createRequire(import.meta.url);
  const standaloneCode = (require("ajv/dist/standalone/index.js") as { default: StandaloneCode }).default;
  const ajv = newAjv({ code: { source: true } });
  const refs: Record<string, string> = {};
  const schemas: PrecompiledSchema[] = SCHEMA_FILES.map((file, index) => {
    const text = schemaText(file);
    const schema = JSON.parse(text) as { $id: string };
    ajv.addSchema(schema);
    const name = `validate${index}`;
    refs[name] = schema.$id;
    return { file, digest: textDigest(text), name };
  });
  return [
    "// Written by the build (src/desired/precompile-schemas.ts) from schemas/; do not edit.",
    standaloneCode(ajv, refs),
    `exports.schemas = ${JSON.stringify(schemas)};`,
    "",
  ].join("\n");
}

/** Writes the module beside json-schema.js (this folder, compiled). */
export function writePrecompiledValidators(): void {
  writeFileSync(new URL(PRECOMPILED, import.meta.url), precompiledSource());
}

// Run as a script (the build), not imported (the tests, the bench).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  writePrecompiledValidators();
