export { buildPlan, liveIndexFor, streamPlan } from "./build-plan.js";
export type { PlanRest, PlanStream } from "./build-plan.js";
export type * from "./types.js";
export { OUTCOMES, PLAN_VERSION } from "./types.js";
export { compareWithBase } from "./compare.js";
export type { CompareInput } from "./compare.js";
export { countPlan, hasBlockingError, isQuiet, shownOutcome } from "./counts.js";
export { LiveIndex } from "./live-index.js";
