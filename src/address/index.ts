export * from "./smtp.js";
export * from "./proxy-address.js";
export * from "./guid.js";
