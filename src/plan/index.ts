export { buildPlan } from "./build-plan.js";
export type * from "./types.js";
export { OUTCOMES, PLAN_VERSION } from "./types.js";
