/**
 * Entra snapshots: one JSON object of Graph v1.0 objects (DESIGN 4), validated by
 * schemas/entra-snapshot.schema.json and mapped by the same code as the live read.
 */
import { readFile } from "node:fs/promises";

import type { ErrorObject } from "ajv";

import { pathText, pointerSegments, schemaValidator } from "../../desired/json-schema.js";

import { InputError } from "../../model/errors.js";
import type { EntraState } from "../../model/directory.js";
import { jsonTooDeep, tooDeepMessage, valueTooDeep } from "../../model/nesting.js";
import type { TooDeep } from "../../model/nesting.js";
import { decodeUtf8, encodingAdvice } from "../../model/text-encoding.js";
import { positionAt, syntaxErrorOffset, valueOffsets } from "./json-positions.js";
import { absentProperty, absentPropertyMessage } from "./required-properties.js";
import { toEntraState, toGraphCollections } from "./to-entra-state.js";
import type { GraphCollections } from "./to-entra-state.js";

function describe(error: ErrorObject): { pointer: string; message: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const missing = String(params.missingProperty);
      // A missing section would be planned with guessed values; the live reader never guesses either.
      const section =
        error.instancePath === "" && (missing === "features" || missing === "roleAssignments")
          ? missing === "features"
            ? ": without the tenant's onPremisesSynchronization features (GET /directory/onPremisesSynchronization) the plan would guess which matches the tenant blocks"
            : ": without the role assignments (GET /roleManagement/directory/roleAssignments; [] when there are none) the plan cannot see AdminRoleConflict"
          : "";
      return {
        pointer: error.instancePath,
        message: `missing required property '${missing}'${section}${section ? "; write the snapshot with 'idanchor export entra'" : ""}`,
      };
    }
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const pointer = `${error.instancePath}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      return {
        pointer,
        message:
          "unknown property (expected users, groups, contacts, features, domains, roleAssignments, deletedUsers)",
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
  // The schema check and the position scanner recurse: nothing nested too deep reaches them.
  const tooDeep = (deep: TooDeep): InputError =>
    new InputError(tooDeepMessage(file, deep), { file, ...deep });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const deep = jsonTooDeep(text);
    if (deep) throw tooDeep(deep);
    const offset = syntaxErrorOffset(error);
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(`not valid JSON: ${message}`, {
      file,
      ...(offset === undefined ? {} : positionAt(text, offset)),
    });
  }
  // The value nests as deep as its text, so the scan finds where.
  if (valueTooDeep(data)) throw tooDeep(jsonTooDeep(text)!);
  const check = schemaValidator("entra-snapshot.schema.json");
  if (!check(data)) {
    const errors = (check.errors ?? []).map(describe);
    const first = errors[0] ?? { pointer: "", message: "does not match the snapshot schema" };
    const offset = valueOffsets(text).get(first.pointer);
    const where = pathText(pointerSegments(first.pointer));
    const more =
      errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? "s" : ""})` : "";
    throw new InputError(`${where ? `${where}: ` : ""}${first.message}${more}`, {
      file,
      ...(offset === undefined ? {} : positionAt(text, offset)),
    });
  }
  const absent = absentProperty(data as GraphCollections);
  if (absent) {
    const offset = valueOffsets(text).get(`/${absent.collection}/${absent.index}`);
    throw new InputError(absentPropertyMessage(absent, "the snapshot has"), {
      file,
      ...(offset === undefined ? {} : positionAt(text, offset)),
    });
  }
  return toEntraState(data as GraphCollections);
}

export async function readEntraSnapshot(file: string): Promise<EntraState> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InputError(
      `cannot read the Entra snapshot: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        file,
      },
    );
  }
  // A UTF-8 BOM (PowerShell's Out-File -Encoding utf8) is read; UTF-16 and Latin-1 are named.
  const decoded = decodeUtf8(bytes);
  if ("encoding" in decoded)
    throw new InputError(
      `the Entra snapshot ${encodingAdvice(decoded.encoding, "write it with 'idanchor export entra'")}`,
      { file },
    );
  return parseEntraSnapshot(decoded.text, file);
}

export function formatEntraSnapshot(state: EntraState): string {
  return `${JSON.stringify(toGraphCollections(state), null, 2)}\n`;
}
