/**
 * On-prem Exchange attributes against Samba: a DC whose schema is extended with Exchange's
 * address-policy attributes is detected, its values are read (live and from an ldapsearch export
 * alike), and the plan warns; a DC without them reads as before and the plan says the checks were skipped.
 */
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import type { DesiredState } from "../../../src/desired/types.js";
import { guidToBytes } from "../../../src/address/guid.js";
import { openLdap, readLdifSnapshot } from "../../../src/directory/ad/index.js";
import type { AdState } from "../../../src/model/directory.js";
import { buildPlan } from "../../../src/plan/index.js";
import { cloudUser, entra, identity, settings } from "../../plan/builders.js";
import { tempDir } from "../../support/files.js";
import { startSambaDc } from "../../support/samba.js";
import type { SambaDc } from "../../support/samba.js";

const EXCLUDED = "{26491cfc-9e50-4857-861b-0cb8df22b5d7}";
const MAILBOX_GUID = "6f9619ff-8b86-4011-b42d-00c04fc964ff";
const POLICY = "{0c3e5f7a-1b2d-4e6f-8a9b-0c1d2e3f4a5b},{26491cfc-9e50-4857-861b-0cb8df22b5d7}";

let withExchange: SambaDc;
let without: SambaDc;

function seed(dc: SambaDc, exchange: boolean): Promise<void> {
  const staff = `OU=Staff,${dc.baseDN}`;
  const remote = exchange
    ? [
        "msExchRecipientTypeDetails: 2147483648",
        "targetAddress: SMTP:asmith@idanchor-old.mail.onmicrosoft.com",
        `msExchPoliciesIncluded: ${POLICY}`,
      ]
    : [];
  const excluded = exchange
    ? [
        "msExchRecipientTypeDetails: 1",
        `msExchPoliciesExcluded: ${EXCLUDED}`,
        `msExchMailboxGuid:: ${guidToBytes(MAILBOX_GUID).toString("base64")}`,
      ]
    : [];
  return dc.ldapModify(
    [
      `dn: ${staff}\nobjectClass: organizationalUnit\n`,
      [
        `dn: CN=Alice Smith,${staff}`,
        "objectClass: user",
        "sAMAccountName: asmith",
        "mailNickname: asmith",
        "mail: asmith@idanchor.test",
        "proxyAddresses: SMTP:asmith@idanchor.test",
        ...remote,
        "",
      ].join("\n"),
      [
        `dn: CN=Bob Jones,${staff}`,
        "objectClass: user",
        "sAMAccountName: bjones",
        "mailNickname: bjones",
        "mail: bjones@idanchor.test",
        "proxyAddresses: SMTP:bjones@idanchor.test",
        ...excluded,
        "",
      ].join("\n"),
      `dn: CN=Carl Plain,${staff}\nobjectClass: user\nsAMAccountName: cplain\n`,
    ].join("\n"),
  );
}

const cloud = entra({
  users: [
    cloudUser("c-alice", {
      userPrincipalName: "alice@idanchor.onmicrosoft.com",
      proxyAddresses: ["SMTP:alice.smith@idanchor.test", "smtp:asmith@idanchor.mail.onmicrosoft.com"],
    }),
    cloudUser("c-bob", {
      userPrincipalName: "bob@idanchor.onmicrosoft.com",
      proxyAddresses: ["SMTP:bob.jones@idanchor.test"],
    }),
  ],
});

function desiredFor(dc: SambaDc): DesiredState {
  return {
    settings: { ...settings(), activeDirectory: dc.settings() },
    settingsSource: { file: "identities/settings.yaml", line: 1, column: 1 },
    identities: [
      identity({ sam: "asmith", upn: "alice@idanchor.onmicrosoft.com", smtp: "alice.smith@idanchor.test" }),
      identity({ sam: "bjones", upn: "bob@idanchor.onmicrosoft.com", smtp: "bob.jones@idanchor.test" }),
    ],
  };
}

async function readLive(dc: SambaDc): Promise<AdState> {
  const ldap = await openLdap({ settings: dc.settings(), settingsDir: dc.dir, env: dc.env });
  try {
    return await ldap.readAll();
  } finally {
    await ldap.close();
  }
}

beforeAll(async () => {
  [withExchange, without] = await Promise.all([startSambaDc({ exchangeSchema: true }), startSambaDc()]);
  await Promise.all([seed(withExchange, true), seed(without, false)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([withExchange?.stop(), without?.stop()]);
});

describe("on-prem Exchange attributes", () => {
  it("detects the extended schema and reads the address-policy and routing values", async () => {
    const state = await readLive(withExchange);

    const staff = state.objects.filter((o) => o.dn.endsWith(`OU=Staff,${withExchange.baseDN}`));
    const bySam = new Map(staff.map((o) => [o.sAMAccountName, o.exchange]));
    expect(state.exchangeSchema).toBe(true);
    expect(Object.fromEntries(bySam)).toEqual({
      asmith: {
        policiesExcluded: [],
        policiesIncluded: [POLICY],
        recipientTypeDetails: 2147483648,
        targetAddress: "SMTP:asmith@idanchor-old.mail.onmicrosoft.com",
      },
      bjones: {
        policiesExcluded: [EXCLUDED],
        policiesIncluded: [],
        recipientTypeDetails: 1,
        targetAddress: null,
        mailboxGuid: MAILBOX_GUID,
      },
      cplain: { policiesExcluded: [], policiesIncluded: [], recipientTypeDetails: null, targetAddress: null },
    });
  });

  it("an ldapsearch export of the same DC reads into the same state", async () => {
    const live = await readLive(withExchange);
    const ldif = await withExchange.ldapsearch([
      "-b",
      withExchange.baseDN,
      "(|(objectClass=user)(objectClass=contact)(objectClass=group))",
      "objectClass",
      "sAMAccountName",
      "userPrincipalName",
      "mail",
      "mailNickname",
      "displayName",
      "givenName",
      "sn",
      "proxyAddresses",
      "objectGUID",
      "mS-DS-ConsistencyGuid",
      "msExchPoliciesExcluded",
      "msExchPoliciesIncluded",
      "msExchRecipientTypeDetails",
      "targetAddress",
      "msExchMailboxGuid",
      "isCriticalSystemObject",
    ]);
    const dir = tempDir({ "ad.ldif": ldif });

    const snapshot = await readLdifSnapshot(path.join(dir.dir, "ad.ldif")).finally(() => dir.remove());

    expect(snapshot).toEqual(live);
  });

  it("reads isCriticalSystemObject: the built-in Administrator is never exported by Entra Connect", async () => {
    const state = await readLive(withExchange);
    const base = desiredFor(withExchange);
    // The whole domain in scope: only Connect's own filter keeps the built-in account out.
    const desired: DesiredState = {
      ...base,
      settings: {
        ...base.settings,
        activeDirectory: { ...base.settings.activeDirectory, syncScope: [withExchange.baseDN] },
      },
      identities: [
        identity({
          sam: "Administrator",
          upn: "alice@idanchor.onmicrosoft.com",
          smtp: "admin@idanchor.test",
        }),
      ],
    };

    const plan = buildPlan(desired, state, cloud);

    const admin = state.objects.find((o) => o.sAMAccountName === "Administrator");
    expect(admin?.isCriticalSystemObject).toBe(true);
    expect(state.objects.find((o) => o.sAMAccountName === "asmith")?.isCriticalSystemObject).toBeUndefined();
    expect(plan.identities[0]).toMatchObject({
      outcome: "out-of-scope",
      findings: [{ code: "NotExportedByConnect" }],
    });
  });

  it("the plan warns: a policy still applies to the remote mailbox whose primary moves, and its targetAddress is stale", async () => {
    const desired = desiredFor(withExchange);

    const plan = buildPlan(desired, await readLive(withExchange), cloud);

    const codes = (key: string): string[] =>
      plan.identities
        .find((i) => i.key === key)!
        .findings.map((f) => f.code)
        .filter((c) => ["EmailAddressPolicyWillOverwrite", "RemoteRoutingAddressMismatch"].includes(c));
    expect(codes("asmith")).toEqual(["EmailAddressPolicyWillOverwrite", "RemoteRoutingAddressMismatch"]);
    expect(plan.identities.find((i) => i.key === "asmith")!.findings.at(-1)?.fix).toContain(
      "-RemoteRoutingAddress asmith@idanchor.mail.onmicrosoft.com",
    );
    // Excluded from policies (its primary moves too): no policy warning.
    expect(codes("bjones")).toEqual([]);
    expect(plan.findings).toEqual([]);
  });

  it("a DC without the Exchange schema reads as before, and the plan says once that the checks were skipped", async () => {
    const state = await readLive(without);
    const desired = desiredFor(without);

    const plan = buildPlan(desired, state, cloud);

    expect(state.exchangeSchema).toBe(false);
    expect(state.objects.filter((o) => o.exchange !== undefined)).toEqual([]);
    expect(plan.findings.map((f) => [f.severity, f.code])).toEqual([["warning", "ExchangeSchemaNotFound"]]);
    expect(plan.identities.flatMap((i) => i.findings.map((f) => f.code))).not.toContain(
      "EmailAddressPolicyWillOverwrite",
    );
  });

  it("writing an Exchange attribute on the plain DC fails: the schema there really lacks them", async () => {
    const attempt = without.ldapModify(
      `dn: CN=Carl Plain,OU=Staff,${without.baseDN}\nchangetype: modify\nadd: msExchPoliciesExcluded\nmsExchPoliciesExcluded: ${EXCLUDED}\n-\n`,
    );

    await expect(attempt).rejects.toThrow(/ldapmodify failed/);
  });
});
