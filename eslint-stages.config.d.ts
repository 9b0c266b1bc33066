import type { Linter } from "eslint";

/** The stage-boundary blocks of eslint.config.js (see eslint-stages.config.js). */
export function stageBoundaries(): Linter.Config[];
