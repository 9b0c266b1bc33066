/** Request kinds, recorded requests and injectable faults of the Graph test server. */

export type RequestKind =
  | "openid-configuration"
  | "token"
  | "actions-id-token"
  | "users"
  | "user"
  | "user-patch"
  | "groups"
  | "contacts"
  | "sync"
  | "organization"
  | "domains"
  | "role-assignments"
  | "deleted-users"
  | "batch"
  | "unknown";

export const IDENTITY_KINDS: ReadonlySet<RequestKind> = new Set([
  "openid-configuration",
  "token",
  "actions-id-token",
]);

export interface SeenRequest {
  seq: number;
  method: string;
  /** Path and query as received (a $batch item: its url under /v1.0). */
  url: string;
  kind: RequestKind;
  /** 0-based page of a collection read (from the $skiptoken). */
  page: number;
  authorization: string | undefined;
  batchItem: boolean;
  /** Status answered; 0 for a reset connection. */
  status: number;
}

export type GraphFault =
  | { type: "status"; status: number; retryAfter?: number; code?: string; message?: string }
  | { type: "reset" }
  | { type: "delay"; ms: number };

export interface FaultRule {
  fault: GraphFault;
  /** Which kinds of request; default every Graph request (never the identity endpoints). */
  kinds?: RequestKind[];
  when?: (request: SeenRequest) => boolean;
  /** Fires this many times, then stops; default: every time (a permanent fault). */
  times?: number;
  /** Fires on this fraction of the matching requests, from a seeded generator (reproducible). */
  rate?: number;
  seed?: number;
}

export interface ActiveRule extends FaultRule {
  fired: number;
  random: () => number;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function classify(method: string, pathname: string): RequestKind {
  if (/\/v2\.0\/\.well-known\/openid-configuration$/.test(pathname)) return "openid-configuration";
  if (/\/oauth2\/v2\.0\/token$/.test(pathname)) return "token";
  if (pathname === "/_actions/id-token") return "actions-id-token";
  const p = pathname.replace(/^\/v1\.0/, "");
  if (p === "/users") return "users";
  if (/^\/users\/[^/]+$/.test(p)) return method === "PATCH" ? "user-patch" : "user";
  if (p === "/groups") return "groups";
  if (p === "/contacts") return "contacts";
  if (p === "/directory/onPremisesSynchronization") return "sync";
  if (p === "/domains") return "domains";
  if (p === "/organization") return "organization";
  if (p === "/roleManagement/directory/roleAssignments") return "role-assignments";
  if (p === "/directory/deletedItems/microsoft.graph.user") return "deleted-users";
  if (p === "/$batch") return "batch";
  return "unknown";
}

/** The fault to apply to a request: the first active rule that matches and fires. */
export function faultFor(rules: ActiveRule[], request: SeenRequest): GraphFault | undefined {
  for (const rule of rules) {
    const kindMatches = rule.kinds ? rule.kinds.includes(request.kind) : !IDENTITY_KINDS.has(request.kind);
    if (!kindMatches || (rule.when && !rule.when(request))) continue;
    if (rule.times !== undefined && rule.fired >= rule.times) continue;
    if (rule.rate !== undefined && rule.random() >= rule.rate) continue;
    rule.fired++;
    return rule.fault;
  }
  return undefined;
}
