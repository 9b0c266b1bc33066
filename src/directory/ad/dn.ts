/** DN handling is shared with the planner (created objects' scope): it lives in src/directory/dn.ts. */
export { dnComponents, dnKey, DnSyntaxError, isWithin } from "../dn.js";
