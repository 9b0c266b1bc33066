/** The AD side of a mapping: which proxyAddresses and mail values the object ends with. */
import { describe, expect, it } from "@jest/globals";

import { buildPlan } from "../../src/plan/index.js";
import type { Plan } from "../../src/plan/index.js";
import type { AdState, EntraState } from "../../src/model/directory.js";
import type { DesiredState } from "../../src/desired/types.js";
import { BASE_DN, ad, adObject, cloudUser, desired, entra, identity } from "./builders.js";

const alice = (fields = {}) =>
  adObject(1, { sAMAccountName: "asmith", proxyAddresses: ["SMTP:asmith@contoso.com"], ...fields });

function plan(d: DesiredState, a: AdState, e: EntraState): Plan {
  return buildPlan(d, a, e);
}

describe("AD changes", () => {
  const cloud = entra({
    users: [
      cloudUser("u1", {
        userPrincipalName: "alice@contoso.onmicrosoft.com",
        proxyAddresses: ["SMTP:alice.smith@contoso.com"],
      }),
    ],
  });
  const current = [
    "X500:/o=Contoso/ou=Exchange/cn=Recipients/cn=asmith",
    "SMTP:asmith@contoso.com",
    "smtp:old@contoso.com",
    "SIP:asmith@contoso.com",
  ];

  it("makes the desired address the only primary, demotes the old one, adds aliases and sets mail; other types untouched", () => {
    const p = plan(
      desired([identity({ smtp: "alice.smith@contoso.com", aliases: ["a.smith@contoso.com"] })]),
      ad(alice({ proxyAddresses: current, mail: "asmith@contoso.com" })),
      cloud,
    );

    expect(p.identities[0]?.changes).toEqual([
      {
        target: "ad",
        dn: `CN=asmith,OU=Staff,${BASE_DN}`,
        attribute: "proxyAddresses",
        add: ["smtp:asmith@contoso.com", "SMTP:alice.smith@contoso.com", "smtp:a.smith@contoso.com"],
        remove: ["SMTP:asmith@contoso.com"],
      },
      {
        target: "ad",
        dn: `CN=asmith,OU=Staff,${BASE_DN}`,
        attribute: "mail",
        add: ["alice.smith@contoso.com"],
        remove: ["asmith@contoso.com"],
      },
    ]);
  });

  it("under policy exact removes unlisted smtp values but never other types", () => {
    const p = plan(
      desired([identity({ smtp: "alice.smith@contoso.com" })], "exact"),
      ad(alice({ proxyAddresses: current, mail: "alice.smith@contoso.com" })),
      cloud,
    );

    expect(p.identities[0]?.changes).toEqual([
      {
        target: "ad",
        dn: `CN=asmith,OU=Staff,${BASE_DN}`,
        attribute: "proxyAddresses",
        add: ["SMTP:alice.smith@contoso.com"],
        remove: ["SMTP:asmith@contoso.com", "smtp:old@contoso.com"],
      },
    ]);
  });

  it("changes nothing when the object is already right, whatever the case", () => {
    const p = plan(
      desired([identity({ smtp: "Alice.Smith@contoso.com", aliases: ["ASMITH@contoso.com"] })]),
      ad(
        alice({
          proxyAddresses: ["SMTP:alice.smith@contoso.com", "smtp:asmith@contoso.com"],
          mail: "alice.smith@contoso.com",
        }),
      ),
      cloud,
    );

    expect(p.identities[0]?.changes).toEqual([]);
    expect(p.summary.changes).toBe(0);
  });

  it("never changes objects that are not in the desired state", () => {
    const bystander = adObject(2, { sAMAccountName: "bystander", proxyAddresses: ["SMTP:by@contoso.com"] });

    const p = plan(desired([identity({ smtp: "alice.smith@contoso.com" })]), ad(alice(), bystander), cloud);

    expect(
      p.identities.flatMap((i) => i.changes).every((c) => c.target === "ad" && c.dn === alice().dn),
    ).toBe(true);
  });
});
