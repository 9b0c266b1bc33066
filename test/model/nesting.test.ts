/**
 * valueTooDeep (the walk of a parsed value) and jsonTooDeep (the scan of its text) agree on every
 * value: the Entra snapshot is parsed first and walked, and only a value found too deep is scanned
 * for its line.
 */
import { describe, expect, it } from "@jest/globals";

import { jsonTooDeep, valueTooDeep } from "../../src/model/nesting.js";

/** A small deterministic generator (no Math.random: a failure reproduces). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function value(next: () => number, depth: number): unknown {
  const r = next();
  if (depth <= 0 || r < 0.25) return r < 0.1 ? null : r < 0.18 ? 'a[{"]}' : Math.floor(r * 100);
  const n = Math.floor(next() * 4);
  const items = Array.from({ length: n }, () => value(next, depth - 1 - Math.floor(next() * 2)));
  if (next() < 0.5) return items;
  return Object.fromEntries(items.map((item, i) => [`k${i}[`, item]));
}

describe("valueTooDeep", () => {
  it("agrees with jsonTooDeep on 3,000 random values and limits", () => {
    const next = random(21);
    let deep = 0;
    for (let n = 0; n < 3000; n++) {
      const v = value(next, 2 + Math.floor(next() * 12));
      const limit = 1 + Math.floor(next() * 10);
      const walked = valueTooDeep(v, limit);
      expect([n, walked]).toEqual([n, jsonTooDeep(JSON.stringify(v), limit) !== null]);
      if (walked) deep++;
    }
    // Both answers occur often.
    expect(deep).toBeGreaterThan(300);
    expect(deep).toBeLessThan(2700);
  });

  it("walks 100,000 levels without recursion", () => {
    const v = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`) as unknown;
    expect(valueTooDeep(v, 64)).toBe(true);
    expect(valueTooDeep(v, 100_000)).toBe(false);
    expect(valueTooDeep([[]], 2)).toBe(false);
    expect(valueTooDeep([[[]]], 2)).toBe(true);
    expect(valueTooDeep("x", 0)).toBe(false);
  });
});
