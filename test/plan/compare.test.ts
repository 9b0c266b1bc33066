/** The base comparison, pure: which entries a change touches, which it affects, what a removal leaves. */
import { describe, expect, it } from "@jest/globals";

import { LiveIndex, buildPlan, compareWithBase } from "../../src/plan/index.js";
import type { DesiredState } from "../../src/desired/types.js";
import { ad, adObject, anchorOf, cloudUser, desired, entra, identity } from "./builders.js";

const live = {
  ad: ad(
    adObject(1, {
      sAMAccountName: "asmith",
      proxyAddresses: ["SMTP:asmith@corp.contoso.com"],
      mail: "asmith@corp.contoso.com",
    }),
    adObject(2, {
      sAMAccountName: "bjones",
      proxyAddresses: ["SMTP:bob@contoso.com"],
      mail: "bob@contoso.com",
    }),
    adObject(3, {
      sAMAccountName: "cwhite",
      proxyAddresses: ["SMTP:carol@contoso.com"],
      mail: "carol@contoso.com",
    }),
  ),
  entra: entra({
    users: [
      cloudUser("u1", {
        userPrincipalName: "alice@contoso.onmicrosoft.com",
        proxyAddresses: ["SMTP:alice@contoso.com"],
      }),
      cloudUser("u2", {
        userPrincipalName: "bob@contoso.onmicrosoft.com",
        proxyAddresses: ["SMTP:bob@contoso.com"],
        onPremisesImmutableId: anchorOf(2),
        onPremisesSyncEnabled: true,
      }),
      cloudUser("u3", {
        userPrincipalName: "carol@contoso.onmicrosoft.com",
        proxyAddresses: ["SMTP:carol@contoso.com"],
        onPremisesImmutableId: anchorOf(3),
        onPremisesSyncEnabled: true,
      }),
    ],
  }),
};

const alice = identity({ sam: "asmith", upn: "alice@contoso.onmicrosoft.com", smtp: "alice@contoso.com" });
const bob = identity({ sam: "bjones", upn: "bob@contoso.onmicrosoft.com", smtp: "bob@contoso.com" });
const carol = identity({ sam: "cwhite", upn: "carol@contoso.onmicrosoft.com", smtp: "carol@contoso.com" });

function compare(base: DesiredState, head: DesiredState) {
  const plan = (d: DesiredState) => buildPlan(d, live.ad, live.entra);
  return compareWithBase({
    ref: "main",
    commit: "0".repeat(40),
    base: { desired: base, plan: plan(base) },
    problem: null,
    head: { desired: head, plan: plan(head) },
    live: new LiveIndex(live.ad, live.entra),
  });
}

describe("compareWithBase", () => {
  it("an entry moved to another line is no edit; nothing changes, nothing is listed", () => {
    const moved = { ...alice, source: { file: "identities/other.yaml", line: 40, column: 5 } };

    const result = compare(desired([alice, bob]), desired([bob, moved]));

    expect(result.identities).toEqual([]);
  });

  it("giving one entry an address another object still holds affects that unchanged entry", () => {
    // alice's object keeps its old primary as an alias; bob's entry now wants it.
    const taken = { ...bob, aliases: ["asmith@corp.contoso.com"] };

    const result = compare(desired([alice, bob]), desired([alice, taken]));

    expect(result.identities.map((r) => [r.key, r.status])).toEqual([
      ["bjones", "edited"],
      ["asmith", "affected"],
    ]);
    expect(result.identities[1]!.base?.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  it("a removed entry says what the next sync does with the object now that nothing manages it", () => {
    const result = compare(desired([alice, carol]), desired([alice]));

    expect(result.identities).toEqual([
      {
        key: "cwhite",
        status: "removed",
        base: expect.objectContaining({ key: "cwhite", outcome: "joined" }),
        released: {
          dn: live.ad.objects[2]!.dn,
          outcome: "joined",
          via: "anchor",
          cloudId: "u3",
          cloudName: "carol@contoso.onmicrosoft.com",
          findings: [],
        },
      },
    ]);
    expect(result.counts?.identities).toBe(2);
  });
});
