/**
 * The directory half of the Graph test server: the tenant's objects (fed from the snapshot shape)
 * and Graph v1.0's collection semantics for them — $select, $top (1..999, default 100),
 * $skiptoken paging with @odata.nextLink, and the one $filter form the adapter uses.
 */
import { randomUUID } from "node:crypto";

export type Json = Record<string, unknown>;

/** The snapshot shape (DESIGN 4): what the server is fed with. */
export interface GraphTenantData {
  users?: Json[];
  groups?: Json[];
  contacts?: Json[];
  features?: Json;
  domains?: Json[];
  roleAssignments?: Json[];
  /** The tenant's organization object (onPremisesLastSyncDateTime ...); not part of a snapshot. */
  organization?: Json;
  /** Soft-deleted users, served at /directory/deletedItems/microsoft.graph.user. */
  deletedUsers?: Json[];
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;

/** What Graph returns for a user without $select: the default set, which lacks every on-premises property. */
export const DEFAULT_USER_PROPERTIES = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];

const COLLECTION_PROPERTIES = new Set([
  "proxyAddresses",
  "onPremisesProvisioningErrors",
  "serviceProvisioningErrors",
  "assignedPlans",
  "businessPhones",
]);

export function graphError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): Reply {
  return {
    status,
    headers,
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().slice(0, 19), "request-id": randomUUID() },
      },
    },
  };
}

/** Graph returns exactly the selected properties; unset ones come back null (or [] for collections). */
export function project(object: Json, select: string[] | null, defaults: string[] | null): Json {
  const keys = select ?? defaults;
  if (!keys) return structuredClone(object);
  const out: Json = {};
  for (const key of keys) {
    out[key] = key in object ? structuredClone(object[key]) : COLLECTION_PROPERTIES.has(key) ? [] : null;
  }
  return out;
}

export function selectParam(query: URLSearchParams): string[] | null {
  const select = query.get("$select");
  return select === null
    ? null
    : select
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
}

function encodeQuery(params: [string, string][]): string {
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/gi, ",")}`).join("&");
}

export interface ListOptions {
  /** Absolute URL of the collection, e.g. https://127.0.0.1:1234/v1.0/users. */
  collectionUrl: string;
  query: URLSearchParams;
  items: Json[];
  defaults?: string[] | null;
  /** $filter forms this collection supports, as predicates. */
  filters?: Record<string, (item: Json) => boolean>;
  /** Whether the collection takes $top (domains and role assignments are read without it). */
  top?: boolean;
}

/** The page index a $skiptoken stands for (for fault targeting and counting). */
export function pageOf(query: URLSearchParams): number {
  const token = query.get("$skiptoken");
  if (token === null) return 0;
  try {
    return (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { p: number }).p;
  } catch {
    return -1;
  }
}

export function listPage(options: ListOptions): Reply {
  const { query } = options;
  for (const key of query.keys()) {
    if (key.startsWith("$") && !["$select", "$top", "$filter", "$skiptoken"].includes(key)) {
      return graphError(400, "Request_UnsupportedQuery", `Unsupported query option '${key}'.`);
    }
  }
  let items = options.items;
  const filter = query.get("$filter");
  if (filter !== null) {
    const predicate = options.filters?.[filter];
    if (!predicate)
      return graphError(
        400,
        "Request_UnsupportedQuery",
        `Unsupported or invalid query filter clause specified.`,
      );
    items = items.filter(predicate);
  }
  const topText = query.get("$top");
  let size = DEFAULT_PAGE_SIZE;
  if (topText !== null) {
    const top = Number(topText);
    if (options.top === false || !Number.isInteger(top) || top < 1 || top > MAX_PAGE_SIZE) {
      return graphError(
        400,
        "Request_BadRequest",
        `Invalid page size specified: '${topText}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`,
      );
    }
    size = top;
  }
  let offset = 0;
  const token = query.get("$skiptoken");
  if (token !== null) {
    try {
      const decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o: number };
      offset = decoded.o;
    } catch {
      return graphError(
        400,
        "Directory_ExpiredPageToken",
        "The specified page token value has expired or is invalid.",
      );
    }
  }
  const select = selectParam(query);
  const value = items.slice(offset, offset + size).map((o) => project(o, select, options.defaults ?? null));
  const body: Json = {
    "@odata.context": `${options.collectionUrl.replace(/\/v1\.0\/.*/, "/v1.0/$metadata")}#collection`,
    value,
  };
  if (offset + size < items.length) {
    const next = Buffer.from(JSON.stringify({ o: offset + size, p: pageOf(query) + 1 })).toString(
      "base64url",
    );
    const kept = [...query.entries()].filter(([k]) => k !== "$skiptoken");
    body["@odata.nextLink"] = `${options.collectionUrl}?${encodeQuery([...kept, ["$skiptoken", next]])}`;
  }
  return { status: 200, body };
}
