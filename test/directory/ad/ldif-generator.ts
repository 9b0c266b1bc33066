/**
 * Random directory exports, written the many ways RFC 2849 allows (folded anywhere, base64 or plain,
 * comments, `version:`, `changetype: add`, `ref:` records, a `result:` trailer, CRLF, UTF-16), with
 * what they must read as: the entries (names lower-cased, options dropped, values as bytes, the
 * line of each `dn:`) and the AdObjects, worked out from the values chosen, not by the reader.
 */
import type { AdObject } from "../../../src/model/directory.js";
import { mulberry32 } from "../../support/graph-server-faults.js";

export const GENERATED_BASE = "DC=gen,DC=test";

/** One attribute line as written: the name as spelled in the file (options included) and the value. */
interface Line {
  name: string;
  value: Buffer;
}

export interface ExpectedEntry {
  dn: string;
  line: number;
  attributes: Map<string, Buffer[]>;
}

export interface GeneratedExport {
  /** The file's bytes (UTF-8, or UTF-16 LE with a BOM). */
  content: Buffer;
  /** The text the reader sees, for parseLdif. */
  text: string;
  entries: ExpectedEntry[];
  /** The users, contacts and groups, as AdObjects, in no particular order; `inBase`: under GENERATED_BASE. */
  objects: { object: AdObject; inBase: boolean }[];
  /** Whether any entry has an msExch* attribute. */
  exchangeSchema: boolean;
  /** The line end used: "\n" or "\r\n". */
  eol: string;
}

const hex = (bytes: Buffer, from: number, to: number, reverse: boolean): string => {
  const part = [...bytes.subarray(from, to)];
  return Buffer.from(reverse ? part.reverse() : part).toString("hex");
};

/** The GUID of 16 stored bytes: the first three groups little-endian (.NET Guid.ToByteArray). */
function guidOfBytes(b: Buffer): string {
  return [
    hex(b, 0, 4, true),
    hex(b, 4, 6, true),
    hex(b, 6, 8, true),
    hex(b, 8, 10, false),
    hex(b, 10, 16, false),
  ].join("-");
}

export function generateExport(
  seed: number,
  options: { entries: number; exchange: boolean },
): GeneratedExport {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number): boolean => random() < p;
  const bytes = (n: number): Buffer =>
    Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));

  const eol = chance(0.3) ? "\r\n" : "\n";
  // Attribute names as AD spells them, in capitals, or a mix: names compare case-insensitively.
  const spelling = pick(["as-is", "upper", "mixed"] as const);
  const utf16 = chance(0.15);
  const physical: string[] = [];
  const entries: ExpectedEntry[] = [];
  const objects: { object: AdObject; inBase: boolean; exchange: AdObject["exchange"] }[] = [];

  /** Writes one logical line, folded at random places (anywhere, even inside the name or "::"). */
  const write = (logical: string): void => {
    if (logical.length < 3 || chance(0.6)) {
      physical.push(logical);
      return;
    }
    let at = 1 + Math.floor(random() * Math.min(logical.length - 1, 40));
    physical.push(logical.slice(0, at));
    while (at < logical.length) {
      const width = 1 + Math.floor(random() * 30);
      physical.push(` ${logical.slice(at, at + width)}`);
      at += width;
    }
  };
  const comment = (): void =>
    write(`# ${pick(["exported", "search base", "refldap://x/DC=y,DC=z"])} ${Math.floor(random() * 1000)}`);
  /** A value is written plain when the grammar allows it and the dice say so, else as base64. */
  const attributeLine = ({ name, value }: Line): string => {
    const text = value.toString("utf8");
    const plainable =
      Buffer.from(text, "utf8").equals(value) && !/[\r\n\0]/.test(text) && !/^[ :<]/.test(text);
    if (plainable && chance(0.8))
      return `${name}:${" ".repeat(text === "" ? pick([0, 1]) : pick([0, 1, 1, 2]))}${text}`;
    return `${name}::${" ".repeat(pick([0, 1, 1, 2]))}${value.toString("base64")}${chance(0.1) ? " " : ""}`;
  };

  if (chance(0.5)) write("version: 1");
  if (physical.length > 0 && chance(0.5)) physical.push("");
  for (let i = 0; i < options.entries; i++) {
    if (chance(0.2)) comment();
    if (chance(0.05)) {
      write(`ref: ldap://dc${i}.gen.test/DC=other${i},DC=test`);
      physical.push("");
    }
    const kind = pick(["user", "user", "user", "contact", "group", "ou", "computer"] as const);
    const outside = chance(0.1);
    const name = pick([`Object ${i}`, `Smith\\, Jo ${i}`, `Jörg ${i}`, `a\\+b ${i}`]);
    const container = outside
      ? "OU=Far,DC=elsewhere,DC=test"
      : `OU=${pick(["Staff", "Shared"])},${GENERATED_BASE}`;
    const dn = kind === "ou" ? `OU=Unit ${i},${container}` : `CN=${name},${container}`;
    const lines: Line[] = [];
    const add = (attribute: string, value: string | Buffer): void => {
      const spelled =
        spelling === "mixed"
          ? pick([attribute, attribute.toLowerCase(), attribute.toUpperCase()])
          : spelling === "upper"
            ? attribute.toUpperCase()
            : attribute;
      lines.push({
        name: chance(0.05) ? `${spelled};x-opt${chance(0.5) ? ";lang-en" : ""}` : spelled,
        value: typeof value === "string" ? Buffer.from(value, "utf8") : value,
      });
    };

    const classes = {
      user: ["top", "person", "organizationalPerson", "user"],
      contact: ["top", "person", "contact"],
      group: ["top", "group"],
      ou: ["top", "organizationalUnit"],
      computer: ["top", "person", "user", "computer"],
    }[kind];
    for (const c of classes) add("objectClass", chance(0.2) ? c.toUpperCase() : c);
    const guidBytes = bytes(16);
    const textGuid = chance(0.1);
    const objectGuid = guidOfBytes(guidBytes);
    add("objectGUID", textGuid ? `{${objectGuid.toUpperCase()}}` : guidBytes);
    let consistencyGuid: string | null = null;
    if (chance(0.5)) {
      const b = bytes(16);
      consistencyGuid = guidOfBytes(b);
      add("mS-DS-ConsistencyGuid", b);
    }
    const single = (attribute: string, value: string | null): string | null => {
      if (value !== null) add(attribute, value);
      return value;
    };
    single("sAMAccountName", kind === "contact" ? null : `s${i}${pick(["", " ", "é"])}`);
    single("userPrincipalName", chance(0.8) ? `u${i}@gen.test` : null);
    single(
      "mail",
      chance(0.7) ? pick([`m${i}@gen.test`, ` lead${i}@gen.test`, `:colon${i}@x`, `<${i}@x`]) : null,
    );
    single("mailNickname", chance(0.5) ? `n${i}` : null);
    single(
      "displayName",
      chance(0.8) ? pick([`Name ${i}`, `Müller ${i}`, `trail ${i}  `, "", `a: b ${i}`]) : null,
    );
    single("givenName", chance(0.5) ? `G${i}` : null);
    single("sn", chance(0.5) ? `S${i}` : null);
    const proxies = Array.from({ length: Math.floor(random() * 5) }, (_, k) =>
      pick([
        `SMTP:p${i}.${k}@gen.test`,
        `smtp:a${k}.${i}@gen.test`,
        `X500:/o=Gen/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${i}-${k}`,
      ]),
    );
    for (const p of proxies) add("proxyAddresses", p);
    const critical = chance(0.05) ? pick(["TRUE", "FALSE", " true "]) : null;
    single("isCriticalSystemObject", critical);
    let details: string | null = null;
    let mailboxGuid: string | undefined;
    if (options.exchange && chance(0.5)) {
      details = single("msExchRecipientTypeDetails", pick(["1", "128", "2147483648", " 6 ", "n/a"]));
      single("targetAddress", chance(0.5) ? `SMTP:t${i}@gen.mail.onmicrosoft.com` : null);
      for (let k = Math.floor(random() * 3); k > 0; k--) add("msExchPoliciesIncluded", `{policy ${k}}`);
      if (chance(0.2)) add("msExchPoliciesExcluded", "{excluded}");
      if (chance(0.3)) {
        const b = bytes(16);
        mailboxGuid = guidOfBytes(b);
        add("msExchMailboxGuid", b);
      }
    }
    // Attributes idanchor does not read: checked, then dropped.
    if (chance(0.5)) add("description", pick([`about ${i}`, "", "x:y"]));
    if (chance(0.3)) add("memberOf", `CN=Group ${i},${container}`);
    if (chance(0.2)) add("jpegPhoto", bytes(1 + Math.floor(random() * 40)));
    // The order of attributes in an export is the server's; what is read follows what was written.
    if (chance(0.3)) lines.reverse();

    const dnLine = physical.length + 1;
    write(chance(0.3) ? `dn:: ${Buffer.from(dn, "utf8").toString("base64")}` : `dn: ${dn}`);
    if (chance(0.3))
      write(
        pick(["changetype: add", "changeType:ADD", `changetype:: ${Buffer.from("add").toString("base64")}`]),
      );
    for (const line of lines) {
      if (chance(0.03)) comment();
      write(attributeLine(line));
    }
    for (let blank = 1 + Math.floor(random() * 2); blank > 0; blank--) physical.push("");

    const attributes = new Map<string, Buffer[]>();
    for (const { name: spelled, value } of lines) {
      const key = spelled.split(";")[0]!.toLowerCase();
      attributes.set(key, [...(attributes.get(key) ?? []), value]);
    }
    entries.push({ dn, line: dnLine, attributes });

    if (kind === "ou" || kind === "computer") continue;
    // What each attribute must read as: the values as written.
    const first = (attribute: string): string | null =>
      attributes.get(attribute.toLowerCase())?.[0]?.toString("utf8") ?? null;
    const all = (attribute: string): string[] =>
      (attributes.get(attribute.toLowerCase()) ?? []).map((v) => v.toString("utf8"));
    const object: AdObject = {
      dn,
      type: kind,
      objectClass: all("objectClass"),
      sAMAccountName: first("sAMAccountName"),
      userPrincipalName: first("userPrincipalName"),
      mail: first("mail"),
      mailNickname: first("mailNickname"),
      displayName: first("displayName"),
      givenName: first("givenName"),
      sn: first("sn"),
      proxyAddresses: all("proxyAddresses"),
      objectGuid,
      consistencyGuid,
      ...(critical?.trim().toUpperCase() === "TRUE" ? { isCriticalSystemObject: true } : {}),
    };
    const exchange = {
      policiesExcluded: all("msExchPoliciesExcluded"),
      policiesIncluded: all("msExchPoliciesIncluded"),
      recipientTypeDetails: details === null || details.trim() === "n/a" ? null : Number(details.trim()),
      targetAddress: first("targetAddress"),
      ...(mailboxGuid ? { mailboxGuid } : {}),
    };
    objects.push({ object, inBase: !outside, exchange });
  }
  // An export carries the Exchange schema when any entry has an msExch* attribute.
  const exchangeSchema = entries.some((e) => [...e.attributes.keys()].some((k) => k.startsWith("msexch")));
  if (chance(0.5)) {
    write("# search result");
    write("search: 2");
    write("result: 0 Success");
  }
  const text = physical.map((l) => `${l}${eol}`).join("");
  const content = utf16
    ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])
    : Buffer.from(text, "utf8");
  return {
    content,
    text,
    entries,
    objects: objects.map(({ object, inBase, exchange }) => ({
      object: exchangeSchema ? { ...object, exchange } : object,
      inBase,
    })),
    exchangeSchema,
    eol,
  };
}
