/**
 * Searches that return RawEntry: attributes as bytes, with range retrieval (`attr;range=0-1499`)
 * followed to the last value, as AD returns large multi-valued attributes in slices.
 */
import { Attribute } from "ldapts";
import type { Client, Entry, Filter } from "ldapts";

import type { RawEntry } from "./to-ad-object.js";

const RANGED = /^([^;]+);range=(\d+)-(\d+|\*)$/i;

/** ldapts matches these names case-sensitively; AD and Samba spell them as in the schema. */
export const BUFFER_ATTRIBUTES = [
  "objectGUID",
  "mS-DS-ConsistencyGuid",
  "objectguid",
  "ms-ds-consistencyguid",
  "msExchMailboxGuid",
  "msexchmailboxguid",
];

/**
 * ldapts decodes every value it receives as UTF-8 (`fatal`), and only then, in toObject, hands
 * back the bytes of the attributes asked as buffers. A GUID's random bytes nearly always fail that
 * decode, and each failure is a TypeError thrown and caught (~3.5 us: three GUID attributes per
 * object were 0.1 s of a 10,000-object read, and its garbage). Its test for a binary attribute
 * (the `;binary` option) is widened to the attributes asked as buffers, whose bytes are then kept
 * as received: a search returns exactly what it did, without the decode. Should a later ldapts
 * drop the method, nothing is changed.
 */
const BUFFER_TYPES: ReadonlySet<string> = new Set(BUFFER_ATTRIBUTES);
const attributeMethods = Attribute.prototype as unknown as { _isBinaryType?: (this: Attribute) => boolean };
const isBinaryType = attributeMethods._isBinaryType;
if (typeof isBinaryType === "function")
  attributeMethods._isBinaryType = function (this: Attribute): boolean {
    return BUFFER_TYPES.has(this.type) || isBinaryType.call(this);
  };

function buffers(value: Entry[string]): Buffer[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(v, "utf8")));
}

interface Pending {
  attribute: string;
  next: number;
}

/** The entry's attributes; `pending` lists ranged attributes with values still on the server. */
function fromEntry(entry: Entry): { raw: RawEntry; pending: Pending[] } {
  const attributes = new Map<string, Buffer[]>();
  const pending: Pending[] = [];
  for (const [name, value] of Object.entries(entry)) {
    if (name === "dn") continue;
    const values = buffers(value);
    const ranged = RANGED.exec(name);
    const base = ranged ? ranged[1]! : name;
    if (values.length === 0 && !ranged) continue;
    const key = base.toLowerCase();
    attributes.set(key, [...(attributes.get(key) ?? []), ...values]);
    if (ranged && ranged[3] !== "*") pending.push({ attribute: base, next: Number(ranged[3]) + 1 });
  }
  return { raw: { dn: entry.dn, attributes }, pending };
}

/** Fetches `attribute;range=next-*` until the server says `*` (the last slice). */
async function fetchRest(client: Client, raw: RawEntry, { attribute, next }: Pending): Promise<void> {
  const key = attribute.toLowerCase();
  let from = next;
  for (;;) {
    const { searchEntries } = await client.search(raw.dn, {
      scope: "base",
      filter: "(objectClass=*)",
      attributes: [`${attribute};range=${from}-*`],
    });
    const entry = searchEntries[0];
    const slice =
      entry && Object.entries(entry).find(([name]) => RANGED.exec(name)?.[1]?.toLowerCase() === key);
    if (!slice) return;
    const [name, value] = slice;
    raw.attributes.set(key, [...(raw.attributes.get(key) ?? []), ...buffers(value)]);
    const end = RANGED.exec(name)![3]!;
    if (end === "*") return;
    const following = Number(end) + 1;
    if (following <= from) throw new Error(`the server repeated the range ${name} of ${raw.dn}`);
    from = following;
  }
}

/** Fetches the rest of every ranged attribute of the converted entries, one operation at a time. */
async function fetchPending(
  client: Client,
  converted: readonly { raw: RawEntry; pending: Pending[] }[],
): Promise<void> {
  for (const { raw, pending } of converted) for (const p of pending) await fetchRest(client, raw, p);
}

/** Turns entries into RawEntry, fetching the rest of every ranged attribute. */
export async function completeEntries(client: Client, entries: Entry[]): Promise<RawEntry[]> {
  const converted = entries.map(fromEntry);
  await fetchPending(client, converted);
  return converted.map((entry) => entry.raw);
}

export interface SearchSpec {
  base: string;
  scope: "base" | "sub";
  filter: string | Filter;
  attributes: string[];
}

/** One search (no paging: for single objects). */
export async function searchOnce(client: Client, spec: SearchSpec): Promise<RawEntry[]> {
  const { searchEntries } = await client.search(spec.base, {
    scope: spec.scope,
    filter: spec.filter,
    attributes: spec.attributes,
    explicitBufferAttributes: BUFFER_ATTRIBUTES,
  });
  return completeEntries(client, searchEntries);
}

/**
 * A Simple Paged Results search; `onPage` hears of each page as it arrives. Each page's entries
 * are turned into RawEntry while the server gathers the next one.
 */
export async function searchPaged(
  client: Client,
  spec: SearchSpec,
  pageSize: number,
  onPage: (page: number, entries: number) => void,
): Promise<RawEntry[]> {
  const out: RawEntry[] = [];
  const incomplete: { raw: RawEntry; pending: Pending[] }[] = [];
  let page = 0;
  for await (const result of client.searchPaginated(spec.base, {
    scope: spec.scope,
    filter: spec.filter,
    attributes: spec.attributes,
    explicitBufferAttributes: BUFFER_ATTRIBUTES,
    paged: { pageSize },
  })) {
    page += 1;
    onPage(page, result.searchEntries.length);
    for (const entry of result.searchEntries) {
      const converted = fromEntry(entry);
      out.push(converted.raw);
      if (converted.pending.length > 0) incomplete.push(converted);
    }
  }
  // Ranges are fetched after the paged search: one operation at a time keeps the server's paging state simple.
  await fetchPending(client, incomplete);
  return out;
}
