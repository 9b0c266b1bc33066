export { checkHygiene, isExportedByConnect } from "./check.js";
export type * from "./types.js";
