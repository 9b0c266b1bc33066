/**
 * Apply against a real Samba AD DC: the round trip plan -> apply -> plan, a connection cut at twenty
 * points of a 200-object apply (every object fully old or fully new, and a rerun converges), a value
 * changed by another writer between plan and apply, and the guards (nothing written when refused).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { applyPlan } from "../../src/apply/apply-plan.js";
import type { ApplyPorts } from "../../src/model/ports.js";
import type { DesiredIdentity, DesiredState } from "../../src/desired/types.js";
import { openLdap } from "../../src/directory/ad/index.js";
import type { LdapDirectory } from "../../src/directory/ad/index.js";
import type { AdObject, EntraState } from "../../src/model/directory.js";
import { buildPlan } from "../../src/plan/index.js";
import type { Plan } from "../../src/plan/index.js";
import { cloudUser, entra, identity, settings } from "../plan/builders.js";
import { startSambaDc } from "../support/samba.js";
import type { SambaDc } from "../support/samba.js";
import { startTcpProxy } from "../support/tcp-proxy.js";

const COUNT = 200;
const X500 = (i: number): string => `X500:/o=Contoso/ou=Exchange Administrative Group/cn=Recipients/cn=u${i}`;
const oldAddress = (i: number): string => `u${i}.old@idanchor.test`;
const newAddress = (i: number): string => `u${i}.new@idanchor.test`;

let dc: SambaDc;
let staff: string;

function userLdif(i: number): string {
  return [
    `dn: CN=User ${i},${staff}`,
    "objectClass: user",
    `sAMAccountName: u${i}`,
    `userPrincipalName: u${i}@idanchor.test`,
    `mail: ${oldAddress(i)}`,
    `proxyAddresses: ${X500(i)}`,
    `proxyAddresses: SMTP:${oldAddress(i)}`,
    "",
  ].join("\n");
}

function resetLdif(i: number): string {
  return [
    `dn: CN=User ${i},${staff}`,
    "changetype: modify",
    "replace: proxyAddresses",
    `proxyAddresses: ${X500(i)}`,
    `proxyAddresses: SMTP:${oldAddress(i)}`,
    "-",
    "replace: mail",
    `mail: ${oldAddress(i)}`,
    "-",
    "",
  ].join("\n");
}

const cloud: EntraState = entra({
  users: Array.from({ length: COUNT }, (_, i) =>
    cloudUser(`cloud-${i}`, {
      userPrincipalName: `u${i}@idanchor.onmicrosoft.com`,
      proxyAddresses: [`SMTP:${newAddress(i)}`],
    }),
  ),
});

function desiredFor(indexes: number[], maxChangesPerApply = 1000): DesiredState {
  const base = settings();
  const identities: DesiredIdentity[] = indexes.map((i) =>
    identity({ sam: `u${i}`, upn: `u${i}@idanchor.onmicrosoft.com`, smtp: newAddress(i) }),
  );
  return {
    settings: {
      ...base,
      activeDirectory: dc.settings(),
      policy: { aliases: "additive", maxChangesPerApply },
    },
    settingsSource: { file: "identities/settings.yaml", line: 1, column: 1 },
    identities,
  };
}

async function connect(url = dc.url): Promise<LdapDirectory> {
  return openLdap({ settings: dc.settings({ url }), settingsDir: dc.dir, env: dc.env });
}

async function planFor(indexes: number[]): Promise<Plan> {
  const ldap = await connect();
  try {
    const desired = desiredFor(indexes);
    return buildPlan(desired, await ldap.readAll(), cloud);
  } finally {
    await ldap.close();
  }
}

async function liveUsers(): Promise<Map<string, AdObject>> {
  const ldap = await connect();
  try {
    const state = await ldap.readAll();
    return new Map(state.objects.filter((o) => o.sAMAccountName).map((o) => [o.sAMAccountName!, o]));
  } finally {
    await ldap.close();
  }
}

/** "old", "new", or a description of the half-written state that must never exist. */
function stateOf(object: AdObject, i: number): string {
  const values = JSON.stringify([[...object.proxyAddresses].sort(), object.mail]);
  const old = JSON.stringify([[X500(i), `SMTP:${oldAddress(i)}`].sort(), oldAddress(i)]);
  const next = JSON.stringify([
    [X500(i), `smtp:${oldAddress(i)}`, `SMTP:${newAddress(i)}`].sort(),
    newAddress(i),
  ]);
  return values === old ? "old" : values === next ? "new" : `half-written: ${values}`;
}

/** AD only: these plans have no Entra change, so the Entra port must never be called. */
function ports(ldap: LdapDirectory): ApplyPorts {
  const never = (): never => {
    throw new Error("no Entra change was planned");
  };
  return { ad: ldap, entra: { readImmutableIds: never, writeImmutableIds: never } };
}

const all = Array.from({ length: COUNT }, (_, i) => i);
const options = { concurrency: 8, now: () => new Date(), commit: null };

beforeAll(async () => {
  dc = await startSambaDc();
  staff = `OU=Staff,${dc.baseDN}`;
  await dc.ldapModify([`dn: ${staff}\nobjectClass: organizationalUnit\n`, ...all.map(userLdif)].join("\n"));
}, 120_000);

afterAll(async () => {
  await dc?.stop();
});

describe("apply against Samba AD", () => {
  it("round trip: plan -> apply -> plan shows no change and every identity will join its cloud object", async () => {
    const plan = await planFor([0, 1, 2]);
    const ldap = await connect();

    const receipt = (await applyPlan(plan, ports(ldap), options).finally(() => ldap.close())).receipt;
    const again = await planFor([0, 1, 2]);

    expect(receipt.summary).toEqual({ applied: 3, skipped: 0, conflict: 0, failed: 0 });
    expect(again.summary.changes).toBe(0);
    expect(again.identities.map((i) => [i.outcome, i.via, i.cloudId])).toEqual([
      ["will-join", "smtp", "cloud-0"],
      ["will-join", "smtp", "cloud-1"],
      ["will-join", "smtp", "cloud-2"],
    ]);
    const users = await liveUsers();
    expect([0, 1, 2].map((i) => stateOf(users.get(`u${i}`)!, i))).toEqual(["new", "new", "new"]);
  });

  it("a value changed by another writer between plan and apply is a conflict, and survives", async () => {
    const plan = await planFor([3, 4]);
    await dc.ldapModify(
      `dn: CN=User 3,${staff}\nchangetype: modify\nadd: proxyAddresses\nproxyAddresses: smtp:someone.else@idanchor.test\n-\n`,
    );
    const ldap = await connect();

    const receipt = (await applyPlan(plan, ports(ldap), options).finally(() => ldap.close())).receipt;

    expect(receipt.objects.map((o) => [o.key, o.result])).toEqual([
      ["u3", "conflict"],
      ["u4", "applied"],
    ]);
    const users = await liveUsers();
    expect(users.get("u3")!.proxyAddresses).toContain("smtp:someone.else@idanchor.test");
    expect(users.get("u3")!.mail).toBe(oldAddress(3));
  });

  it("a connection cut at 20 points of a 200-object apply leaves no object half-written, and a rerun converges", async () => {
    const proxy = await startTcpProxy({ host: dc.ip, port: 636 });
    await dc.ldapModify(all.map(resetLdif).join("\n"));
    const plan = await planFor(all);
    // How many chunks a whole apply sends varies with TCP coalescing: measure one, then cut inside it.
    proxy.cutAfter(null);
    const whole = await connect(`ldaps://${dc.ip}:${proxy.port}`);
    await applyPlan(plan, ports(whole), options).finally(() => whole.close());
    const span = Math.floor((proxy.clientChunks * 0.8 - 5) / 19);
    const cutPoints = Array.from({ length: 20 }, (_, k) => 5 + k * span);
    const seen: { cut: number; old: number; new: number; half: string[]; rerun: string }[] = [];

    try {
      for (const [k, cut] of cutPoints.entries()) {
        await dc.ldapModify(all.map(resetLdif).join("\n"));
        proxy.cutAfter(cut, { deliverLast: k % 2 === 1 });
        const cutLdap = await connect(`ldaps://${dc.ip}:${proxy.port}`);
        await applyPlan(plan, ports(cutLdap), options).finally(() => cutLdap.close().catch(() => undefined));
        const afterCut = await liveUsers();
        const states = all.map((i) => stateOf(afterCut.get(`u${i}`)!, i));

        proxy.cutAfter(null);
        const ldap = await connect(`ldaps://${dc.ip}:${proxy.port}`);
        const rerun = (await applyPlan(plan, ports(ldap), options).finally(() => ldap.close())).receipt;
        const converged = await liveUsers();

        seen.push({
          cut,
          old: states.filter((s) => s === "old").length,
          new: states.filter((s) => s === "new").length,
          half: states.filter((s) => s.startsWith("half")),
          rerun:
            all.every((i) => stateOf(converged.get(`u${i}`)!, i) === "new") && rerun.summary.failed === 0
              ? "converged"
              : JSON.stringify(rerun.summary),
        });
      }
    } finally {
      await proxy.close();
    }

    expect(seen.filter((s) => s.half.length > 0 || s.rerun !== "converged")).toEqual([]);
    // The cuts really fell inside the apply: some objects were written before a cut, some were not.
    expect(seen.filter((s) => s.new > 0 && s.old > 0).length).toBeGreaterThanOrEqual(15);
    expect(proxy.cuts).toBe(20);
  }, 300_000);
});
