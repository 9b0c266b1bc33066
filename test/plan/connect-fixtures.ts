/** Shared pieces of the DESIGN 2b scenario tests: one on-prem Alice, her cloud user, and the verdict. */
import { buildPlan } from "../../src/plan/index.js";
import type { Plan, PlanIdentity } from "../../src/plan/index.js";
import type { AdState, EntraState, ExchangeAttributes } from "../../src/model/directory.js";
import type { DesiredState } from "../../src/desired/types.js";
import { adObject, cloudUser, desired, identity } from "./builders.js";

export function plan(d: DesiredState, a: AdState, e: EntraState): Plan {
  return buildPlan(d, a, e);
}

const OVERWRITE_CODES = ["PasswordWillBeOverwritten", "CloudValuesWillBeOverwritten"];

export function verdict(p: PlanIdentity | undefined) {
  const codes = p?.findings.map((f) => f.code).filter((c) => !OVERWRITE_CODES.includes(c));
  return { outcome: p?.outcome, via: p?.via, cloudId: p?.cloudId, codes };
}

export const exchange = (fields: Partial<ExchangeAttributes>): ExchangeAttributes => ({
  policiesExcluded: ["{26491cfc-9e50-4857-861b-0cb8df22b5d7}"],
  policiesIncluded: [],
  recipientTypeDetails: null,
  targetAddress: null,
  ...fields,
});

export const DOMAINS = [
  { id: "contoso.com", isVerified: true, isInitial: false },
  { id: "contoso.onmicrosoft.com", isVerified: true, isInitial: true },
];

export const alice = (fields = {}) =>
  adObject(1, {
    sAMAccountName: "asmith",
    userPrincipalName: "alice@contoso.onmicrosoft.com",
    proxyAddresses: ["SMTP:alice@contoso.com"],
    ...fields,
  });
export const aliceCloud = (fields = {}) =>
  cloudUser("u1", {
    userPrincipalName: "alice@contoso.onmicrosoft.com",
    proxyAddresses: ["SMTP:alice@contoso.com"],
    ...fields,
  });
export const aliceYaml = (fields = {}) => desired([identity({ smtp: "alice@contoso.com", ...fields })]);
