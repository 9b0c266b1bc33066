/** readLdifSnapshot: the sample export reads cleanly; a bad file is an InputError at file:line. */
import path from "node:path";

import { describe, expect, it } from "@jest/globals";

import { readLdifSnapshot } from "../../../src/directory/ad/index.js";
import type { ActiveDirectorySettings } from "../../../src/desired/settings.js";
import { InputError } from "../../../src/model/errors.js";
import { toSyncObjects } from "../../../src/plan/sync-object.js";
import { tempDir } from "../../support/files.js";

const settings: ActiveDirectorySettings = {
  url: "ldaps://dc01.corp.contoso.com",
  baseDN: "DC=corp,DC=contoso,DC=com",
  syncScope: ["OU=Staff,DC=corp,DC=contoso,DC=com", "OU=Shared,DC=corp,DC=contoso,DC=com"],
  sourceAnchor: "mS-DS-ConsistencyGuid",
  caFile: null,
  startTls: false,
  allowInsecure: false,
  bindDnEnv: "IDANCHOR_AD_BIND_DN",
  passwordEnv: "IDANCHOR_AD_PASSWORD",
};

const SAMPLE = path.resolve("examples/contoso/ad.ldif");

async function inputError(content: string): Promise<InputError> {
  const dir = tempDir({ "ad.ldif": content });
  try {
    await readLdifSnapshot(path.join(dir.dir, "ad.ldif"));
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  } finally {
    dir.remove();
  }
  throw new Error("read without error");
}

describe("readLdifSnapshot", () => {
  it("reads the contoso sample: users, the contact and the group, not OUs, the domain or the computer", async () => {
    const state = await readLdifSnapshot(SAMPLE);

    const byType = (type: string): number => state.objects.filter((o) => o.type === type).length;
    expect([byType("user"), byType("contact"), byType("group")]).toEqual([22, 1, 3]);
    expect(state.objects.map((o) => o.sAMAccountName)).not.toContain("WS042$");
  });

  it("counts the Exchange schema as present when any entry carries an msExch* attribute, else absent", async () => {
    const entry = (extra: string): string =>
      `dn: CN=A,OU=Staff,DC=corp,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: cokjQRZ6IluMaPBpfDaspQ==\n${extra}`;
    const dir = tempDir({
      "plain.ldif": entry("mailNickname: a\n"),
      "exchange.ldif": `${entry("")}\ndn: OU=Staff,DC=corp,DC=contoso,DC=com\nobjectClass: organizationalUnit\nmsExchPoliciesExcluded: x\n`,
    });

    const [plain, exchange] = await Promise.all(
      ["plain.ldif", "exchange.ldif"].map((f) => readLdifSnapshot(path.join(dir.dir, f))),
    ).finally(() => dir.remove());

    expect([plain!.exchangeSchema, plain!.objects[0]!.exchange]).toEqual([false, undefined]);
    expect([exchange!.exchangeSchema, exchange!.objects[0]!.exchange]).toEqual([
      true,
      { policiesExcluded: [], policiesIncluded: [], recipientTypeDetails: null, targetAddress: null },
    ]);
  });

  it("maps an entry to the full AdObject, folded X500 value and binary GUID included", async () => {
    const state = await readLdifSnapshot(SAMPLE);

    const alice = state.objects.find((o) => o.sAMAccountName === "asmith");

    expect(alice).toEqual({
      dn: "CN=Alice Smith,OU=Staff,DC=corp,DC=contoso,DC=com",
      type: "user",
      objectClass: ["top", "person", "organizationalPerson", "user"],
      sAMAccountName: "asmith",
      userPrincipalName: "asmith@contoso.com",
      mail: "asmith@contoso.com",
      mailNickname: "asmith",
      displayName: "Alice Smith",
      givenName: "Alice",
      sn: "Smith",
      proxyAddresses: [
        "SMTP:asmith@contoso.com",
        "X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=asmith",
      ],
      objectGuid: "41238972-7a16-5b22-8c68-f0697c36aca5",
      consistencyGuid: null,
      // The sample carries msExch* attributes, so every object has its Exchange values.
      exchange: {
        policiesExcluded: [],
        policiesIncluded: ["{8f2d6c1e-3b4a-4c5d-9e6f-7a8b9c0d1e2f},{26491cfc-9e50-4857-861b-0cb8df22b5d7}"],
        recipientTypeDetails: 128,
        targetAddress: "SMTP:asmith@contoso.mail.onmicrosoft.com",
      },
    });
  });

  it("reads raw objects: the planner takes the anchor from mS-DS-ConsistencyGuid when set, and the scope from the Settings", async () => {
    const state = await readLdifSnapshot(SAMPLE);

    const objects = toSyncObjects(state, settings);
    const jack = objects.find((o) => o.sAMAccountName === "jbrown");
    const sales = objects.find((o) => o.sAMAccountName === "sales-team");

    expect(state.objects.find((o) => o.sAMAccountName === "jbrown")).not.toHaveProperty("sourceAnchor");
    expect(jack).toMatchObject({
      consistencyGuid: "0b4c5b20-2e6a-5579-a3a6-5e5727735c77",
      inSyncScope: false,
    });
    expect(jack?.sourceAnchor).toBe("IFtMC2oueVWjpl5XJ3Ncdw==");
    expect(sales).toMatchObject({ type: "group", inSyncScope: true });
  });

  it("reports a malformed file as file:line: message", async () => {
    const error = await inputError(
      "dn: CN=A,OU=Staff,DC=corp,DC=contoso,DC=com\nobjectClass: user\nmail a@x.com\n",
    );

    expect(error.position).toEqual({ file: expect.stringMatching(/ad\.ldif$/), line: 3 });
    expect(error.describe()).toMatch(/ad\.ldif:3: "mail a@x\.com" is not "attribute: value"/);
  });

  it("reports a user without objectGUID at the line of its dn", async () => {
    const error = await inputError(
      "# export\n\ndn: CN=A,OU=Staff,DC=corp,DC=contoso,DC=com\nobjectClass: user\n",
    );

    expect(error.position?.line).toBe(3);
    expect(error.message).toBe(
      '"CN=A,OU=Staff,DC=corp,DC=contoso,DC=com" has no objectGUID; export it with the entry',
    );
  });

  it("reports a GUID exported as text that is not a GUID", async () => {
    const error = await inputError(
      "dn: CN=A,DC=corp,DC=contoso,DC=com\nobjectClass: contact\nobjectGUID: 1234\n",
    );

    expect(error.position?.line).toBe(1);
    expect(error.message).toMatch(
      /objectGUID of "CN=A,DC=corp,DC=contoso,DC=com" has 4 bytes, not the 16 of a GUID.*"objectGUID:: \.\.\."/,
    );
  });

  it("accepts a GUID written as text ({...} as some tools export it)", async () => {
    const dir = tempDir({
      "ad.ldif":
        "dn: CN=A,OU=Staff,DC=corp,DC=contoso,DC=com\nobjectClass: contact\nobjectGUID: {F7CC07D7-7C15-447D-876D-C01B0E5A9E38}\n",
    });

    const state = await readLdifSnapshot(path.join(dir.dir, "ad.ldif"));
    dir.remove();

    expect(toSyncObjects(state, settings)[0]?.sourceAnchor).toBe("1wfM9xV8fUSHbcAbDlqeOA==");
  });

  it("reads a 16-byte GUID written as text by its UTF-8 bytes, as if it had been base64", async () => {
    const text = "ääääääää"; // 8 characters, 16 bytes of UTF-8
    const dir = tempDir({
      "ad.ldif": `dn: CN=A,OU=Staff,DC=corp,DC=contoso,DC=com\nobjectClass: contact\nobjectGUID: ${text}\n`,
    });

    const state = await readLdifSnapshot(path.join(dir.dir, "ad.ldif")).finally(() => dir.remove());

    expect(state.objects[0]?.objectGuid).toBe("a4c3a4c3-a4c3-a4c3-c3a4-c3a4c3a4c3a4");
  });

  it("reports a syntax error anywhere before any entry's problem, and the first entry's problem first", async () => {
    const noGuid = (cn: string): string =>
      `dn: CN=${cn},OU=Staff,DC=corp,DC=contoso,DC=com\nobjectClass: user\n`;

    const [syntaxFirst, entryOrder] = await Promise.all([
      inputError(`${noGuid("A")}\n${noGuid("B")}mail a@x.com\n`),
      inputError(`${noGuid("A")}\n${noGuid("B")}`),
    ]);

    expect([syntaxFirst.position?.line, syntaxFirst.message]).toEqual([
      6,
      expect.stringMatching(/"mail a@x\.com" is not "attribute: value"/),
    ]);
    expect([entryOrder.position?.line, entryOrder.message]).toEqual([
      1,
      expect.stringMatching(/"CN=A,.*" has no objectGUID/),
    ]);
  });

  it("leaves the problems of entries outside the base DN unreported, as the live read never sees them", async () => {
    const dir = tempDir({
      "ad.ldif":
        "dn: CN=Far,DC=elsewhere,DC=com\nobjectClass: user\n\n" +
        "dn: CN=A,OU=Staff,DC=corp,DC=contoso,DC=com\nobjectClass: contact\nobjectGUID:: cokjQRZ6IluMaPBpfDaspQ==\n",
    });

    const state = await readLdifSnapshot(path.join(dir.dir, "ad.ldif"), { baseDN: settings.baseDN }).finally(
      () => dir.remove(),
    );

    expect(state.objects.map((o) => o.dn)).toEqual(["CN=A,OU=Staff,DC=corp,DC=contoso,DC=com"]);
  });

  it("reads an export that is mostly attributes idanchor does not read (ldifde writes every one) alike", async () => {
    const entry = (extra: string): string =>
      "dn: CN=Alice Smith,OU=Staff,DC=corp,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: cokjQRZ6IluMaPBpfDaspQ==\n" +
      "proxyAddresses: SMTP:alice.smith@contoso.com\nproxyAddresses: smtp:asmith@contoso.com\n" +
      extra;
    const dir = tempDir({
      "lean.ldif": entry(""),
      "full.ldif": entry(`description: ${"x".repeat(5000)}\nmemberOf: CN=Sales,DC=corp,DC=contoso,DC=com\n`),
    });

    const [lean, full] = await Promise.all(
      ["lean.ldif", "full.ldif"].map((f) => readLdifSnapshot(path.join(dir.dir, f))),
    ).finally(() => dir.remove());

    expect(full).toEqual(lean);
    expect(full!.objects[0]!.proxyAddresses).toEqual([
      "SMTP:alice.smith@contoso.com",
      "smtp:asmith@contoso.com",
    ]);
  });

  it("reports a missing file as bad input", async () => {
    const missing = path.join(path.dirname(SAMPLE), "no-such.ldif");

    const error = await readLdifSnapshot(missing).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).describe()).toBe(`${missing}: cannot read the AD snapshot (ENOENT)`);
  });
});
