export type * from "./types.js";
export type { ImportOptions } from "./propose.js";
export type { WriteOptions } from "./write-yaml.js";
export { proposeIdentityMap } from "./propose.js";
export { renderImportYaml } from "./write-yaml.js";
export { verifiedDomainsFor } from "./domains.js";
