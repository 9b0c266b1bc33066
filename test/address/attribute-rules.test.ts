/**
 * The attribute rules, value by value. The values come from IdFix's published rule list ("Errors
 * supported by the IdFix tool") and Microsoft's "Prepare for directory synchronization" attribute
 * reference: the characters each one names, and the lengths at and one past each limit.
 */
import { describe, expect, it } from "@jest/globals";

import {
  checkMailAddress,
  checkMailNickname,
  checkSamAccountName,
  checkUserPrincipalName,
  suggestMailNickname,
  suggestSamAccountName,
  suggestUserPrincipalName,
} from "../../src/address/attribute-rules.js";

const rules = (problems: { rule: string }[]): string[] => problems.map((p) => p.rule);

describe("userPrincipalName (Entra: A-Z a-z 0-9 ' . - _ ! # ^ ~, 113 characters, 64 before '@', 48 after)", () => {
  it("accepts every character Entra allows before '@'", () => {
    expect(checkUserPrincipalName("asmith@contoso.com")).toEqual([]);
    expect(checkUserPrincipalName("o'brien.a-b_c!d#e^f~g@contoso.com")).toEqual([]);
    expect(checkUserPrincipalName("Alice.Smith@Contoso.COM")).toEqual([]);
  });

  // IdFix: invalid chars whitespace \ % & * + / = ? { } | < > ( ) ; : , [ ] " and umlaut.
  it.each([
    " ",
    "\\",
    "%",
    "&",
    "*",
    "+",
    "/",
    "=",
    "?",
    "{",
    "}",
    "|",
    "<",
    ">",
    "(",
    ")",
    ";",
    ":",
    ",",
    "[",
    "]",
    '"',
    "ü",
    "ñ",
    "é",
  ])("refuses %j before '@' as InvalidCharacter", (char) => {
    const problems = checkUserPrincipalName(`nina${char}baker@contoso.com`);

    expect(rules(problems)).toEqual(["InvalidCharacter"]);
    expect(problems[0]!.detail).toContain(char === " " ? "a space" : JSON.stringify(char).slice(1, -1));
  });

  it("suggests the value without the bad characters, accents folded", () => {
    expect(suggestUserPrincipalName("nina&baker@contoso.com")).toBe("ninabaker@contoso.com");
    expect(suggestUserPrincipalName("niña@contoso.com")).toBe("nina@contoso.com");
    expect(suggestUserPrincipalName("Jürgen Müller@contoso.com")).toBe("JurgenMuller@contoso.com");
  });

  it("allows 113 characters, 64 before '@' and 48 after, and no more", () => {
    const local64 = "a".repeat(64);
    const domain48 = `${"d".repeat(44)}.com`;

    expect(checkUserPrincipalName(`${local64}@${domain48}`)).toEqual([]);
    expect(`${local64}@${domain48}`).toHaveLength(113);
    expect(rules(checkUserPrincipalName(`${"a".repeat(65)}@contoso.com`))).toEqual(["TooLong"]);
    expect(rules(checkUserPrincipalName(`a@${"d".repeat(45)}.com`))).toEqual(["TooLong"]);
    expect(rules(checkUserPrincipalName(`${"a".repeat(65)}@${domain48}`))).toEqual(["TooLong", "TooLong"]);
  });

  it("needs name@domain, without a '.' at the start or before '@'", () => {
    for (const bad of [
      "asmith",
      "@contoso.com",
      "asmith@",
      "a@b@contoso.com",
      ".asmith@contoso.com",
      "asmith.@contoso.com",
      "a..smith@contoso.com",
      "asmith@contoso..com",
    ])
      expect(rules(checkUserPrincipalName(bad))).toContain("InvalidFormat");
  });

  it("flags suffixes that cannot be routed: .local, .corp, .lan, a one-letter TLD, a TLD with digits", () => {
    for (const suffix of [
      "contoso.local",
      "corp.contoso.corp",
      "contoso.lan",
      "contoso.x",
      "contoso.c0m",
      "contoso.internal",
    ])
      expect(rules(checkUserPrincipalName(`asmith@${suffix}`))).toEqual(["NonRoutableDomain"]);
  });

  it("accepts real TLDs, new gTLDs (IdFix issue 5: .cloud) and IDN TLDs alike", () => {
    for (const suffix of [
      "contoso.com",
      "contoso.co.uk",
      "contoso.cloud",
      "contoso.microsoft",
      "contoso.xn--p1ai",
    ])
      expect(checkUserPrincipalName(`asmith@${suffix}`)).toEqual([]);
  });

  it("calls empty and white-space values Blank, and white space at the ends InvalidCharacter", () => {
    expect(rules(checkUserPrincipalName(""))).toEqual(["Blank"]);
    expect(rules(checkUserPrincipalName("   "))).toEqual(["Blank"]);
    expect(rules(checkUserPrincipalName("asmith@contoso.com "))).toEqual(["InvalidCharacter"]);
  });
});

describe("mailNickname (Microsoft: no white space or \\ ! # $ % & * + / = ? ^ ` { } | ~ < > ( ) ' ; : , [ ] \" @, 64 characters, no '.' at either end)", () => {
  it("accepts an ordinary alias", () => {
    expect(checkMailNickname("alice.smith_2-x")).toEqual([]);
  });

  it.each([
    " ",
    "\\",
    "!",
    "#",
    "$",
    "%",
    "&",
    "*",
    "+",
    "/",
    "=",
    "?",
    "^",
    "`",
    "{",
    "}",
    "|",
    "~",
    "<",
    ">",
    "(",
    ")",
    "'",
    ";",
    ":",
    ",",
    "[",
    "]",
    '"',
    "@",
    "é",
  ])("refuses %j", (char) => {
    expect(rules(checkMailNickname(`alice${char}smith`))).toEqual(["InvalidCharacter"]);
  });

  it("refuses a leading or trailing period (IdFix: may not begin with a period)", () => {
    expect(rules(checkMailNickname(".asmith"))).toEqual(["LeadingOrTrailingPeriod"]);
    expect(rules(checkMailNickname("asmith."))).toEqual(["LeadingOrTrailingPeriod"]);
    expect(suggestMailNickname(".a smith.")).toBe("asmith");
  });

  it("allows 64 characters and no more", () => {
    expect(checkMailNickname("n".repeat(64))).toEqual([]);
    expect(rules(checkMailNickname("n".repeat(65)))).toEqual(["TooLong"]);
    expect(suggestMailNickname("n".repeat(65))).toBe("n".repeat(64));
  });

  it("calls an empty alias Blank", () => {
    expect(rules(checkMailNickname(" "))).toEqual(["Blank"]);
  });
});

describe('sAMAccountName (IdFix: invalid [ \\ " | , / : < > + = ; ? * ], 20 characters for users)', () => {
  it.each(["[", "]", "\\", '"', "|", ",", "/", ":", "<", ">", "+", "=", ";", "?", "*"])(
    "refuses %j",
    (char) => {
      expect(rules(checkSamAccountName(`ab${char}cd`, "user"))).toEqual(["InvalidCharacter"]);
    },
  );

  it("allows 20 characters for a user and 256 for a group", () => {
    expect(checkSamAccountName("u".repeat(20), "user")).toEqual([]);
    expect(rules(checkSamAccountName("u".repeat(21), "user"))).toEqual(["TooLong"]);
    expect(checkSamAccountName("g".repeat(21), "group")).toEqual([]);
    expect(rules(checkSamAccountName("g".repeat(257), "group"))).toEqual(["TooLong"]);
  });

  it("suggests the name without the bad characters, cut to the limit", () => {
    expect(suggestSamAccountName("a/b:c", "user")).toBe("abc");
    expect(suggestSamAccountName("abcdefghijklmnopqrstuvwxyz", "user")).toBe("abcdefghijklmnopqrst");
  });
});

describe('mail and SMTP proxy addresses (IdFix: invalid white space < > ( ) ; , [ ] ", 256 characters, routable)', () => {
  it.each([" ", "<", ">", "(", ")", ";", ",", "[", "]", '"'])("refuses %j", (char) => {
    expect(rules(checkMailAddress(`alice${char}smith@contoso.com`))).toEqual(["InvalidAddress"]);
  });

  it("allows a proxy value of 256 characters, SMTP: included, and no more", () => {
    const domain = (n: number): string => `${"d".repeat(60)}.${"e".repeat(60)}.${"f".repeat(n)}.com`;
    const at256 = `${"a".repeat(64)}@${domain(256 - 5 - 65 - 126)}`;

    expect(`SMTP:${at256}`).toHaveLength(256);
    expect(checkMailAddress(at256)).toEqual([]);
    expect(rules(checkMailAddress(`a${at256}`))).toEqual(["AddressTooLong"]);
  });

  it("flags addresses on domains that cannot be routed", () => {
    expect(rules(checkMailAddress("asmith@contoso.local"))).toEqual(["NonRoutableDomain"]);
    expect(checkMailAddress("asmith@contoso.com")).toEqual([]);
  });

  it("calls an empty value Blank", () => {
    expect(rules(checkMailAddress(""))).toEqual(["Blank"]);
  });
});
