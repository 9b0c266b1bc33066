import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@jest/globals";

import {
  DEFAULT_SYNC_FEATURES,
  formatEntraSnapshot,
  parseEntraSnapshot,
  readEntraSnapshot,
} from "../../../src/directory/entra/index.js";
import { InputError } from "../../../src/model/errors.js";
import { tempDir } from "../../support/files.js";
import { CONTOSO_SNAPSHOT, LOCKED_DOWN_SNAPSHOT, bigTenant } from "./fixtures.js";

function inputError(text: string): InputError {
  try {
    parseEntraSnapshot(text, "tenant.json");
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("the snapshot was accepted");
}

describe("Entra snapshots", () => {
  it("reads the contoso example", async () => {
    const file = fileURLToPath(CONTOSO_SNAPSHOT);

    const state = await readEntraSnapshot(file);

    expect(state.users).toHaveLength(24);
    // Groups without mail are read too: one named in the YAML is never matched.
    expect(state.groups.map((g) => [g.displayName, g.mailEnabled])).toEqual([
      ["Sales Team", true],
      ["Events", true],
      ["App Admins", false],
      ["Old Project", true],
    ]);
    expect(state.deletedUsers.map((u) => u.deletedDateTime)).toEqual(["2026-11-20T10:00:00Z"]);
    expect(state.contacts).toHaveLength(1);
    expect(state.features.softMatchOnUpnEnabled).toBe(true);
    expect(state.domains).toContainEqual({ id: "contoso.com", isVerified: true, isInitial: false });
    expect(state.domains.filter((d) => d.isInitial).map((d) => d.id)).toEqual(["contoso.onmicrosoft.com"]);
    expect(state.roleAssignments).toHaveLength(3);
  });

  it("reads the locked-down example with its features", async () => {
    const file = fileURLToPath(LOCKED_DOWN_SNAPSHOT);

    const state = await readEntraSnapshot(file);

    expect(state.features.blockSoftMatchEnabled).toBe(true);
    expect(state.features.blockCloudObjectTakeoverThroughHardMatchEnabled).toBe(true);
  });

  const fullUser = {
    id: "u1",
    userPrincipalName: "a@contoso.com",
    displayName: null,
    givenName: null,
    surname: null,
    mail: null,
    proxyAddresses: [],
    onPremisesImmutableId: null,
    onPremisesSyncEnabled: null,
    onPremisesDistinguishedName: null,
    onPremisesSamAccountName: null,
    onPremisesProvisioningErrors: [],
    serviceProvisioningErrors: [],
    onPremisesLastSyncDateTime: null,
    createdDateTime: null,
    accountEnabled: null,
    userType: null,
    mailNickname: null,
    assignedPlans: [],
  };

  it("treats missing lists as empty and features Graph does not report as Graph's defaults", () => {
    const text = JSON.stringify({ users: [fullUser], features: {}, roleAssignments: [] });

    const state = parseEntraSnapshot(text, "tenant.json");

    expect(state).toEqual({
      users: [fullUser],
      groups: [],
      contacts: [],
      features: DEFAULT_SYNC_FEATURES,
      domains: [],
      roleAssignments: [],
      deletedUsers: [],
    });
  });

  it.each([
    ["users", "onPremisesImmutableId"],
    ["users", "assignedPlans"],
    ["groups", "serviceProvisioningErrors"],
    ["contacts", "onPremisesProvisioningErrors"],
    ["domains", "isInitial"],
    ["deletedUsers", "deletedDateTime"],
  ])("refuses %s whose objects lack '%s': absent is unknown, not null", (collection, property) => {
    const objects: Record<string, Record<string, unknown>> = {
      users: fullUser,
      groups: {
        id: "g1",
        displayName: "Sales",
        mail: null,
        mailEnabled: false,
        securityEnabled: true,
        proxyAddresses: [],
        onPremisesSyncEnabled: null,
        onPremisesProvisioningErrors: [],
        serviceProvisioningErrors: [],
      },
      contacts: {
        id: "c1",
        displayName: "Ext",
        mail: null,
        proxyAddresses: [],
        onPremisesSyncEnabled: null,
        onPremisesProvisioningErrors: [],
        serviceProvisioningErrors: [],
      },
      domains: { id: "contoso.com", isVerified: true, isInitial: false },
      deletedUsers: { ...fullUser, deletedDateTime: null },
    };
    const broken = { ...objects[collection] };
    delete broken[property];
    const text = `{\n  "${collection}": [\n    ${JSON.stringify(broken)}\n  ],\n  "features": {},\n  "roleAssignments": []\n}\n`;

    const error = inputError(text);

    expect(error.describe()).toMatch(
      new RegExp(
        `^tenant\\.json:3:5: the snapshot has ${collection}\\[0\\] \\('[^']+'\\) without '${property}': an absent property is unknown, not empty, so the plan cannot rely on it; export with \`idanchor export entra\` or \\$select it \\(\\$select=[a-zA-Z,]+\\)$`,
      ),
    );
    expect(error.describe()).not.toContain("\n");
  });

  it("takes each feature Graph reports and defaults only the missing ones", () => {
    const text = JSON.stringify({
      features: { blockSoftMatchEnabled: true, deviceWritebackEnabled: false },
      roleAssignments: [],
    });

    const state = parseEntraSnapshot(text, "tenant.json");

    expect(state.features).toEqual({ ...DEFAULT_SYNC_FEATURES, blockSoftMatchEnabled: true });
  });

  it("names the file, line and JSON path of a value of the wrong type", () => {
    const text =
      '{\n  "users": [\n    { "id": "u1", "userPrincipalName": "a@contoso.com" },\n    { "id": "u2", "userPrincipalName": "b@contoso.com", "proxyAddresses": "SMTP:b@contoso.com" }\n  ],\n  "features": {},\n  "roleAssignments": []\n}\n';

    const error = inputError(text);

    expect(error.describe()).toBe("tenant.json:4:75: users[1].proxyAddresses: must be array");
  });

  it("names a misspelt top-level list instead of reading it as empty", () => {
    const text = '{\n  "user": [],\n  "features": {},\n  "roleAssignments": []\n}';

    const error = inputError(text);

    expect(error.describe()).toMatch(/^tenant\.json:2:11: user: unknown property \(expected users, groups/);
  });

  it("names a missing required property", () => {
    const text = JSON.stringify({ domains: [{ id: "contoso.com" }], features: {}, roleAssignments: [] });

    const error = inputError(text);

    expect(error.describe()).toBe("tenant.json:1:13: domains[0]: missing required property 'isVerified'");
  });

  it.each([
    ["{}", "features"],
    ['{"users": [], "roleAssignments": []}', "features"],
    ['{"users": [], "features": {}}', "roleAssignments"],
  ])("refuses %s: a missing section is not guessed", (text, missing) => {
    const error = inputError(text);

    expect(error.message).toMatch(new RegExp(`^missing required property '${missing}': without `));
    expect(error.message).toContain("write the snapshot with 'idanchor export entra'");
  });

  it("counts the other problems", () => {
    const text = JSON.stringify({ users: [{ id: 1 }], roleAssignments: [{}] });

    const error = inputError(text);

    expect(error.message).toMatch(/\(and \d+ more problems\)$/);
  });

  it("reports JSON syntax errors at their line", () => {
    const text = '{\n  "users": [\n    { "id": "u1", }\n  ]\n}';

    const error = inputError(text);

    expect(error.position).toMatchObject({ file: "tenant.json", line: 3 });
    expect(error.message).toMatch(/^not valid JSON/);
  });

  it("reports a missing file as an InputError naming it", async () => {
    const read = readEntraSnapshot("/nonexistent/tenant.json");

    await expect(read).rejects.toThrow(InputError);
    await expect(read).rejects.toThrow(/cannot read the Entra snapshot: ENOENT/);
  });

  it("writes a snapshot that reads back to an equal state", async () => {
    const temp = tempDir();
    const state = parseEntraSnapshot(JSON.stringify(bigTenant(50)), "tenant.json");
    const file = `${temp.dir}/tenant.json`;

    writeFileSync(file, formatEntraSnapshot(state));
    const back = await readEntraSnapshot(file);

    expect(back).toEqual(state);
    temp.remove();
  });
});

describe("Entra snapshot encodings", () => {
  const json = JSON.stringify({ users: [], features: {}, roleAssignments: [] });

  it("reads JSON with a UTF-8 BOM, and names UTF-16", async () => {
    const dir = tempDir({
      "bom.json": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]),
      "utf16.json": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, "utf16le")]),
    });
    try {
      const state = await readEntraSnapshot(path.join(dir.dir, "bom.json"));
      const error = await readEntraSnapshot(path.join(dir.dir, "utf16.json")).catch((e: unknown) => e);

      expect(state.users).toEqual([]);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toMatch(
        /^the Entra snapshot is UTF-16 text, not UTF-8; save it as UTF-8/,
      );
    } finally {
      dir.remove();
    }
  });
});
