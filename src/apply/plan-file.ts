/** Reading a saved plan (`plan --out`): apply trusts nothing in it that the plan schema does not allow. */
import { readFile } from "node:fs/promises";

import { Ajv2020 } from "ajv/dist/2020.js";

import { SCHEMA_DIR } from "../desired/schema.js";
import { InputError } from "../errors.js";
import type { Plan } from "../plan/types.js";
import { PLAN_VERSION } from "../plan/types.js";

export async function readPlanFile(file: string, shown: string = file): Promise<Plan> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(
      `cannot read the plan (${error.code ?? error.message}); pass the file 'idanchor plan --out' wrote`,
      {
        file: shown,
      },
    );
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `is not JSON (${(error as Error).message.replace(/\s+/g, " ")}); pass the file 'idanchor plan --out' wrote`,
      {
        file: shown,
      },
    );
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (version !== PLAN_VERSION)
    throw new InputError(
      `plan version ${JSON.stringify(version)} is not ${PLAN_VERSION}; plan again with this idanchor version`,
      { file: shown },
    );
  const schema = JSON.parse(await readFile(new URL("plan.schema.json", SCHEMA_DIR), "utf8")) as object;
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw new InputError(
      `is not a valid plan: ${first?.instancePath || "/"} ${first?.message ?? ""}; plan again instead of editing the file`,
      { file: shown },
    );
  }
  return data as Plan;
}
