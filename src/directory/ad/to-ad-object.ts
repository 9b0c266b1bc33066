/**
 * The one mapping from raw directory attributes to AdObject, shared by the live adapter and the
 * LDIF reader so that both give identical AdState for the same directory.
 */
import { bytesToGuid, isGuid } from "../../address/guid.js";
import type { AdObject, AdState, ExchangeAttributes, ObjectType } from "../../model/directory.js";
import { none } from "../../model/arrays.js";
import { dnComponents, DnSyntaxError } from "../../model/dn.js";

/** An entry as read: attribute names lower-cased (options such as `;range=` already resolved). */
export interface RawEntry {
  dn: string;
  attributes: Map<string, Buffer[]>;
}

/**
 * What the mapping reads: a RawEntry, or an LDIF entry whose plain values are already text (the
 * UTF-8 they were written in, decoded once, instead of bytes decoded again per attribute).
 */
export interface MappableEntry {
  dn: string;
  attributes: ReadonlyMap<string, readonly (Buffer | string)[]>;
}

/** The attributes idanchor reads, as AD spells them. */
export const AD_ATTRIBUTES = [
  "objectClass",
  "sAMAccountName",
  "userPrincipalName",
  "mail",
  "mailNickname",
  "displayName",
  "givenName",
  "sn",
  "proxyAddresses",
  "objectGUID",
  "mS-DS-ConsistencyGuid",
  "isCriticalSystemObject",
] as const;

/** On-prem Exchange's attributes, read when the schema has them (AdState.exchangeSchema). */
export const EXCHANGE_ATTRIBUTES = [
  "msExchPoliciesExcluded",
  "msExchPoliciesIncluded",
  "msExchRecipientTypeDetails",
  "targetAddress",
  "msExchMailboxGuid",
] as const;

/** The attribute whose presence in the schema means "Exchange has extended this directory". */
export const EXCHANGE_SCHEMA_MARKER = "msExchPoliciesExcluded";

/** Something in an entry that cannot be mapped; the caller adds where it was (file:line or DC). */
export class EntryProblem extends Error {
  override readonly name = "EntryProblem";
}

/** user, contact or group; undefined for everything else (OUs, computers, the domain ...). */
export function objectTypeOf(objectClass: readonly string[]): ObjectType | undefined {
  let contact = false;
  let group = false;
  let user = false;
  for (const c of objectClass) {
    const name = c.toLowerCase();
    if (name === "computer") return undefined;
    if (name === "contact") contact = true;
    else if (name === "group") group = true;
    else if (name === "user") user = true;
  }
  return contact ? "contact" : group ? "group" : user ? "user" : undefined;
}

const utf8 = (value: Buffer | string): string => (typeof value === "string" ? value : value.toString("utf8"));

/** `key`: the attribute's lower-cased name. */
function texts(entry: MappableEntry, key: string): string[] {
  const values = entry.attributes.get(key);
  return values === undefined || values.length === 0 ? none() : values.map(utf8);
}

/**
 * objectClass lists as read, one list per distinct list: every user has the same four classes, and
 * 100,000 copies of them were ~16 MB. Bounded, so an export of odd classes cannot grow it for ever.
 */
const classLists = new Map<string, string[]>();
const CLASS_LISTS = 256;

function objectClassOf(entry: MappableEntry): string[] {
  const classes = texts(entry, "objectclass");
  const key = JSON.stringify(classes);
  const known = classLists.get(key);
  if (known !== undefined) return known;
  if (classLists.size < CLASS_LISTS) classLists.set(key, Object.freeze(classes) as string[]);
  return classes;
}

function text(entry: MappableEntry, key: string): string | null {
  const value = entry.attributes.get(key)?.[0];
  return value === undefined ? null : utf8(value);
}

/** A GUID attribute as a GUID string: 16 stored bytes, or (some exports) the GUID written as text. */
function guid(entry: MappableEntry, name: string): string | null {
  const read = entry.attributes.get(name.toLowerCase())?.[0];
  // A value written as text counts by its UTF-8 bytes, as when it was read as bytes.
  const value = typeof read === "string" ? Buffer.from(read, "utf8") : read;
  if (value === undefined || value.length === 0) return null;
  if (value.length === 16) return bytesToGuid(value);
  const asText = value.toString("latin1").replace(/^\{(.*)\}$/, "$1");
  if (isGuid(asText)) return asText.toLowerCase();
  throw new EntryProblem(
    `${name} of "${entry.dn}" has ${value.length} bytes, not the 16 of a GUID; binary values must be ` +
      `exported as base64 ("${name}:: ...")`,
  );
}

/** A DN that does not parse is a problem of the entry, reported where it was read. */
function checkedDn(dn: string): string {
  try {
    dnComponents(dn);
    return dn;
  } catch (error) {
    if (error instanceof DnSyntaxError) throw new EntryProblem(error.message);
    throw error;
  }
}

function exchangeOf(entry: MappableEntry): ExchangeAttributes {
  const details = text(entry, "msexchrecipienttypedetails")?.trim() ?? "";
  const mailboxGuid = guid(entry, "msExchMailboxGuid");
  return {
    policiesExcluded: texts(entry, "msexchpoliciesexcluded"),
    policiesIncluded: texts(entry, "msexchpoliciesincluded"),
    recipientTypeDetails: /^-?\d+$/.test(details) ? Number(details) : null,
    targetAddress: text(entry, "targetaddress"),
    // Only an on-prem mailbox has one; left out otherwise so older readers' objects compare equal.
    ...(mailboxGuid ? { mailboxGuid } : {}),
  };
}

/**
 * The AdObject of an entry (raw attributes: the anchor and the scope are the planner's to derive),
 * or undefined when the entry is not a user, contact or group. With
 * `exchangeSchema`, the object carries its Exchange attributes (empty ones included).
 * `dnParsed`: the caller has already parsed the DN (the LDIF reader does, for every entry).
 */
export function toAdObject(
  entry: MappableEntry,
  exchangeSchema = false,
  dnParsed = false,
): AdObject | undefined {
  const objectClass = objectClassOf(entry);
  const type = objectTypeOf(objectClass);
  if (!type) return undefined;
  const objectGuid = guid(entry, "objectGUID");
  if (!objectGuid) throw new EntryProblem(`"${entry.dn}" has no objectGUID; export it with the entry`);
  const consistencyGuid = guid(entry, "mS-DS-ConsistencyGuid");
  return {
    dn: dnParsed ? entry.dn : checkedDn(entry.dn),
    type,
    objectClass,
    sAMAccountName: text(entry, "samaccountname"),
    userPrincipalName: text(entry, "userprincipalname"),
    mail: text(entry, "mail"),
    mailNickname: text(entry, "mailnickname"),
    displayName: text(entry, "displayname"),
    givenName: text(entry, "givenname"),
    sn: text(entry, "sn"),
    proxyAddresses: texts(entry, "proxyaddresses"),
    objectGuid,
    consistencyGuid,
    ...(exchangeSchema ? { exchange: exchangeOf(entry) } : {}),
    // Raw attribute only (Connect's filter is applied in plan/); absent unless TRUE.
    ...(text(entry, "iscriticalsystemobject")?.trim().toUpperCase() === "TRUE"
      ? { isCriticalSystemObject: true }
      : {}),
  };
}

/** The attributes toAdObject reads, lower-cased as entries carry them: a reader may drop the rest. */
export const MAPPED_ATTRIBUTES: ReadonlySet<string> = new Set(
  [...AD_ATTRIBUTES, ...EXCHANGE_ATTRIBUTES].map((name) => name.toLowerCase()),
);

/** The tree-order key of a DN's components (dnComponents): parents' names sort first. */
export function treeOrderKey(components: readonly string[]): string {
  return components.slice().reverse().join("\u0000");
}

/** Objects with their tree-order keys, sorted by them. */
export function sortByKey(keyed: { object: AdObject; key: string }[]): AdObject[] {
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.object);
}

/** Sorts objects into tree order (parents' names first), so both sources list them alike. */
export function sortObjects(objects: AdObject[]): AdObject[] {
  return sortByKey(objects.map((object) => ({ object, key: treeOrderKey(dnComponents(object.dn)) })));
}

export function toAdState(objects: AdObject[], exchangeSchema = false): AdState {
  return { objects: sortObjects(objects), exchangeSchema };
}
