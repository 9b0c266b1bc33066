/** The sync-scope filter of hygiene: the objects inSyncScope (plan/sync-object) keeps, asked per parent. */
import { describe, expect, it } from "@jest/globals";

import { inSyncScopeObjects } from "../../src/hygiene/scope.js";
import { inSyncScope } from "../../src/plan/sync-object.js";

/** What the filter must give: inSyncScope asked for every object, or the error it throws first. */
function expected(dns: string[], scope: string[]): string[] | string {
  try {
    return dns.filter((dn) => inSyncScope(dn, scope));
  } catch (error) {
    return String(error);
  }
}

function filtered(dns: string[], scope: string[]): string[] | string {
  try {
    return inSyncScopeObjects(
      dns.map((dn) => ({ dn }) as Parameters<typeof inSyncScopeObjects>[0][number]),
      scope,
    ).map((o) => o.dn);
  } catch (error) {
    return String(error);
  }
}

const SCOPE = ["OU=Staff,DC=corp,DC=contoso,DC=com", "OU=Sales\\, EMEA,DC=corp,DC=contoso,DC=com"];

describe("inSyncScopeObjects", () => {
  it.each([
    [
      "siblings, case and spacing as AD compares them",
      [
        "CN=A,OU=Staff,DC=corp,DC=contoso,DC=com",
        "cn=B, ou=staff, dc=CORP,dc=contoso,dc=com",
        "CN=C,OU=Former,DC=corp,DC=contoso,DC=com",
      ],
      SCOPE,
    ],
    [
      "escaped commas in the leaf and in the OU",
      [
        "CN=Smith\\, Jo,OU=Sales\\, EMEA,DC=corp,DC=contoso,DC=com",
        "CN=Smith\\2C Jo,OU=Sales\\2C EMEA,DC=corp,DC=contoso,DC=com",
        "CN=a\\\\,OU=Staff,DC=corp,DC=contoso,DC=com",
      ],
      SCOPE,
    ],
    [
      "multi-valued RDNs and deeper subtrees",
      ["CN=a+SN=b,OU=Staff,DC=corp,DC=contoso,DC=com", "CN=x,OU=Sub,OU=Staff,DC=corp,DC=contoso,DC=com"],
      SCOPE,
    ],
    [
      "an object that is one of the OUs, and their parent",
      ["OU=Staff,DC=corp,DC=contoso,DC=com", "DC=corp,DC=contoso,DC=com"],
      SCOPE,
    ],
    [
      "a malformed leaf under an OU in scope",
      ["CN=A,OU=Staff,DC=corp,DC=contoso,DC=com", "Staff,OU=Staff,DC=corp,DC=contoso,DC=com"],
      SCOPE,
    ],
    ["a lone backslash and an empty RDN", ["CN=A\\", "CN=A,,OU=Staff,DC=corp,DC=contoso,DC=com"], SCOPE],
    [
      "a blank parent with a blank OU in the scope",
      ["CN=A, ", "CN=B,OU=Staff,DC=corp,DC=contoso,DC=com"],
      [" ", ...SCOPE],
    ],
    ["a malformed OU in the scope", ["CN=A,OU=Staff,DC=corp,DC=contoso,DC=com"], ["OU=Staff,,DC=x"]],
  ])("keeps what inSyncScope keeps: %s", (_name, dns, scope) => {
    const result = filtered(dns, scope);

    expect(result).toEqual(expected(dns, scope));
  });
});
