/**
 * A generated, clean AD export of N users, groups and contacts (as `ldapsearch -LLL` writes it),
 * with problems planted at chosen objects: the hygiene test checks that exactly those are found.
 */
export const BASE = "DC=corp,DC=contoso,DC=com";
export const STAFF = `OU=Staff,${BASE}`;
export const FORMER = `OU=Former,${BASE}`;

export interface Entry {
  dn: string;
  objectClass: "user" | "group" | "contact";
  attributes: [string, string][];
}

const guid = (i: number): string => {
  const hex = i.toString(16).padStart(12, "0");
  return Buffer.from(`0b1ec700000040009000${hex}`, "hex").toString("base64");
};

/** Object i: 80% users, 10% groups (i % 10 == 7), 10% contacts (i % 10 == 3), all valid and unique. */
export function cleanEntry(i: number, ou = STAFF): Entry {
  if (i % 10 === 3)
    return {
      dn: `CN=Contact ${i},${ou}`,
      objectClass: "contact",
      attributes: [
        ["mail", `ext${i}@fabrikam.net`],
        ["mailNickname", `ext${i}`],
        ["proxyAddresses", `SMTP:ext${i}@fabrikam.net`],
      ],
    };
  if (i % 10 === 7)
    return {
      dn: `CN=Team ${i},${ou}`,
      objectClass: "group",
      attributes: [
        ["sAMAccountName", `team${i}`],
        ["mail", `team${i}@contoso.com`],
        ["mailNickname", `team${i}`],
        ["proxyAddresses", `SMTP:team${i}@contoso.com`],
      ],
    };
  return {
    dn: `CN=User ${i},${ou}`,
    objectClass: "user",
    attributes: [
      ["sAMAccountName", `u${i}`],
      ["userPrincipalName", `u${i}@contoso.com`],
      ["mail", `first.last${i}@contoso.com`],
      ["mailNickname", `first.last${i}`],
      ["proxyAddresses", `SMTP:first.last${i}@contoso.com`],
      ["proxyAddresses", `smtp:u${i}@contoso.com`],
      [
        "proxyAddresses",
        `X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=u${i}`,
      ],
    ],
  };
}

/** Replaces the first value of `name` (or adds one), or removes every value when `value` is null. */
export function setAttribute(entry: Entry, name: string, value: string | null): void {
  const at = entry.attributes.findIndex(([n]) => n === name);
  if (value === null) entry.attributes = entry.attributes.filter(([n]) => n !== name);
  else if (at >= 0) entry.attributes[at] = [name, value];
  else entry.attributes.push([name, value]);
}

export function addAttribute(entry: Entry, name: string, value: string): void {
  entry.attributes.push([name, value]);
}

/** LDIF as `ldapsearch -LLL` writes it: non-ASCII and edge-space values base64 (`attr::`). */
export function toLdif(entries: readonly Entry[]): string {
  const line = (name: string, value: string): string =>
    /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value) && !value.startsWith(":") && !value.startsWith("<")
      ? `${name}: ${value}`
      : `${name}:: ${Buffer.from(value, "utf8").toString("base64")}`;
  const records = [
    `dn: ${STAFF}\nobjectClass: organizationalUnit\n`,
    `dn: ${FORMER}\nobjectClass: organizationalUnit\n`,
    ...entries.map((entry, i) =>
      [
        `dn: ${entry.dn}`,
        "objectClass: top",
        `objectClass: ${entry.objectClass}`,
        ...entry.attributes.map(([n, v]) => line(n, v)),
        `objectGUID:: ${guid(i)}`,
        "",
      ].join("\n"),
    ),
  ];
  return records.join("\n");
}
