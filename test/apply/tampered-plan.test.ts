/**
 * A plan file is a claim, never an authority: every way of editing a saved plan that the issue
 * names is refused against a real Samba AD DC (and the Graph test server), with nothing written.
 * Each tampered plan holds only the identity it tampers with, so "nothing written" is the whole
 * directory, not just that identity.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import type { Plan, PlanIdentity } from "../../src/plan/types.js";
import { cloudId, startFixture } from "./reviewed-plan-fixture.js";
import type { Fixture } from "./reviewed-plan-fixture.js";

let f: Fixture;
let reviewed: Plan;

const only = (key: string, edit: (identity: PlanIdentity) => void): Plan => {
  const copy = structuredClone(reviewed);
  copy.identities = copy.identities.filter((identity) => identity.key === key);
  edit(copy.identities[0]!);
  return copy;
};

async function applyTampered(
  plan: Plan,
): Promise<{ code: number; stderr: string; before: string; after: string }> {
  f.writeJson("tampered.json", plan);
  const before = await f.written();
  const patches = f.graph.count("user-patch");
  const run = await f.cli("apply", "tampered.json", "--identities", "tamper", "--receipt", "receipt.json");
  expect(f.graph.count("user-patch")).toBe(patches);
  return { code: run.code, stderr: run.stderr, before, after: await f.written() };
}

beforeAll(async () => {
  f = await startFixture();
  const plan = await f.cli("plan", "--identities", "tamper", "--out", "reviewed.json", "--format", "json");
  expect(plan.code).toBe(1); // tb is blocked
  reviewed = f.readJson("reviewed.json") as Plan;
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe("apply refuses a tampered plan, writing nothing", () => {
  it("the reviewed plan records a digest of every entry and of what it writes", () => {
    expect(reviewed.writeDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(reviewed.identities.map((i) => i.entryDigest)).toEqual(
      reviewed.identities.map(() => expect.stringMatching(/^sha256:[0-9a-f]{64}$/)),
    );
    expect(new Set(reviewed.identities.map((i) => i.entryDigest)).size).toBe(reviewed.identities.length);
  });

  it("deleted findings: the fresh plan still has the blocking finding", async () => {
    const plan = only("tb", (tb) => {
      expect(tb.findings.map((x) => x.code)).toContain("AttributeValueMustBeUnique");
      expect(tb.changes.length).toBeGreaterThan(0);
      tb.findings = [];
    });

    const run = await applyTampered(plan);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /tb \(.*identities\.yaml:\d+\): not written: .*blocking findings \(AttributeValueMustBeUnique\)/,
    );
    expect(run.after).toBe(run.before);
  });

  it("an identity that is in no YAML file, writing outside the sync scope", async () => {
    const admin = `CN=Administrator,CN=Users,${f.dc.baseDN}`;
    const plan = only("t1", (t1) => {
      t1.key = "ceo";
      t1.dn = admin;
      t1.read.ad = { dn: admin, proxyAddresses: [], mail: null };
      t1.changes = [
        { target: "ad", dn: admin, attribute: "proxyAddresses", add: ["SMTP:ceo@idanchor.test"], remove: [] },
      ];
    });

    const run = await applyTampered(plan);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /ceo \(.*\): not written: it is in no YAML file of the checked-out desired state/,
    );
    expect(run.after).toBe(run.before);
  });

  it("a DN outside syncScope for an identity that is in the YAML", async () => {
    const admin = `CN=Administrator,CN=Users,${f.dc.baseDN}`;
    const plan = only("t1", (t1) => {
      t1.dn = admin;
      if (t1.read.ad) t1.read.ad.dn = admin;
      for (const change of t1.changes) if (change.target === "ad") change.dn = admin;
    });

    const run = await applyTampered(plan);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /t1 \(.*\): not written: the plan writes 'CN=Administrator,CN=Users,.*', outside syncScope/,
    );
    expect(run.after).toBe(run.before);
  });

  it.each([
    [
      "extra attributes",
      { servicePrincipalName: "HTTP/evil" },
      /attributes apply never sets \(servicePrincipalName\)/,
    ],
    [
      "an enabled account",
      { userAccountControl: "66048" },
      /userAccountControl "66048"; apply creates users only disabled \(514\)/,
    ],
    ["no userAccountControl", { userAccountControl: undefined }, /userAccountControl null/],
  ])("a create with %s", async (_name, edit: Record<string, string | undefined>, reason) => {
    const plan = only("tc", (tc) => {
      const create = tc.changes.find((c) => c.attribute === "objectClass");
      if (create?.attribute !== "objectClass") throw new Error("tc has no create");
      expect(create.create.userAccountControl).toBe("514");
      Object.assign(create.create, edit);
      if (edit.userAccountControl === undefined && "userAccountControl" in edit)
        delete create.create.userAccountControl;
    });

    const run = await applyTampered(plan);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`tc \\(.*\\): not written: .*${reason.source}`));
    expect(run.after).toBe(run.before);
    expect(run.after).not.toContain("CN=tc,");
  });

  it("an Entra anchor write for an entry that is not match: hard", async () => {
    const plan = only("t1", (t1) => {
      t1.read.entra = { objectId: cloudId("t1"), onPremisesImmutableId: null };
      t1.changes.push({
        target: "entra",
        objectId: cloudId("t1"),
        attribute: "onPremisesImmutableId",
        add: ["AAAAAAAAAAAAAAAAAAAAAA=="],
        remove: [],
      });
    });

    const run = await applyTampered(plan);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /t1 \(.*\): not written: the plan writes onPremisesImmutableId in Entra, but the YAML entry is 'match: smtp'/,
    );
    expect(run.after).toBe(run.before);
  });

  it("a hard-match write onto another cloud object than the one read", async () => {
    const plan = only("th", (th) => {
      for (const change of th.changes) if (change.target === "entra") change.objectId = cloudId("spare");
    });

    const run = await applyTampered(plan);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/th \(.*\): not written: the plan writes the anchor of cloud object/);
    expect(run.after).toBe(run.before);
  });

  it("an address the entry does not ask for", async () => {
    const plan = only("t1", (t1) => {
      for (const change of t1.changes)
        if (change.attribute === "proxyAddresses") change.add.push("smtp:ceo@idanchor.test");
    });

    const run = await applyTampered(plan);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /t1 \(.*\): not written: the plan adds the proxy address 'smtp:ceo@idanchor.test'/,
    );
    expect(run.after).toBe(run.before);
  });

  it("a removal the fresh plan does not make (the X500 value)", async () => {
    // th, not t1: tb's alias clashes with t1's address, so t1 is blocked in the reviewed plan already.
    const plan = only("th", (th) => {
      for (const change of th.changes)
        if (change.attribute === "proxyAddresses") change.remove.push("X500:/o=Idanchor/cn=th");
    });

    const run = await applyTampered(plan);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /th \(.*\): not written: what the next sync would do changed since the review \(changes /,
    );
    expect(run.after).toBe(run.before);
  });

  it("the entry changed in the YAML after the plan was made", async () => {
    const file = path.join(f.repo.dir, "tamper", "identities.yaml");
    const yaml = f.readText(file);
    writeFileSync(
      file,
      yaml.replace(
        "{ad: t1, cloud: t1@idanchor.onmicrosoft.com, smtp: t1.cloud@idanchor.test}",
        "{ad: t1, cloud: t1@idanchor.onmicrosoft.com, smtp: t1.cloud@idanchor.test, aliases: [t1.other@idanchor.test]}",
      ),
    );
    const plan = only("t1", () => undefined);

    const run = await applyTampered(plan);
    writeFileSync(file, yaml);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /t1 \(.*\): not written: its desired entry changed since the plan was made; plan again and have the new plan reviewed/,
    );
    expect(run.after).toBe(run.before);
  });

  it("a plan without entry digests (made before them, or stripped)", async () => {
    const plan = only("t1", (t1) => {
      delete t1.entryDigest;
    });

    const run = await applyTampered(plan);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /t1 \(.*\): not written: the plan does not say which desired entry it was made from/,
    );
    expect(run.after).toBe(run.before);
  });
});
