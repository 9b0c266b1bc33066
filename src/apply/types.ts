/** Apply's view of the outside world (ports) and what it records (receipts). */

export interface AdValues {
  proxyAddresses: string[];
  mail: string | null;
}

/** One compare-and-set modify: the `remove` values must still be there, or nothing is written. */
export interface AdAddressWrite {
  proxyAddresses?: { add: string[]; remove: string[] };
  mail?: { expected: string | null; next: string };
}

export type WriteOutcome =
  { status: "applied" } | { status: "conflict"; message: string } | { status: "failed"; message: string };

export interface ImmutableIdWrite {
  userId: string;
  expected: string | null;
  next: string;
}

export interface ApplyPorts {
  ad: {
    /** The object's current values, null when it no longer exists. */
    readValues(dn: string): Promise<AdValues | null>;
    writeAddresses(dn: string, write: AdAddressWrite): Promise<WriteOutcome>;
    /** One LDAP add with every attribute; an object already at `dn` is a conflict, not an overwrite. */
    createObject(dn: string, attributes: Record<string, string[]>): Promise<WriteOutcome>;
  };
  entra: {
    /** Current onPremisesImmutableId per user id; a missing id means the user no longer exists. */
    readImmutableIds(userIds: string[]): Promise<Map<string, string | null>>;
    writeImmutableIds(items: ImmutableIdWrite[]): Promise<(WriteOutcome & { userId: string })[]>;
  };
}

export type ReceiptResult = "applied" | "conflict" | "skipped" | "failed";

export interface ObjectReceipt {
  key: string;
  target: "ad" | "entra";
  /** DN (AD) or object id (Entra). */
  object: string;
  before: AdValues | { onPremisesImmutableId: string | null } | null;
  after: AdValues | { onPremisesImmutableId: string | null } | null;
  result: ReceiptResult;
  /** Why it was skipped, or what went wrong; null when applied. */
  error: string | null;
}

export interface Receipt {
  version: 1;
  startedAt: string;
  finishedAt: string;
  /** The commit whose desired state was applied, when known. */
  commit: string | null;
  objects: ObjectReceipt[];
  summary: Record<ReceiptResult, number>;
}
