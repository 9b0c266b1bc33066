/**
 * A small directory for the AD tests, seeded into a SambaDc: OUs in and out of the sync scope,
 * users with several proxy address types, a contact, mail-enabled and plain groups, a computer
 * (never read), names with LDAP-special and non-ASCII characters, one object with many aliases.
 */
import type { ObjectType } from "../../src/model/directory.js";
import type { SambaDc } from "./samba.js";

export interface SeededObject {
  /** The DN as the DC returns it (Samba escapes "=" in a value as \3D). */
  dn: string;
  type: ObjectType;
  sAMAccountName: string | null;
  userPrincipalName: string | null;
  mail: string | null;
  mailNickname: string | null;
  displayName: string | null;
  givenName: string | null;
  sn: string | null;
  proxyAddresses: string[];
  consistencyGuid: string | null;
  inSyncScope: boolean;
}

export interface SeededDirectory {
  staff: string;
  former: string;
  shared: string;
  /** Every user, contact and group seeded (the computer is not listed: it must not be read). */
  objects: SeededObject[];
  /** The DN of the computer account seeded in OU=Staff. */
  computerDn: string;
}

/** The name with LDAP-special characters: filter metacharacters, a backslash, non-ASCII. */
export const SPECIAL_CN = "Star *)(cn=* Back\\slash Jörg";
export const SPECIAL_SAM = "jörg(x)";
/** The GUID of the test vector: its immutableId is 1wfM9xV8fUSHbcAbDlqeOA==. */
export const VECTOR_GUID = "f7cc07d7-7c15-447d-876d-c01b0e5a9e38";
export const MANY_ALIASES = 25;

const X500 = (cn: string): string =>
  `X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${cn}`;

function object(partial: Partial<SeededObject> & Pick<SeededObject, "dn" | "type">): SeededObject {
  return {
    sAMAccountName: null,
    userPrincipalName: null,
    mail: null,
    mailNickname: null,
    displayName: null,
    givenName: null,
    sn: null,
    proxyAddresses: [],
    consistencyGuid: null,
    inSyncScope: true,
    ...partial,
  };
}

const LDIF_NAMES: Record<string, string> = {
  sAMAccountName: "sAMAccountName",
  userPrincipalName: "userPrincipalName",
  mail: "mail",
  mailNickname: "mailNickname",
  displayName: "displayName",
  givenName: "givenName",
  sn: "sn",
};

/** LDIF value line; base64 when the value is not plain ASCII (as RFC 2849 requires). */
function line(name: string, value: string): string {
  return /^[\x20-\x7e]*$/.test(value) && !/^[ :<]/.test(value)
    ? `${name}: ${value}`
    : `${name}:: ${Buffer.from(value, "utf8").toString("base64")}`;
}

function guidBase64(guid: string): string {
  const b = Buffer.from(guid.replace(/-/g, ""), "hex");
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  return b.toString("base64");
}

function toLdif(o: SeededObject, addDn: string): string {
  const objectClass = { user: "user", contact: "contact", group: "group" }[o.type];
  const lines = [line("dn", addDn), `objectClass: ${objectClass}`];
  for (const [key, attr] of Object.entries(LDIF_NAMES)) {
    const value = o[key as keyof SeededObject];
    if (typeof value === "string") lines.push(line(attr, value));
  }
  for (const p of o.proxyAddresses) lines.push(line("proxyAddresses", p));
  if (o.consistencyGuid) lines.push(`mS-DS-ConsistencyGuid:: ${guidBase64(o.consistencyGuid)}`);
  return `${lines.join("\n")}\n`;
}

/** Seeds the standard test directory over LDAPS and returns what was written. */
export async function seedDirectory(dc: SambaDc): Promise<SeededDirectory> {
  const staff = `OU=Staff,${dc.baseDN}`;
  const former = `OU=Former,${dc.baseDN}`;
  const shared = `OU=Shared,${dc.baseDN}`;
  const upn = (sam: string): string => `${sam}@${dc.realm.toLowerCase()}`;
  const objects: SeededObject[] = [
    object({
      dn: `CN=Alice Smith,${staff}`,
      type: "user",
      sAMAccountName: "asmith",
      userPrincipalName: upn("asmith"),
      mail: "alice.smith@contoso.com",
      mailNickname: "alice.smith",
      displayName: "Alice Smith",
      givenName: "Alice",
      sn: "Smith",
      proxyAddresses: ["SMTP:alice.smith@contoso.com", "smtp:asmith@contoso.com", X500("asmith")],
      consistencyGuid: VECTOR_GUID,
    }),
    object({
      dn: `CN=Bob Jones,${staff}`,
      type: "user",
      sAMAccountName: "bjones",
      userPrincipalName: upn("bjones"),
      mail: "bob.jones@contoso.com",
      displayName: "Bob Jones",
      proxyAddresses: [X500("bjones"), "SIP:bob.jones@contoso.com", "SMTP:bob.jones@contoso.com"],
    }),
    object({
      dn: `CN=Eve Adams,${staff}`,
      type: "user",
      sAMAccountName: "eadams",
      userPrincipalName: upn("eadams"),
      displayName: "Eve Adams",
    }),
    object({
      // "=" is escaped by Samba as \3D, "\" as \\ (RFC 4514).
      dn: `CN=Star *)(cn\\3D* Back\\\\slash Jörg,${staff}`,
      type: "user",
      sAMAccountName: SPECIAL_SAM,
      userPrincipalName: upn("joerg"),
      mail: "joerg@contoso.com",
      displayName: "Jörg *)(cn=* \\ Müller",
      givenName: "Jörg",
      sn: "Müller",
      proxyAddresses: ["SMTP:joerg@contoso.com", "smtp:j.mueller@contoso.com"],
    }),
    object({
      dn: `CN=Many Aliases,${staff}`,
      type: "user",
      sAMAccountName: "many",
      mail: "many@contoso.com",
      proxyAddresses: [
        "SMTP:many@contoso.com",
        ...Array.from({ length: MANY_ALIASES - 2 }, (_, i) => `smtp:many${i}@contoso.com`),
        X500("many"),
      ],
    }),
    object({
      dn: `CN=Jack Brown,${former}`,
      type: "user",
      sAMAccountName: "jbrown",
      userPrincipalName: upn("jbrown"),
      mail: "jack.brown@contoso.com",
      proxyAddresses: ["SMTP:jack.brown@contoso.com"],
      consistencyGuid: "0b4c5b20-2e6a-5579-a3a6-5e5727735c77",
      inSyncScope: false,
    }),
    object({
      dn: `CN=Fabrikam Support,${shared}`,
      type: "contact",
      mail: "support@fabrikam.com",
      mailNickname: "fabrikam-support",
      displayName: "Fabrikam Support",
      proxyAddresses: ["SMTP:support@fabrikam.com", X500("fabrikam-support")],
    }),
    object({
      dn: `CN=Sales Team,${shared}`,
      type: "group",
      sAMAccountName: "sales-team",
      mail: "sales@contoso.com",
      mailNickname: "sales",
      displayName: "Sales Team",
      proxyAddresses: ["SMTP:sales@contoso.com", "smtp:sales-team@contoso.com"],
    }),
    object({ dn: `CN=Plain Group,${shared}`, type: "group", sAMAccountName: "plain-group" }),
  ];
  const computerDn = `CN=WS042,${staff}`;
  const ous = [staff, former, shared].map((dn) => `dn: ${dn}\nobjectClass: organizationalUnit\n`);
  const computer = `dn: ${computerDn}\nobjectClass: computer\nsAMAccountName: WS042$\n`;
  const entries = objects.map((o) => toLdif(o, o.dn.replace("\\3D", "\\=")));
  await dc.ldapModify([...ous, computer, ...entries].join("\n"));
  return { staff, former, shared, objects, computerDn };
}

/** Adds `count` mail contacts under a new OU straight into the database (fast), for paging tests. */
export async function seedBulkContacts(dc: SambaDc, ou: string, count: number): Promise<void> {
  const records = [`dn: ${ou}\nobjectClass: organizationalUnit\n`];
  for (let i = 0; i < count; i++)
    records.push(
      `dn: CN=Bulk ${i},${ou}\nobjectClass: contact\nmail: bulk${i}@fabrikam.com\n` +
        `proxyAddresses: SMTP:bulk${i}@fabrikam.com\n`,
    );
  await dc.ldbAdd(records.join("\n"));
}
