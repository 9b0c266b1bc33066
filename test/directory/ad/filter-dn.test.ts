/** RFC 4515 filter escaping, and DN comparison as AD does it (case, spaces and escapes ignored). */
import { describe, expect, it } from "@jest/globals";
import { FilterParser } from "ldapts";

import { dnKey, isWithin } from "../../../src/model/dn.js";
import { equalityFilter, escapeFilterValue } from "../../../src/directory/ad/filter.js";
import { objectTypeOf } from "../../../src/directory/ad/to-ad-object.js";

describe("escapeFilterValue", () => {
  it.each([
    ["*", "\\2a"],
    ["*)(cn=*", "\\2a\\29\\28cn=\\2a"],
    ["back\\slash", "back\\5cslash"],
    ["nul\u0000", "nul\\00"],
    ["Jörg (x)", "Jörg \\28x\\29"],
    ["plain", "plain"],
  ])("escapes %j as %j", (value, escaped) => {
    const result = escapeFilterValue(value);

    expect(result).toBe(escaped);
  });

  it("escapes every byte of binary values (a GUID's stored bytes)", () => {
    const bytes = Buffer.from("d707ccf7157c7d44876dc01b0e5a9e38", "hex");

    const escaped = escapeFilterValue(bytes);

    expect(escaped).toBe("\\d7\\07\\cc\\f7\\15\\7c\\7d\\44\\87\\6d\\c0\\1b\\0e\\5a\\9e\\38");
  });

  it("builds a filter that parses back to one equality test on the exact value", () => {
    const value = "*)(|(objectClass=*)\\\u0000ö";

    const parsed = FilterParser.parseString(equalityFilter("sAMAccountName", value));

    expect(parsed).toMatchObject({ attribute: "sAMAccountName", value });
    expect(parsed.constructor.name).toBe("EqualityFilter");
  });

  it("refuses an attribute name that is not a plain descriptor", () => {
    const build = (): string => equalityFilter("cn)(objectClass", "x");

    expect(build).toThrow("not an attribute name");
  });
});

describe("DN comparison", () => {
  it("treats case, spaces around separators and equivalent escapes as the same name", () => {
    const keys = [
      "CN=Smith\\, John,OU=Staff,DC=corp,DC=com",
      "cn=smith\\2c john, ou=STAFF , dc=Corp,dc=com",
      "CN=Smith\\2C John,OU=Staff,DC=corp,DC=com",
    ].map(dnKey);

    expect(new Set(keys).size).toBe(1);
    expect(dnKey("CN=Smith John,OU=Staff,DC=corp,DC=com")).not.toBe(keys[0]);
  });

  it("decodes hex-escaped UTF-8 (non-ASCII) the same as the characters themselves", () => {
    const escaped = dnKey("CN=J\\C3\\B6rg,DC=x");

    const plain = dnKey("CN=Jörg,DC=x");

    expect(escaped).toBe(plain);
  });

  it("knows what lies inside a subtree, by whole RDNs only", () => {
    const staff = "OU=Staff,DC=corp,DC=com";

    const results = [
      isWithin("CN=A,OU=Staff,DC=corp,DC=com", staff),
      isWithin("CN=A,OU=Team,ou=staff,dc=corp,dc=com", staff),
      isWithin("OU=Staff,DC=corp,DC=com", staff),
      isWithin("CN=A,OU=Former Staff,DC=corp,DC=com", staff),
      isWithin("CN=OU\\=Staff,OU=Former,DC=corp,DC=com", staff),
      isWithin("CN=A,OU=Staff,DC=corp,DC=org", staff),
      isWithin("DC=corp,DC=com", staff),
    ];

    expect(results).toEqual([true, true, true, false, false, false, false]);
  });
});

describe("objectTypeOf", () => {
  it("selects users, contacts and groups, never computers or OUs", () => {
    const types = [
      ["top", "person", "organizationalPerson", "user"],
      ["top", "person", "organizationalPerson", "user", "inetOrgPerson"],
      ["top", "person", "organizationalPerson", "user", "computer"],
      ["top", "person", "organizationalPerson", "contact"],
      ["top", "group"],
      ["top", "organizationalUnit"],
      ["top", "domain", "domainDNS"],
    ].map(objectTypeOf);

    expect(types).toEqual(["user", "user", undefined, "contact", "group", undefined, undefined]);
  });
});
