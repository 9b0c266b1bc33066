/** After a join, on-prem values overwrite cloud ones: the plan says which. */
import { describe, expect, it } from "@jest/globals";

import { buildPlan } from "../../src/plan/index.js";
import { ad, adObject, cloudUser, desired, entra, identity } from "./builders.js";

const OVERWRITE_CODES = ["PasswordWillBeOverwritten", "CloudValuesWillBeOverwritten", "UpnWillChange"];

describe("what a join overwrites", () => {
  const onPrem = () =>
    adObject(1, {
      sAMAccountName: "asmith",
      userPrincipalName: "alice@corp.contoso.local",
      displayName: "Alice Smith",
      givenName: "Alice",
      sn: "Smith",
      proxyAddresses: ["SMTP:alice@contoso.com"],
      mail: "alice@contoso.com",
    });
  const cloud = cloudUser("u1", {
    userPrincipalName: "alice@contoso.onmicrosoft.com",
    displayName: "Alice S.",
    givenName: "Alice",
    surname: "S",
    proxyAddresses: ["SMTP:alice@contoso.com"],
  });
  const domains = [
    { id: "contoso.com", isVerified: true, isInitial: false },
    { id: "contoso.onmicrosoft.com", isVerified: true, isInitial: true },
  ];
  const d = desired([identity({ smtp: "alice@contoso.com" })]);

  function overwriteFindings(features = {}, user = cloud) {
    const p = buildPlan(d, ad(onPrem()), entra({ users: [user], domains, features }));
    return p.identities[0]!.findings.filter((f) => OVERWRITE_CODES.includes(f.code));
  }

  it("warns PasswordWillBeOverwritten only when the tenant syncs password hashes", () => {
    expect(overwriteFindings({ passwordSyncEnabled: true }).map((f) => f.code)).toContain(
      "PasswordWillBeOverwritten",
    );
    expect(overwriteFindings({ passwordSyncEnabled: false }).map((f) => f.code)).not.toContain(
      "PasswordWillBeOverwritten",
    );
  });

  it("lists the cloud values the on-prem ones replace, old -> new", () => {
    const finding = overwriteFindings().find((f) => f.code === "CloudValuesWillBeOverwritten");

    expect(finding?.message).toContain("displayName 'Alice S.' -> 'Alice Smith', surname 'S' -> 'Smith'");
    expect(finding?.message).not.toContain("givenName");
  });

  it("warns UpnWillChange when the on-prem UPN differs; an unverified suffix gives MailNickName@initial domain", () => {
    const upn = (userPrincipalName: string) => {
      const p = buildPlan(d, ad({ ...onPrem(), userPrincipalName }), entra({ users: [cloud], domains }));
      return p.identities[0]!.findings.find((f) => f.code === "UpnWillChange")?.message;
    };

    expect(upn("alice.smith@contoso.com")).toContain(
      "changes from 'alice@contoso.onmicrosoft.com' to 'alice.smith@contoso.com'",
    );
    // MailNickName is the primary SMTP's prefix here ('alice'), not the UPN's: no change.
    expect(upn("asmith@corp.contoso.local")).toBeUndefined();
    expect(upn("alice@corp.contoso.local")).toBeUndefined();
  });
});
