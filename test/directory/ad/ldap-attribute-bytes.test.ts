/**
 * The attributes asked as bytes (the GUIDs) are kept as the DC sent them by ldapts's own parser,
 * never run through its UTF-8 decode first; every other attribute is decoded as before. The
 * values are BER-encoded here as a DC sends them and parsed by ldapts's Attribute and SearchEntry.
 */
import { randomBytes } from "node:crypto";

import { describe, expect, it } from "@jest/globals";
import asn1 from "asn1";
import { Attribute, SearchEntry } from "ldapts";

import { BUFFER_ATTRIBUTES } from "../../../src/directory/ad/ldap-read.js";

/** One PartialAttribute (SEQUENCE { type, SET OF value }) as it arrives in a search entry. */
function received(type: string, values: Buffer[]): Attribute {
  const writer = new asn1.BerWriter();
  writer.startSequence();
  writer.writeString(type);
  writer.startSequence(0x31);
  for (const value of values) writer.writeBuffer(value, asn1.Ber.OctetString);
  writer.endSequence();
  writer.endSequence();
  const attribute = new Attribute();
  attribute.parse(new asn1.BerReader(writer.buffer));
  return attribute;
}

describe("ldapts's parse of a search entry's attributes", () => {
  it.each(BUFFER_ATTRIBUTES)("keeps %s's bytes as bytes, even when they would decode as UTF-8", (type) => {
    // 16 bytes that are valid UTF-8 (the decode would have made them a string) and 16 random ones.
    const text = Buffer.from("0123456789abcdef");
    const random = randomBytes(16);

    const attribute = received(type, [text, random]);

    expect(attribute.values.map((v) => Buffer.isBuffer(v))).toEqual([true, true]);
    expect(attribute.values).toEqual([text, random]);
  });

  it("still decodes every other attribute, and keeps ;binary ones as bytes", () => {
    const names = received("proxyAddresses", [
      Buffer.from("SMTP:ann@contoso.com"),
      Buffer.from("smtp:ä@contoso.com"),
    ]);
    const certificate = received("userCertificate;binary", [Buffer.from("cert")]);

    expect(names.values).toEqual(["SMTP:ann@contoso.com", "smtp:ä@contoso.com"]);
    expect(certificate.values).toEqual([Buffer.from("cert")]);
  });

  it("hands the same entry to a search as before: GUIDs as bytes, text as strings", () => {
    const guid = randomBytes(16);
    const entry = new SearchEntry({
      messageId: 1,
      name: "CN=Ann,DC=corp,DC=example",
      attributes: [received("objectGUID", [guid]), received("cn", [Buffer.from("Ann")])],
    });

    expect(entry.toObject(["objectGUID", "cn", "mail"], BUFFER_ATTRIBUTES)).toEqual({
      dn: "CN=Ann,DC=corp,DC=example",
      objectGUID: guid,
      cn: "Ann",
      mail: [],
    });
  });
});
