/**
 * Entra snapshots: one JSON object of Graph v1.0 objects (DESIGN 4), validated by
 * schemas/entra-snapshot.schema.json and mapped by the same code as the live read.
 */
import { readFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv";

import { InputError } from "../../errors.js";
import type { EntraState } from "../types.js";
import { positionAt, syntaxErrorOffset, valueOffsets } from "./json-positions.js";
import { toEntraState, toGraphCollections } from "./to-entra-state.js";
import type { GraphCollections } from "./to-entra-state.js";

const SCHEMA_URL = new URL("../../../schemas/entra-snapshot.schema.json", import.meta.url);

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  validator ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
    JSON.parse(readFileSync(SCHEMA_URL, "utf8")) as object,
  );
  return validator;
}

/** `users[3].proxyAddresses[0]` from `/users/3/proxyAddresses/0`. */
function pathText(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((text, s) => (/^\d+$/.test(s) ? `${text}[${s}]` : text ? `${text}.${s}` : s), "");
}

function describe(error: ErrorObject): { pointer: string; message: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return {
        pointer: error.instancePath,
        message: `missing required property '${String(params.missingProperty)}'`,
      };
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const pointer = `${error.instancePath}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      return {
        pointer,
        message: "unknown property (expected users, groups, contacts, features, domains, roleAssignments)",
      };
    }
    case "type":
      return { pointer: error.instancePath, message: `must be ${String(params.type).replace(",", " or ")}` };
    case "pattern":
      return { pointer: error.instancePath, message: "must be a proxy address of the form TYPE:value" };
    default:
      return { pointer: error.instancePath, message: error.message ?? `fails the ${error.keyword} rule` };
  }
}

/** Parses and validates snapshot text; `file` only names the source in errors. */
export function parseEntraSnapshot(text: string, file: string): EntraState {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const offset = syntaxErrorOffset(error);
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(`not valid JSON: ${message}`, {
      file,
      ...(offset === undefined ? {} : positionAt(text, offset)),
    });
  }
  const check = validate();
  if (!check(data)) {
    const errors = (check.errors ?? []).map(describe);
    const first = errors[0] ?? { pointer: "", message: "does not match the snapshot schema" };
    const offset = valueOffsets(text).get(first.pointer);
    const where = pathText(first.pointer);
    const more =
      errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? "s" : ""})` : "";
    throw new InputError(`${where ? `${where}: ` : ""}${first.message}${more}`, {
      file,
      ...(offset === undefined ? {} : positionAt(text, offset)),
    });
  }
  return toEntraState(data as GraphCollections);
}

export async function readEntraSnapshot(file: string): Promise<EntraState> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(
      `cannot read the Entra snapshot: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        file,
      },
    );
  }
  return parseEntraSnapshot(text, file);
}

export function formatEntraSnapshot(state: EntraState): string {
  return `${JSON.stringify(toGraphCollections(state), null, 2)}\n`;
}

/** Writes next to the target and renames, so a reader never sees half a snapshot. */
export async function writeEntraSnapshot(state: EntraState, file: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, formatEntraSnapshot(state));
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new InputError(
      `cannot write the Entra snapshot: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        file,
      },
    );
  }
}
