/** The hygiene report: every attribute value in the sync scope that the next sync would refuse. */
import type { ObjectType } from "../model/directory.js";
import type { ValueRule } from "../address/attribute-rules.js";

export type HygieneAttribute =
  "userPrincipalName" | "mail" | "mailNickname" | "sAMAccountName" | "proxyAddresses";

export type HygieneRule =
  | ValueRule
  | "MissingUserPrincipalName"
  /** Entra's own error name for a value another object already holds. */
  | "AttributeValueMustBeUnique";

export interface HygieneProblem {
  dn: string;
  objectClass: ObjectType;
  attribute: HygieneAttribute;
  value: string;
  rule: HygieneRule;
  severity: "error" | "warning";
  /** What the next sync does with the value, and why. */
  message: string;
  /** What to change, with the cmdlet where one does it. */
  fix: string;
  /** A value the rules accept, where one can be derived; null when a person must choose. */
  suggested: string | null;
}

export interface HygieneSummary {
  /** Users, groups and contacts read. */
  objects: number;
  /** Of those, inside the sync scope and exported by Entra Connect: the ones checked. */
  checked: number;
  /** In scope but never exported by Entra Connect (its service accounts, system mailboxes ...). */
  excluded: number;
  /** Cloud objects compared against, or null when Entra was not read. */
  cloudObjects: number | null;
  problems: number;
  errors: number;
  warnings: number;
  /** Problems per rule, for a quick overview. */
  byRule: Partial<Record<HygieneRule, number>>;
}

export interface HygieneReport {
  version: 1;
  problems: HygieneProblem[];
  summary: HygieneSummary;
}
