/**
 * The values idanchor itself would write when it creates an object (`ad: create:`) pass the same
 * rules `hygiene` applies to AD: Entra's UPN rules and AD's sAMAccountName rules. Apply would
 * otherwise write `nina&baker@...` or a 114-character UPN into AD, and the next sync refuse it.
 * Each bad field is its own finding, naming the field and the rule.
 */
import {
  checkSamAccountName,
  checkUserPrincipalName,
  suggestSamAccountName,
  suggestUserPrincipalName,
} from "../address/attribute-rules.js";
import type { ValueProblem } from "../address/attribute-rules.js";
import { printable } from "../address/smtp.js";
import type { ObjectType } from "../model/directory.js";
import type { Position, ValidationFinding } from "./types.js";

export interface CreateFields {
  sAMAccountName?: string;
  userPrincipalName?: string;
}

function finding(
  where: Position,
  path: string,
  value: string,
  problem: ValueProblem,
  consequence: string,
  suggested: string | null,
): ValidationFinding {
  // A suffix no tenant can verify is written as asked; the sync then replaces it (a warning, not a refusal).
  const severity = problem.rule === "NonRoutableDomain" ? "warning" : "error";
  return {
    ...where,
    severity,
    code: "InvalidCreate",
    message: `${path}: '${printable(value)}' ${problem.detail} (rule ${problem.rule}): ${consequence}${suggested && suggested !== value ? `; use e.g. '${suggested}'` : ""}`,
  };
}

/** Findings for the create fields of identities[index]; `at(field)` is where that field stands. */
export function checkCreateFields(
  raw: CreateFields,
  type: ObjectType,
  index: number,
  at: (field: string) => Position,
): ValidationFinding[] {
  const base = `identities[${index}].ad.create`;
  const out: ValidationFinding[] = [];
  const upn = raw.userPrincipalName;
  if (upn !== undefined)
    for (const problem of checkUserPrincipalName(upn))
      out.push(
        finding(
          at("userPrincipalName"),
          `${base}.userPrincipalName`,
          upn,
          problem,
          problem.rule === "NonRoutableDomain"
            ? "Entra Connect replaces such a UPN with <MailNickName>@<tenant>.onmicrosoft.com"
            : "apply would write it to AD and Entra ID would refuse the object at the next sync",
          problem.rule === "NonRoutableDomain" ? null : suggestUserPrincipalName(upn),
        ),
      );
  const sam = raw.sAMAccountName;
  if (sam !== undefined && type !== "contact")
    for (const problem of checkSamAccountName(sam, type))
      out.push(
        finding(
          at("sAMAccountName"),
          `${base}.sAMAccountName`,
          sam,
          problem,
          "AD refuses to create the object with it",
          suggestSamAccountName(sam, type),
        ),
      );
  return out;
}
