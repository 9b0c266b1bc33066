/** The LDIF reader: what `ldapsearch -LLL` and `ldifde` write, and every malformed form, by line. */
import { describe, expect, it } from "@jest/globals";

import type { LdifEntry } from "../../../src/directory/ad/ldif.js";
import { asciiBytes } from "../../../src/model/text-encoding.js";
import { decodeLdif, LdifSyntaxError, parseLdif, scanLdif } from "../../../src/directory/ad/ldif.js";

function values(text: string, attribute: string, record = 0): string[] {
  return (parseLdif(text)[record]?.attributes.get(attribute.toLowerCase()) ?? []).map((b) =>
    b.toString("utf8"),
  );
}

function syntaxError(text: string): { line: number; message: string } {
  try {
    parseLdif(text);
  } catch (error) {
    if (error instanceof LdifSyntaxError) return { line: error.line, message: error.message };
    throw error;
  }
  throw new Error("parsed without error");
}

describe("parseLdif", () => {
  it("reads records separated by blank lines, skipping comments and the version line", () => {
    const text =
      "version: 1\n\n# a comment\ndn: CN=A,DC=x\nmail: a@x.com\n\n\n# between\n\ndn: CN=B,DC=x\nmail: b@x.com\n";

    const records = parseLdif(text);

    expect(records.map((r) => [r.dn, r.line])).toEqual([
      ["CN=A,DC=x", 4],
      ["CN=B,DC=x", 10],
    ]);
    expect(values(text, "mail", 1)).toEqual(["b@x.com"]);
  });

  it("joins folded lines, including a folded comment and a folded base64 value", () => {
    const text = [
      "# refldaps://idanchor.test/CN=Configuration,DC=idan",
      " chor,DC=test",
      "dn: CN=Alice Smith,OU=Staff,DC=corp,DC=contoso,DC",
      " =com",
      "proxyAddresses: X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23",
      " SPDLT)/cn=Recipients/cn=asmith",
      "objectGUID:: cokjQRZ6Ilu",
      " MaPBpfDaspQ==",
      "",
    ].join("\n");

    const [record] = parseLdif(text);

    expect(record?.dn).toBe("CN=Alice Smith,OU=Staff,DC=corp,DC=contoso,DC=com");
    expect(values(text, "proxyAddresses")).toEqual([
      "X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=asmith",
    ]);
    expect(record?.attributes.get("objectguid")?.[0]?.toString("hex")).toBe(
      "72892341167a225b8c68f0697c36aca5",
    );
  });

  it("keeps multi-valued attributes in file order, attribute names case-insensitive", () => {
    const text =
      "dn: CN=A,DC=x\nproxyAddresses: SMTP:a@x.com\nPROXYADDRESSES: X500:/o=x\nproxyaddresses: smtp:b@x.com\n";

    const read = values(text, "proxyAddresses");

    expect(read).toEqual(["SMTP:a@x.com", "X500:/o=x", "smtp:b@x.com"]);
  });

  it("reads base64 DNs and values as UTF-8 (non-ASCII and special characters)", () => {
    const dn = "CN=Star *)(cn\\3D* Back\\\\slash Jörg,OU=Staff,DC=x";
    const text = `dn:: ${Buffer.from(dn).toString("base64")}\ndisplayName:: ${Buffer.from("Jörg Müller").toString("base64")}\n`;

    const [record] = parseLdif(text);

    expect(record?.dn).toBe(dn);
    expect(values(text, "displayName")).toEqual(["Jörg Müller"]);
  });

  it("reads ldifde output: CRLF line ends, changetype: add, folding at 79 columns", () => {
    const text =
      "dn: CN=Bob Jones,OU=Staff,DC=corp,DC=contoso,DC=com\r\nchangetype: add\r\nobjectClass: top\r\nobjectClass: user\r\nsAMAccountName: bjo\r\n nes\r\n\r\n";

    const [record] = parseLdif(text);

    expect(record?.dn).toBe("CN=Bob Jones,OU=Staff,DC=corp,DC=contoso,DC=com");
    expect(values(text, "sAMAccountName")).toEqual(["bjones"]);
    expect(values(text, "objectClass")).toEqual(["top", "user"]);
    expect(record?.attributes.has("changetype")).toBe(false);
  });

  it("drops attribute options such as ;binary and keeps an empty value", () => {
    const text = "dn: CN=A,DC=x\nuserCertificate;binary:: AAE=\ndescription:\n";

    const [record] = parseLdif(text);

    expect(record?.attributes.get("usercertificate")?.[0]).toEqual(Buffer.from([0, 1]));
    expect(values(text, "description")).toEqual([""]);
  });

  it("reads a folded version line, a version line followed directly by the first entry, and ref: records", () => {
    const text =
      "vers\n ion: 1\ndn: CN=A,DC=x\nmail: a@x.com\n\nref: ldap://dc2.x/DC=y\nREF: ldap://dc3.x/DC=z\n\ndn: CN=B,DC=x\n";

    const records = parseLdif(text);

    expect(records.map((r) => [r.dn, r.line])).toEqual([
      ["CN=A,DC=x", 3],
      ["CN=B,DC=x", 9],
    ]);
  });

  it("keeps a value's trailing spaces and a lone CR inside a line; drops the CR of a CRLF", () => {
    const text = "dn: CN=A,DC=x\r\ndescription:   two trailing  \r\ninfo: a\rb\r\n";

    const [record] = parseLdif(text);

    expect(record?.attributes.get("description")?.map(String)).toEqual(["two trailing  "]);
    expect(record?.attributes.get("info")?.map(String)).toEqual(["a\rb"]);
  });

  it("skips the summary record that `ldapsearch -L` (one L) appends", () => {
    const text = "dn: CN=A,DC=x\nmail: a@x.com\n\n# search result\nsearch: 2\nresult: 0 Success\n";

    const records = parseLdif(text);

    expect(records).toHaveLength(1);
  });

  it.each([
    [
      "a continuation after a blank line",
      "dn: CN=A,DC=x\n\n continued\n",
      3,
      /must directly follow the line it continues/,
    ],
    ["a continuation as the first line", " dn: CN=A,DC=x\n", 1, /must directly follow/],
    [
      "a line without a colon",
      "dn: CN=A,DC=x\nmail a@x.com\n",
      2,
      /"mail a@x.com" is not "attribute: value"/,
    ],
    [
      "an unfolded long value",
      "dn: CN=A,DC=x\nproxyAddresses: X500:/o=Contoso/ou=Exchange Administ\nrative Group\n",
      3,
      /must start that line with exactly one space/,
    ],
    [
      "invalid base64",
      "dn: CN=A,DC=x\nobjectGUID:: not*base64\n",
      2,
      /the value of objectGUID after "::" is not valid base64/,
    ],
    [
      "a value read from a file",
      "dn: CN=A,DC=x\njpegPhoto:< file:///etc/passwd\n",
      2,
      /takes its value from a file or URL .* not read/,
    ],
    [
      "a record without dn",
      "dn: CN=A,DC=x\n\nmail: a@x.com\n",
      3,
      /an entry must start with a "dn:" line, not "mail:"/,
    ],
    [
      "two records without a blank line",
      "dn: CN=A,DC=x\nmail: a@x.com\ndn: CN=B,DC=x\n",
      3,
      /a second dn: line inside one entry/,
    ],
    [
      "a change record",
      "dn: CN=A,DC=x\nchangetype: modify\nreplace: mail\nmail: a@x.com\n-\n",
      2,
      /"changetype: modify" is a change/,
    ],
    ["a malformed DN", "dn: CN=A\\\n", 1, /bad dn: .*lone backslash/],
    [
      "a DN component without =",
      "dn: CN=A,Staff,DC=x\n",
      1,
      /bad dn: "Staff" .* is not of the form type=value/,
    ],
    [
      "the same DN twice",
      "dn: CN=A,DC=x\n\ndn: cn=a, dc=X\n",
      3,
      /"cn=a, dc=X" appears twice \(first at line 1\)/,
    ],
    ["an unknown LDIF version", "version: 2\ndn: CN=A,DC=x\n", 1, /LDIF version "2" is not supported/],
    [
      "a version line that is not the file's first",
      "dn: CN=A,DC=x\n\nversion: 1\n",
      3,
      /an entry must start with a "dn:" line, not "version:"/,
    ],
    ["an option without a name", "dn: CN=A,DC=x\ncn;: a\n", 2, /"cn;: a" is not "attribute: value"/],
    ["a record starting with a bad base64 value", "mail:: a*b=\n", 1, /the value of mail after "::"/],
    [
      "a record without dn, by its first attribute's name without options",
      "dn: CN=A,DC=x\n\nmail;lang-en: a@x.com\n",
      3,
      /not "mail:"/,
    ],
    [
      "a truncated search (result: 4)",
      "dn: CN=A,DC=x\n\nsearch: 2\nresult: 4 Size limit exceeded\n",
      4,
      /ended with "result: 4 Size limit exceeded", so the export is incomplete/,
    ],
    [
      "a continuation after a blank line, before an earlier problem",
      "dn: CN=A,DC=x\nmail a@x.com\n\ndn: CN=B,DC=x\n\n stray\n",
      6,
      /must directly follow the line it continues/,
    ],
    [
      "the same DN twice, after a continuation on a comment",
      "# a comment\n  folded\ndn: CN=A,DC=x\n\ndn: CN=A,DC=X\n",
      5,
      /appears twice \(first at line 3\)/,
    ],
  ])("refuses %s, naming the line", (_name, text, line, message) => {
    const error = syntaxError(text);

    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
  });
});

describe("decodeLdif", () => {
  it("reads UTF-8 with or without BOM, and UTF-16 LE as ldifde -u writes it", () => {
    const text = "dn: CN=Jörg,DC=x\n";

    const decoded = [
      decodeLdif(Buffer.from(text, "utf8")),
      decodeLdif(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")])),
      decodeLdif(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])),
    ];

    expect(decoded).toEqual([text, text, text]);
  });

  it("refuses text that is not UTF-8, naming the line", () => {
    const content = Buffer.concat([
      Buffer.from("dn: CN=A,DC=x\ndisplayName: J"),
      Buffer.from([0xf6]),
      Buffer.from("rg\n"),
    ]);

    const error = (() => {
      try {
        decodeLdif(content);
      } catch (e) {
        return e as LdifSyntaxError;
      }
      throw new Error("decoded");
    })();

    expect(error).toBeInstanceOf(LdifSyntaxError);
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/not UTF-8/);
  });
});

describe("values copied from the bytes of an ASCII export", () => {
  const text =
    "dn: CN=Alice Example,OU=Staff,DC=x\nmail: alice.example@contoso.example.com\nproxyAddresses: SMTP:alice.\n example@contoso.example.com\ndescription:: w6lsw6h2ZQ==\n\n" +
    "dn: CN=Bob,DC=x\r\nmail: bob@x.com\r\n";

  function scanned(ascii?: Buffer): Omit<LdifEntry, "components">[] {
    const out: Omit<LdifEntry, "components">[] = [];
    scanLdif(text, ({ dn, line, attributes }) => out.push({ dn, line, attributes }), undefined, ascii);
    return out;
  }

  it("are the values the text gives, folded lines and base64 included", () => {
    const utf8 = Buffer.from(text, "utf8");

    expect(asciiBytes(text, utf8)).toBe(utf8);
    expect(scanned(asciiBytes(text, utf8))).toEqual(scanned());
  });

  it("are taken from a copy when the file was UTF-16, and not at all when the text is not ASCII", () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const copy = asciiBytes(decodeLdif(utf16), utf16);

    expect(copy?.toString("latin1")).toBe(text);
    expect(scanned(copy)).toEqual(scanned());
    expect(asciiBytes("dn: CN=José,DC=x\n", Buffer.from("dn: CN=José,DC=x\n"))).toBeUndefined();
  });
});
