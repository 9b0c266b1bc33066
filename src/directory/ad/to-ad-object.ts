/**
 * The one mapping from raw directory attributes to AdObject, shared by the live adapter and the
 * LDIF reader so that both give identical AdState for the same directory.
 */
import { bytesToGuid, isGuid } from "../../address/guid.js";
import type { AdObject, AdState, ExchangeAttributes, ObjectType } from "../../model/directory.js";
import { dnComponents, DnSyntaxError } from "../../model/dn.js";

/** An entry as read: attribute names lower-cased (options such as `;range=` already resolved). */
export interface RawEntry {
  dn: string;
  attributes: Map<string, Buffer[]>;
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
  const classes = new Set(objectClass.map((c) => c.toLowerCase()));
  if (classes.has("computer")) return undefined;
  if (classes.has("contact")) return "contact";
  if (classes.has("group")) return "group";
  if (classes.has("user")) return "user";
  return undefined;
}

function texts(entry: RawEntry, name: string): string[] {
  return (entry.attributes.get(name.toLowerCase()) ?? []).map((b) => b.toString("utf8"));
}

function text(entry: RawEntry, name: string): string | null {
  return texts(entry, name)[0] ?? null;
}

/** A GUID attribute as a GUID string: 16 stored bytes, or (some exports) the GUID written as text. */
function guid(entry: RawEntry, name: string): string | null {
  const value = entry.attributes.get(name.toLowerCase())?.[0];
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

/** An LDIF export carries the Exchange schema when any entry has an msExch* attribute. */
export function hasExchangeAttributes(entry: RawEntry): boolean {
  for (const name of entry.attributes.keys()) if (name.startsWith("msexch")) return true;
  return false;
}

function exchangeOf(entry: RawEntry): ExchangeAttributes {
  const details = text(entry, "msExchRecipientTypeDetails")?.trim() ?? "";
  const mailboxGuid = guid(entry, "msExchMailboxGuid");
  return {
    policiesExcluded: texts(entry, "msExchPoliciesExcluded"),
    policiesIncluded: texts(entry, "msExchPoliciesIncluded"),
    recipientTypeDetails: /^-?\d+$/.test(details) ? Number(details) : null,
    targetAddress: text(entry, "targetAddress"),
    // Only an on-prem mailbox has one; left out otherwise so older readers' objects compare equal.
    ...(mailboxGuid ? { mailboxGuid } : {}),
  };
}

/**
 * The AdObject of an entry (raw attributes: the anchor and the scope are the planner's to derive),
 * or undefined when the entry is not a user, contact or group. With
 * `exchangeSchema`, the object carries its Exchange attributes (empty ones included).
 */
export function toAdObject(entry: RawEntry, exchangeSchema = false): AdObject | undefined {
  const objectClass = texts(entry, "objectClass");
  const type = objectTypeOf(objectClass);
  if (!type) return undefined;
  const objectGuid = guid(entry, "objectGUID");
  if (!objectGuid) throw new EntryProblem(`"${entry.dn}" has no objectGUID; export it with the entry`);
  const consistencyGuid = guid(entry, "mS-DS-ConsistencyGuid");
  return {
    dn: checkedDn(entry.dn),
    type,
    objectClass,
    sAMAccountName: text(entry, "sAMAccountName"),
    userPrincipalName: text(entry, "userPrincipalName"),
    mail: text(entry, "mail"),
    mailNickname: text(entry, "mailNickname"),
    displayName: text(entry, "displayName"),
    givenName: text(entry, "givenName"),
    sn: text(entry, "sn"),
    proxyAddresses: texts(entry, "proxyAddresses"),
    objectGuid,
    consistencyGuid,
    ...(exchangeSchema ? { exchange: exchangeOf(entry) } : {}),
    // Raw attribute only (Connect's filter is applied in plan/); absent unless TRUE.
    ...(text(entry, "isCriticalSystemObject")?.trim().toUpperCase() === "TRUE"
      ? { isCriticalSystemObject: true }
      : {}),
  };
}

/** Sorts objects into tree order (parents' names first), so both sources list them alike. */
export function sortObjects(objects: AdObject[]): AdObject[] {
  const keyed = objects.map((object) => ({ object, key: dnComponents(object.dn).reverse().join("\u0000") }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.object);
}

export function toAdState(objects: AdObject[], exchangeSchema = false): AdState {
  return { objects: sortObjects(objects), exchangeSchema };
}
