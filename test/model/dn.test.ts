/**
 * DN comparison takes a direct path for DNs without escapes, multi-valued RDNs or surrogates, and
 * the escape-aware path otherwise: the same name written both ways must give the same key.
 */
import { describe, expect, it } from "@jest/globals";

import { dnKey, isWithin, withinAny } from "../../src/model/dn.js";

/** `value` with character i written as RFC 4514 hex escapes of its UTF-8 bytes. */
function escapeAt(value: string, i: number): string {
  const hex = [...Buffer.from(value[i]!, "utf8")].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
  return value.slice(0, i) + hex + value.slice(i + 1);
}

describe("DN keys", () => {
  it("a DN and the same DN with escaped characters, other case and spaces have one key", () => {
    let seed = 3;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const words = ["User 5", "Staff", "bench", "Ünïcode", "a-b_c", "Smith Jones", "x"];
    for (let n = 0; n < 2000; n++) {
      const rdns = Array.from({ length: 2 + Math.floor(random() * 4) }, (_, i) => {
        const type = ["CN", "OU", "DC"][i === 0 ? 0 : 1 + Math.floor(random() * 2)]!;
        return [type, words[Math.floor(random() * words.length)]!] as const;
      });
      const plain = rdns.map(([t, v]) => `${t}=${v}`).join(",");
      const variant = rdns
        .map(([t, v]) => {
          const value = random() < 0.5 ? escapeAt(v, Math.floor(random() * v.length)) : v;
          return `${random() < 0.5 ? t.toLowerCase() : t} = ${random() < 0.5 ? value.toUpperCase() : value}`;
        })
        .join(random() < 0.5 ? ", " : ",");
      expect({ variant, key: dnKey(variant) }).toEqual({ variant, key: dnKey(plain) });
      const parent = rdns
        .slice(1)
        .map(([t, v]) => `${t}=${v}`)
        .join(",");
      expect(isWithin(variant, parent)).toBe(true);
      expect(withinAny(parent, [variant])).toBe(false);
    }
  });

  it("keeps escaped separators inside a value apart from real separators", () => {
    expect(dnKey("CN=Smith\\, Alice,OU=Staff")).not.toBe(dnKey("CN=Smith,CN=Alice,OU=Staff"));
    expect(dnKey("CN=Smith\\2C Alice,OU=Staff")).toBe(dnKey("cn=smith\\, alice, ou=staff"));
    expect(dnKey("CN=a+UID=b,OU=x")).toBe(dnKey("UID=b+CN=a,OU=x"));
  });
});
