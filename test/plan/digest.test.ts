/** The digests a plan carries: of each desired entry, and of what it writes (also in the PR comment's marker). */
import { describe, expect, it } from "@jest/globals";

import { canonicalJson, digestOf, digestOfList, entryDigest } from "../../src/desired/digest.js";
import { buildPlan } from "../../src/plan/index.js";
import { renderPlanMarkdown } from "../../src/render/plan-markdown.js";
import { ad, adObject, cloudUser, desired, entra, identity } from "./builders.js";

const live = (): [ReturnType<typeof ad>, ReturnType<typeof entra>] => [
  ad(adObject(1, { sAMAccountName: "asmith", proxyAddresses: ["SMTP:asmith@contoso.com"] })),
  entra({
    users: [
      cloudUser("u1", {
        userPrincipalName: "alice@contoso.onmicrosoft.com",
        proxyAddresses: ["SMTP:alice.smith@contoso.com"],
      }),
    ],
  }),
];
const alice = (smtp: string) =>
  desired([identity({ sam: "asmith", upn: "alice@contoso.onmicrosoft.com", smtp })]);

describe("plan digests", () => {
  it("the same desired state and directories give the same digests; another entry or change gives others", () => {
    const [a, e] = live();

    const one = buildPlan(alice("alice.smith@contoso.com"), a, e);
    const same = buildPlan(alice("alice.smith@contoso.com"), ...live());
    const other = buildPlan(alice("alice@contoso.com"), a, e);

    expect(one.writeDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(same.writeDigest).toBe(one.writeDigest);
    expect(same.identities[0]!.entryDigest).toBe(one.identities[0]!.entryDigest);
    expect(other.writeDigest).not.toBe(one.writeDigest);
    expect(other.identities[0]!.entryDigest).not.toBe(one.identities[0]!.entryDigest);
  });

  it("moving an entry in the YAML changes neither digest", () => {
    const moved = alice("alice.smith@contoso.com");
    moved.identities[0]!.source = { file: "identities/other.yaml", line: 40, column: 5 };

    const plan = buildPlan(moved, ...live());

    expect(plan.identities[0]!.entryDigest).toBe(
      buildPlan(alice("alice.smith@contoso.com"), ...live()).identities[0]!.entryDigest,
    );
  });

  it("the PR comment's hidden marker carries the write digest", () => {
    const plan = buildPlan(alice("alice.smith@contoso.com"), ...live());

    const markdown = renderPlanMarkdown(plan);

    expect(markdown.split("\n").slice(0, 2)).toEqual([
      "<!-- idanchor:plan -->",
      `<!-- idanchor:plan-digest ${plan.writeDigest} -->`,
    ]);
  });
});

describe("canonicalJson", () => {
  /** The definition, written plainly: sorted keys, undefined members left out. */
  const reference = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
    if (value !== null && typeof value === "object")
      return `{${Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`)
        .join(",")}}`;
    return JSON.stringify(value);
  };

  it("gives the plain definition's text for random data (keys in every script, nesting, nulls)", () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    // Enough keys for objects past the insertion sort's limit (16) too.
    const keys = ["a", "B", "é", "ad", "aliases", "z", "10", "2", "_", "ü", "\u{1F600}", "key", ""].concat(
      Array.from({ length: 12 }, (_, i) => `k${11 - i}`),
    );
    const leaves = [null, true, false, 0, -1.5, 's"\\', "é\u0001", undefined];
    const make = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.3) return leaves[Math.floor(random() * leaves.length)];
      if (r < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => make(depth + 1));
      const out: Record<string, unknown> = {};
      const width = random() < 0.1 ? 40 : 5;
      for (let i = 0; i < random() * width; i++)
        out[keys[Math.floor(random() * keys.length)]!] = make(depth + 1);
      return out;
    };
    // Values JSON.stringify would write otherwise: a hole, a Date and its toJSON, a member that is a function.
    const holey: unknown[] = [];
    holey[1] = 1;
    const odd: unknown[] = [
      holey,
      [undefined, "x"],
      new Date(0),
      { a: 1, toJSON: () => "no" },
      { a: () => 1 },
    ];
    for (const value of odd) expect(canonicalJson(value)).toBe(reference(value));
    for (let i = 0; i < 20_000; i++) {
      const value = make(0);
      if (value === undefined) continue;
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });
});

describe("entryDigest", () => {
  it("is the digest of the entry's canonical JSON, for every kind of entry of the demo", async () => {
    const { loadDesiredState } = await import("../../src/desired/index.js");
    const root = new URL("../..", import.meta.url).pathname;
    const loaded = await loadDesiredState("identities", root);
    const identities = loaded.state?.identities ?? [];
    expect(new Set(identities.map((i) => i.ad.kind)).size).toBeGreaterThanOrEqual(3);
    for (const identity of identities) {
      const { key, ad, type, cloud, smtp, aliases, match, rebind } = identity;
      expect(entryDigest(identity)).toBe(digestOf({ key, ad, type, cloud, smtp, aliases, match, rebind }));
    }
  });
});

describe("writeDigest", () => {
  it("is the digest of the canonical list of {key, changes} of the identities that write", () => {
    const [adState, entraState] = live();
    const plan = buildPlan(alice("alice.smith@contoso.com"), adState, entraState);
    const writes = plan.identities
      .filter((i) => i.changes.length > 0)
      .map((i) => ({ key: i.key, changes: i.changes }));
    expect(writes.length).toBeGreaterThan(0);
    expect(plan.writeDigest).toBe(digestOf(writes));
    const quiet = buildPlan(desired([]), adState, entraState);
    expect(quiet.writeDigest).toBe(digestOf([]));
  });
});

describe("digestOfList", () => {
  it("is digestOf of the same items as an array", () => {
    const lists: unknown[][] = [
      [],
      [1],
      [{ b: 1, a: [null, "x"] }, "y", [3, { c: undefined }]],
      [undefined, 2],
    ];
    for (const list of lists) expect(digestOfList(list)).toBe(digestOf(list));
  });
});
