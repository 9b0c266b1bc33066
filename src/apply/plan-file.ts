/**
 * The one reader of a saved plan (`plan --out`), used by apply, the github steps and drift: the
 * version first, then the plan schema, so every command refuses a bad file with the same message.
 */
import { readFile } from "node:fs/promises";

import { schemaValidator } from "../desired/json-schema.js";
import { InputError } from "../model/errors.js";
import { jsonTooDeep, tooDeepMessage } from "../model/nesting.js";
import type { Plan } from "../plan/types.js";
import { PLAN_VERSION } from "../plan/types.js";

/** Reads `file`; errors name it as `shown` (what the user typed). */
export async function readPlanFile(file: string, shown: string = file): Promise<Plan> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(
      `cannot read the plan (${error.code ?? error.message}); pass the file 'idanchor plan --out' wrote`,
      { file: shown },
    );
  });
  const deep = jsonTooDeep(text);
  if (deep) throw new InputError(tooDeepMessage(shown, deep), { file: shown, ...deep });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `is not JSON (${(error as Error).message.replace(/\s+/g, " ")}); pass the file 'idanchor plan --out' wrote`,
      { file: shown },
    );
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (version !== PLAN_VERSION)
    throw new InputError(
      `plan version ${JSON.stringify(version)} is not ${PLAN_VERSION}; plan again with this idanchor version`,
      { file: shown },
    );
  const validate = schemaValidator("plan.schema.json");
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw new InputError(
      `is not a valid plan: ${first?.instancePath || "/"} ${first?.message ?? ""}; plan again instead of editing the file`,
      { file: shown },
    );
  }
  return data as Plan;
}
