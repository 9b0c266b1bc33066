/** checkHygiene on plain AD/Entra state: which objects are checked, and every duplicate rule. */
import { describe, expect, it } from "@jest/globals";

import { checkHygiene } from "../../src/hygiene/index.js";
import type { HygieneReport } from "../../src/hygiene/index.js";
import {
  ad,
  adObject,
  anchorOf,
  cloudContact,
  cloudGroup,
  cloudUser,
  entra,
  STAFF,
  syncRules,
} from "../plan/builders.js";

/** [sAMAccountName or dn, attribute, value, rule] of every problem: what an admin reads first. */
function found(report: HygieneReport): [string, string, string, string][] {
  return report.problems.map((p) => [p.dn.replace(`,${STAFF}`, ""), p.attribute, p.value, p.rule]);
}

describe("checkHygiene: which objects", () => {
  it("checks every object in the sync scope, mapped or not, and nothing outside it", () => {
    const state = ad(
      adObject(1, { mailNickname: ".alice" }),
      adObject(2, { mailNickname: ".bob", dn: "CN=bob,OU=Former,DC=corp,DC=contoso,DC=com" }),
    );

    const report = checkHygiene(state, null, syncRules());

    expect(found(report)).toEqual([["CN=user1", "mailNickname", ".alice", "LeadingOrTrailingPeriod"]]);
    expect(report.summary).toMatchObject({
      objects: 2,
      checked: 1,
      excluded: 0,
      problems: 1,
      errors: 1,
      cloudObjects: null,
    });
  });

  it("leaves out what Entra Connect never exports: its service accounts, built-in accounts, system mailboxes", () => {
    const state = ad(
      adObject(1, { sAMAccountName: "MSOL_1a2b3c4d5e6f", userPrincipalName: null }),
      adObject(2, { sAMAccountName: "AAD_0123456789ab", userPrincipalName: null }),
      adObject(3, { sAMAccountName: "krbtgt", userPrincipalName: null }),
      adObject(4, {
        sAMAccountName: "SystemMailbox{1f05a927-0e4f-4a37-a9b4-0d5cce3e46ee}",
        userPrincipalName: null,
      }),
      adObject(5, { sAMAccountName: "kiosk", userPrincipalName: null }),
    );

    const report = checkHygiene(state, null, syncRules());

    expect(found(report)).toEqual([["CN=kiosk", "userPrincipalName", "", "MissingUserPrincipalName"]]);
    expect(report.summary).toMatchObject({ checked: 1, excluded: 4, warnings: 1 });
  });

  it("makes a bad sAMAccountName a warning when the user's UPN is valid (Microsoft: the user is still created)", () => {
    const state = ad(
      adObject(1, { sAMAccountName: "a.very.long.logon.name" }),
      adObject(2, { sAMAccountName: "another.long.logon.nm", userPrincipalName: "x y@contoso.com" }),
    );

    const report = checkHygiene(state, null, syncRules());

    expect(report.problems.map((p) => [p.attribute, p.rule, p.severity])).toEqual([
      ["sAMAccountName", "TooLong", "warning"],
      ["userPrincipalName", "InvalidCharacter", "error"],
      ["sAMAccountName", "TooLong", "error"],
    ]);
    expect(report.problems[1]!.suggested).toBe("xy@contoso.com");
  });

  it("leaves X500, SIP and other non-SMTP proxy addresses alone (IdFix issue 16)", () => {
    const x500 = "X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=alice";

    const report = checkHygiene(
      ad(adObject(1, { proxyAddresses: [x500, "SIP:alice@contoso.com"] })),
      null,
      syncRules(),
    );

    expect(report.problems).toEqual([]);
  });
});

describe("checkHygiene: duplicates across users, groups and contacts, case-insensitively", () => {
  it("names every holder of a mail or SMTP address, whatever the attribute and the case", () => {
    const state = ad(
      adObject(1, { mail: "info@contoso.com" }),
      adObject(2, { type: "group", proxyAddresses: ["smtp:INFO@contoso.com"] }),
      adObject(3, {
        type: "contact",
        dn: `CN=Fabrikam,${STAFF}`,
        sAMAccountName: null,
        userPrincipalName: null,
        proxyAddresses: ["SMTP:Info@Contoso.com"],
      }),
    );

    const report = checkHygiene(state, null, syncRules());

    expect(found(report)).toEqual([
      ["CN=user1", "mail", "info@contoso.com", "AttributeValueMustBeUnique"],
      ["CN=user2", "proxyAddresses", "smtp:INFO@contoso.com", "AttributeValueMustBeUnique"],
      ["CN=Fabrikam", "proxyAddresses", "SMTP:Info@Contoso.com", "AttributeValueMustBeUnique"],
    ]);
    expect(report.problems[0]!.message).toContain(`group 'CN=user2,${STAFF}' (proxyAddresses)`);
    expect(report.problems[0]!.message).toContain("contact");
  });

  it("finds the same UPN on two users, but not an object's own mail repeated in its proxyAddresses", () => {
    const state = ad(
      adObject(1, {
        userPrincipalName: "Alice@contoso.com",
        mail: "alice@contoso.com",
        proxyAddresses: ["SMTP:alice@contoso.com"],
      }),
      adObject(2, { userPrincipalName: "alice@CONTOSO.com" }),
    );

    const report = checkHygiene(state, null, syncRules());

    expect(found(report)).toEqual([
      ["CN=user1", "userPrincipalName", "Alice@contoso.com", "AttributeValueMustBeUnique"],
      ["CN=user2", "userPrincipalName", "alice@CONTOSO.com", "AttributeValueMustBeUnique"],
    ]);
  });

  it("names at most three other holders of a widely shared address, in directory order, and counts the rest", () => {
    const holders = [1, 2, 3, 4, 5, 6].map((n) => adObject(n, { proxyAddresses: [`smtp:team@contoso.com`] }));

    const report = checkHygiene(ad(...holders), null, syncRules());

    const named = (...ns: number[]): string =>
      ns.map((n) => `user 'CN=user${n},${STAFF}' (proxyAddresses)`).join(", ");
    expect(report.problems.map((p) => p.message.slice(0, p.message.indexOf(" (compared")))).toEqual([
      `proxyAddresses 'smtp:team@contoso.com' is also held by ${named(2, 3, 4)} and 2 more`,
      `proxyAddresses 'smtp:team@contoso.com' is also held by ${named(1, 3, 4)} and 2 more`,
      `proxyAddresses 'smtp:team@contoso.com' is also held by ${named(1, 2, 4)} and 2 more`,
      `proxyAddresses 'smtp:team@contoso.com' is also held by ${named(1, 2, 3)} and 2 more`,
      `proxyAddresses 'smtp:team@contoso.com' is also held by ${named(1, 2, 3)} and 2 more`,
      `proxyAddresses 'smtp:team@contoso.com' is also held by ${named(1, 2, 3)} and 2 more`,
    ]);
  });

  it("keeps one object's problems together: its values, an address repeated on it, then its shared values as they first appear", () => {
    const state = ad(
      adObject(1, { proxyAddresses: ["SMTP:first@contoso.com"] }),
      adObject(2, {
        mailNickname: ".two",
        proxyAddresses: ["SMTP:second@contoso.com", "smtp:first@contoso.com", "smtp:SECOND@contoso.com"],
      }),
      adObject(3, { proxyAddresses: ["SMTP:second@contoso.com"] }),
    );

    const report = checkHygiene(state, null, syncRules());

    expect(found(report)).toEqual([
      ["CN=user1", "proxyAddresses", "SMTP:first@contoso.com", "AttributeValueMustBeUnique"],
      ["CN=user2", "mailNickname", ".two", "LeadingOrTrailingPeriod"],
      ["CN=user2", "proxyAddresses", "smtp:SECOND@contoso.com", "AttributeValueMustBeUnique"],
      ["CN=user2", "proxyAddresses", "smtp:first@contoso.com", "AttributeValueMustBeUnique"],
      ["CN=user2", "proxyAddresses", "SMTP:second@contoso.com", "AttributeValueMustBeUnique"],
      ["CN=user3", "proxyAddresses", "SMTP:second@contoso.com", "AttributeValueMustBeUnique"],
    ]);
  });

  it("finds one address twice in one object's proxyAddresses", () => {
    const report = checkHygiene(
      ad(adObject(1, { proxyAddresses: ["SMTP:a@contoso.com", "smtp:A@contoso.com"] })),
      null,
      syncRules(),
    );

    expect(found(report)).toEqual([
      ["CN=user1", "proxyAddresses", "smtp:A@contoso.com", "AttributeValueMustBeUnique"],
    ]);
  });
});

describe("checkHygiene: against Entra", () => {
  it("flags a value a cloud user synchronised from another on-prem object holds", () => {
    const state = ad(adObject(1, { proxyAddresses: ["SMTP:alice@contoso.com"] }));
    const tenant = entra({
      users: [
        cloudUser("u-other", {
          proxyAddresses: ["SMTP:alice@contoso.com"],
          onPremisesImmutableId: anchorOf(77),
        }),
      ],
    });

    const report = checkHygiene(state, tenant, syncRules());

    expect(found(report)).toEqual([
      ["CN=user1", "proxyAddresses", "SMTP:alice@contoso.com", "AttributeValueMustBeUnique"],
    ]);
    expect(report.problems[0]!.message).toContain("synchronised from another on-prem object");
    expect(report.summary.cloudObjects).toBe(1);
  });

  it("does not flag the values of the cloud object the sync will join (by anchor, by primary SMTP), but an alias another cloud object holds", () => {
    const state = ad(
      adObject(1, {
        userPrincipalName: "alice@contoso.com",
        proxyAddresses: ["SMTP:alice@contoso.com", "smtp:sales@contoso.com"],
      }),
      adObject(2, { userPrincipalName: "bob@contoso.com", proxyAddresses: ["SMTP:bob@contoso.com"] }),
    );
    const tenant = entra({
      users: [
        cloudUser("u-alice", {
          userPrincipalName: "alice@contoso.com",
          proxyAddresses: ["SMTP:alice@contoso.com"],
        }),
        cloudUser("u-bob", {
          userPrincipalName: "bob@contoso.com",
          mail: "bob@contoso.com",
          onPremisesImmutableId: anchorOf(2),
        }),
      ],
      groups: [cloudGroup("g-sales", { mail: "sales@contoso.com" })],
    });

    const report = checkHygiene(state, tenant, syncRules());

    expect(found(report)).toEqual([
      ["CN=user1", "proxyAddresses", "smtp:sales@contoso.com", "AttributeValueMustBeUnique"],
    ]);
    expect(report.problems[0]!.fix).toContain("Set-DistributionGroup -Identity g-sales");
  });

  it("treats the UPN holder as the join target only when soft match on UPN is on", () => {
    const state = ad(adObject(1, { userPrincipalName: "frank@contoso.com", mail: null }));
    const users = [cloudUser("u-frank", { userPrincipalName: "frank@contoso.com" })];

    const on = checkHygiene(state, entra({ users, features: { softMatchOnUpnEnabled: true } }), syncRules());
    const off = checkHygiene(
      state,
      entra({ users, features: { softMatchOnUpnEnabled: false } }),
      syncRules(),
    );

    expect(on.problems).toEqual([]);
    expect(found(off)).toEqual([
      ["CN=user1", "userPrincipalName", "frank@contoso.com", "AttributeValueMustBeUnique"],
    ]);
    expect(off.problems[0]!.message).toContain("quarantines the UPN");
  });

  it("counts each cloud object once, however many of its values hold the address, and names the first", () => {
    const state = ad(adObject(1, { proxyAddresses: ["SMTP:alice@contoso.com", "smtp:help@contoso.com"] }));
    const helpdesk = cloudUser("u-help", {
      userPrincipalName: "help@contoso.com",
      mail: "help@contoso.com",
      proxyAddresses: ["SMTP:help@contoso.com", "smtp:HELP@contoso.com"],
    });
    const support = cloudGroup("g-support", {
      mail: "Help@contoso.com",
      proxyAddresses: ["smtp:help@contoso.com"],
    });

    const alone = checkHygiene(state, entra({ users: [helpdesk] }), syncRules());
    const shared = checkHygiene(state, entra({ users: [helpdesk], groups: [support] }), syncRules());

    expect(alone.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^proxyAddresses 'smtp:help@contoso.com' is already held in Entra ID by cloud user 'help@contoso.com' \(u-help\) \(no cloud object holds/,
      ),
    ]);
    expect(shared.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /by cloud user 'help@contoso.com' \(u-help\) \(no cloud object .*\) and 1 more: /,
      ),
    ]);
  });

  it("says that neither the primary SMTP address nor, with soft match on UPN, the UPN finds a cloud object", () => {
    const state = ad(adObject(1, { proxyAddresses: ["SMTP:new@contoso.com", "smtp:taken@contoso.com"] }));
    const users = [cloudUser("u-other", { proxyAddresses: ["SMTP:taken@contoso.com"] })];

    const checked = (softMatchOnUpnEnabled: boolean): HygieneReport =>
      checkHygiene(state, entra({ users, features: { softMatchOnUpnEnabled } }), syncRules());

    const [on, off] = [checked(true), checked(false)];

    expect(on.problems.map((p) => p.message)).toEqual([
      expect.stringContaining(
        "(no cloud object holds this object's primary SMTP address or UPN, so the sync creates",
      ),
    ]);
    expect(off.problems.map((p) => p.message)).toEqual([
      expect.stringContaining(
        "(no cloud object holds this object's primary SMTP address, so the sync creates",
      ),
    ]);
  });

  it("flags an address a cloud contact holds when the object's primary soft-matches someone else", () => {
    const state = ad(adObject(1, { proxyAddresses: ["SMTP:alice@contoso.com", "smtp:ext@fabrikam.com"] }));
    const tenant = entra({
      users: [cloudUser("u-alice", { proxyAddresses: ["SMTP:alice@contoso.com"] })],
      contacts: [cloudContact("c-ext", { mail: "ext@fabrikam.com" })],
    });

    const report = checkHygiene(state, tenant, syncRules());

    expect(found(report)).toEqual([
      ["CN=user1", "proxyAddresses", "smtp:ext@fabrikam.com", "AttributeValueMustBeUnique"],
    ]);
  });
});
