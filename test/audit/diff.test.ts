import { describe, expect, it } from "@jest/globals";

import { diffMerge, diffSnapshots } from "../../src/audit/diff.js";
import { prNumber } from "../../src/audit/pull-request.js";
import { readSnapshot } from "../../src/audit/snapshot.js";
import type { DesiredSnapshot, IdentitySnapshot } from "../../src/model/audit.js";
import { csvField } from "../../src/render/audit-csv.js";

function identity(fields: Partial<IdentitySnapshot> & { key: string }): IdentitySnapshot {
  return {
    type: "user",
    cloud: `${fields.key}@contoso.onmicrosoft.com`,
    smtp: `${fields.key}@contoso.com`,
    aliases: [],
    match: "smtp",
    rebind: false,
    file: "identities/staff.yaml",
    ...fields,
  };
}

function snapshot(...identities: IdentitySnapshot[]): DesiredSnapshot {
  return new Map(identities.map((i) => [i.key.toLowerCase(), i]));
}

describe("diffSnapshots", () => {
  it("sees no change when an identity moves to another file or only the case of an address changes", () => {
    const before = snapshot(
      identity({ key: "asmith", smtp: "alice@contoso.com", aliases: ["a@contoso.com"] }),
    );
    const after = snapshot(
      identity({
        key: "asmith",
        smtp: "Alice@Contoso.com",
        aliases: ["A@contoso.com"],
        file: "identities/other.yaml",
      }),
    );

    const changes = diffSnapshots(before, after);

    expect(changes).toEqual([]);
  });

  it("reports each field: cloud, match, type, rebind, aliases both ways", () => {
    const before = snapshot(identity({ key: "g1", aliases: ["x@contoso.com"] }));
    const after = snapshot(
      identity({
        key: "g1",
        type: "group",
        cloud: "0000",
        match: "hard",
        rebind: true,
        aliases: ["y@contoso.com"],
      }),
    );

    const changes = diffSnapshots(before, after).map((c) => [c.field, c.old, c.new]);

    expect(changes).toEqual([
      ["alias-added", null, "y@contoso.com"],
      ["alias-removed", "x@contoso.com", null],
      ["cloud", "g1@contoso.onmicrosoft.com", "0000"],
      ["match", "smtp", "hard"],
      ["type", "user", "group"],
      ["rebind", "false", "true"],
    ]);
  });

  it("reports additions and removals", () => {
    const before = snapshot(identity({ key: "old" }));
    const after = snapshot(identity({ key: "new" }));

    const changes = diffSnapshots(before, after).map((c) => [c.key, c.field]);

    expect(changes).toEqual([
      ["new", "identity-added"],
      ["old", "identity-removed"],
    ]);
  });
});

describe("diffMerge", () => {
  it("reports only what the merge made differ from every parent", () => {
    const mainline = snapshot(identity({ key: "a" }), identity({ key: "b" }));
    const branch = snapshot(identity({ key: "a", smtp: "new.a@contoso.com" }), identity({ key: "b" }));
    const merged = snapshot(
      identity({ key: "a", smtp: "new.a@contoso.com" }),
      identity({ key: "b", cloud: "resolved@contoso.onmicrosoft.com" }),
    );

    const changes = diffMerge([mainline, branch], merged).map((c) => [c.key, c.field, c.new]);

    expect(changes).toEqual([["b", "cloud", "resolved@contoso.onmicrosoft.com"]]);
  });
});

describe("readSnapshot", () => {
  it("carries over the identities of a file that no longer parses, and reports the file", () => {
    const previous = snapshot(
      identity({ key: "asmith" }),
      identity({ key: "bjones", file: "identities/b.yaml" }),
    );
    const files = [
      { path: "identities/staff.yaml", text: "kind: IdentityMap\nidentities: [\n" },
      { path: "identities/b.yaml", text: "kind: IdentityMap\nidentities: []\n" },
    ];

    const { snapshot: next, problems } = readSnapshot(files, previous);

    expect([...next.keys()]).toEqual(["asmith"]);
    expect(problems.map((p) => p.file)).toEqual(["identities/staff.yaml"]);
  });
});

describe("prNumber", () => {
  it.each([
    ["Merge pull request #12 from contoso/remove-sales", 12],
    ["Alice: primary address (#7)", 7],
    ["Fix #7 typo", null],
  ])("%s -> %s", (subject, expected) => {
    const pr = prNumber(subject);

    expect(pr).toBe(expected);
  });
});

describe("csvField", () => {
  it.each([
    ["plain@contoso.com", "plain@contoso.com"],
    ['say "hi", then', '"say ""hi"", then"'],
    ["two\nlines", '"two\nlines"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ["@SUM(1)", "'@SUM(1)"],
  ])("%s", (value, expected) => {
    const field = csvField(value);

    expect(field).toBe(expected);
  });
});
