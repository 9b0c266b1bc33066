/** The digests a plan carries: of each desired entry, and of what it writes (also in the PR comment's marker). */
import { describe, expect, it } from "@jest/globals";

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
