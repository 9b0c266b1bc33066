import { describe, expect, it } from "@jest/globals";

import { applyPlan } from "../../src/apply/apply-plan.js";
import { massChangeRefusal } from "../../src/apply/guards.js";
import { buildPlan } from "../../src/plan/index.js";
import type { Plan } from "../../src/plan/index.js";
import type { AdObject } from "../../src/model/directory.js";
import { FakeDirectories } from "../support/fake-ports.js";
import { ad, adObject, anchorOf, cloudUser, desired, entra, identity } from "../plan/builders.js";

const options = { concurrency: 4, now: () => new Date("2026-11-25T10:00:00Z"), commit: null };

function scenario(count: number): { plan: Plan; dirs: FakeDirectories; objects: AdObject[] } {
  const objects = Array.from({ length: count }, (_, i) =>
    adObject(i + 1, {
      proxyAddresses: ["X500:/o=Contoso/cn=u" + i, `SMTP:old${i}@contoso.com`],
      mail: `old${i}@contoso.com`,
    }),
  );
  const users = objects.map((_, i) =>
    cloudUser(`u${i}`, {
      userPrincipalName: `u${i}@contoso.onmicrosoft.com`,
      proxyAddresses: [`SMTP:new${i}@contoso.com`],
    }),
  );
  const d = desired(
    objects.map((o, i) =>
      identity({ sam: o.sAMAccountName!, upn: `u${i}@contoso.onmicrosoft.com`, smtp: `new${i}@contoso.com` }),
    ),
  );
  const plan = buildPlan(d, ad(...objects), entra({ users }));
  const dirs = new FakeDirectories();
  for (const o of objects) dirs.adObjects.set(o.dn, { proxyAddresses: o.proxyAddresses, mail: o.mail });
  return { plan, dirs, objects };
}

describe("applyPlan", () => {
  it("writes every planned object once, keeps X500 values, and a second run is a no-op", async () => {
    const { plan, dirs, objects } = scenario(3);

    const first = (await applyPlan(plan, dirs, options)).receipt;
    const second = (await applyPlan(plan, dirs, options)).receipt;

    expect(first.summary).toEqual({ applied: 3, conflict: 0, skipped: 0, failed: 0 });
    expect(dirs.adObjects.get(objects[0]!.dn)).toEqual({
      proxyAddresses: ["X500:/o=Contoso/cn=u0", "smtp:old0@contoso.com", "SMTP:new0@contoso.com"],
      mail: "new0@contoso.com",
    });
    expect(second.summary).toEqual({ applied: 0, conflict: 0, skipped: 3, failed: 0 });
    expect(dirs.adWrites).toBe(3);
  });

  it("after a cut half-way, a rerun writes only what is missing and converges", async () => {
    const { plan, dirs } = scenario(10);
    dirs.failAdWritesAfter = 4;

    const cut = (await applyPlan(plan, dirs, { ...options, concurrency: 1 })).receipt;
    dirs.failAdWritesAfter = Infinity;
    const rerun = (await applyPlan(plan, dirs, options)).receipt;

    expect(cut.summary).toEqual({ applied: 4, conflict: 0, skipped: 0, failed: 6 });
    expect(rerun.summary).toEqual({ applied: 6, conflict: 0, skipped: 4, failed: 0 });
    expect(dirs.adWrites).toBe(10);
  });

  it("reports a value changed by another writer as a conflict and leaves it alone", async () => {
    const { plan, dirs, objects } = scenario(2);
    const theirs = { proxyAddresses: ["SMTP:someone.else@contoso.com"], mail: "someone.else@contoso.com" };
    dirs.adObjects.set(objects[1]!.dn, theirs);

    const receipt = (await applyPlan(plan, dirs, options)).receipt;

    expect(receipt.objects.map((o) => [o.object, o.result])).toEqual([
      [objects[0]!.dn, "applied"],
      [objects[1]!.dn, "conflict"],
    ]);
    expect(dirs.adObjects.get(objects[1]!.dn)).toEqual(theirs);
  });

  it("never writes identities with blocking findings, nor a joined object's anchor without rebind", async () => {
    const alice = adObject(1, { sAMAccountName: "asmith", proxyAddresses: ["SMTP:a@contoso.com"] });
    const cloud = cloudUser("u1", {
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:alice@contoso.com"],
      onPremisesImmutableId: anchorOf(77),
    });
    const d = desired([identity({ smtp: "alice@contoso.com" })]);
    const plan = buildPlan(d, ad(alice), entra({ users: [cloud] }));
    const dirs = new FakeDirectories();
    dirs.adObjects.set(alice.dn, { proxyAddresses: alice.proxyAddresses, mail: null });

    const receipt = (await applyPlan(plan, dirs, options)).receipt;

    expect(receipt.objects.map((o) => [o.result, o.error])).toEqual([
      ["skipped", "not written: blocking findings (InvalidSoftMatch)"],
    ]);
    expect(dirs.adWrites).toBe(0);
  });

  it("sets the hard-match anchor after the AD side, and skips it when already set", async () => {
    const alice = adObject(1, {
      sAMAccountName: "asmith",
      proxyAddresses: ["SMTP:alice@contoso.com"],
      mail: "alice@contoso.com",
    });
    const cloud = cloudUser("u1", {
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:alice@contoso.com"],
    });
    const d = desired([identity({ smtp: "alice@contoso.com", match: "hard" })]);
    const plan = buildPlan(d, ad(alice), entra({ users: [cloud] }));
    const dirs = new FakeDirectories();
    dirs.adObjects.set(alice.dn, { proxyAddresses: alice.proxyAddresses, mail: alice.mail });
    dirs.immutableIds.set("u1", null);

    const first = (await applyPlan(plan, dirs, options)).receipt;
    const second = (await applyPlan(plan, dirs, options)).receipt;

    expect(first.objects.map((o) => [o.target, o.result])).toEqual([["entra", "applied"]]);
    expect(dirs.immutableIds.get("u1")).toBe(anchorOf(1));
    expect(second.objects.map((o) => [o.target, o.result])).toEqual([["entra", "skipped"]]);
  });

  it("refuses a plan with more object changes than the policy allows, unless allowed explicitly", () => {
    const { plan } = scenario(5);

    expect(massChangeRefusal(plan, { maxChangesPerApply: 4, allowMassChange: null })).toMatch(
      /changes 5 objects, more than policy.maxChangesPerApply \(4\)/,
    );
    expect(massChangeRefusal(plan, { maxChangesPerApply: 4, allowMassChange: 5 })).toBeNull();
    expect(massChangeRefusal(plan, { maxChangesPerApply: 4, allowMassChange: 3 })).toMatch(
      /--allow-mass-change 3/,
    );
  });
});

describe("the 2026 anchor hardening", () => {
  it("never writes an onPremisesImmutableId over an existing, different one, even from an older plan", async () => {
    const onPrem = adObject(1, { proxyAddresses: ["SMTP:alice@contoso.com"], mail: "alice@contoso.com" });
    const mapped = cloudUser("u1", {
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:alice@contoso.com"],
      onPremisesImmutableId: anchorOf(77),
    });
    const d = desired([identity({ sam: onPrem.sAMAccountName!, smtp: "alice@contoso.com", match: "hard" })]);
    const plan = buildPlan(d, ad(onPrem), entra({ users: [mapped] }));
    // The change an earlier idanchor planned for the same state: replace the anchor.
    const older: Plan = {
      ...plan,
      identities: plan.identities.map((i) => ({
        ...i,
        findings: [],
        changes: [
          {
            target: "entra",
            objectId: "u1",
            attribute: "onPremisesImmutableId",
            add: [anchorOf(1)],
            remove: [anchorOf(77)],
          },
        ],
      })),
    };
    const dirs = new FakeDirectories();
    dirs.adObjects.set(onPrem.dn, { proxyAddresses: onPrem.proxyAddresses, mail: onPrem.mail });
    dirs.immutableIds.set("u1", anchorOf(77));

    const result = await applyPlan(older, dirs, options);

    expect(plan.identities[0]?.changes.filter((c) => c.target === "entra")).toEqual([]);
    expect(result.receipt.summary.applied).toBe(0);
    expect(result.refused.map((r) => r.reason)).toEqual([expect.stringContaining("HardMatchRemapBlocked")]);
    expect(dirs.immutableIds.get("u1")).toBe(anchorOf(77));
    expect(dirs.entraWrites).toBe(0);
  });
});
