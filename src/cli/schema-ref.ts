/**
 * The `$schema` line written into a user's YAML. A relative path only where the schema lies inside
 * the user's repository (node_modules/idanchor/schemas/ after `npm install idanchor`, or this
 * tool's own checkout); anywhere else (npx, a global install) the versioned URL, because a path
 * into someone's temporary npm cache would break on the next machine.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

import { SCHEMA_DIR } from "../desired/json-schema.js";
import { versionedSchemaUrl } from "./package-info.js";

export type SchemaFile = "settings.schema.json" | "identity-map.schema.json";

export function schemaReference(fromFile: string, schema: SchemaFile, repoRoot: string): string {
  const shipped = fileURLToPath(new URL(schema, SCHEMA_DIR));
  const inside = path.relative(path.resolve(repoRoot), shipped);
  if (inside.startsWith("..") || path.isAbsolute(inside)) return versionedSchemaUrl(schema);
  return path.relative(path.dirname(fromFile), shipped).split(path.sep).join("/");
}

/** A path the user typed, shown relative to the repository so no local folder leaks into a commit. */
export function repoRelative(file: string, repoRoot: string): string {
  const relative = path.relative(repoRoot, path.resolve(repoRoot, file));
  return (relative.startsWith("..") || path.isAbsolute(relative) ? path.basename(file) : relative)
    .split(path.sep)
    .join("/");
}
