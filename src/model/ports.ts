/** Apply's view of the outside world: the plain read and compare-and-set calls each directory offers. */

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

/** One onPremisesImmutableId to set. Graph has no conditional write: apply compares right before, from its own read. */
export interface ImmutableIdWrite {
  userId: string;
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
    /** Sets each value, in the order given; every item gets its outcome (applied or failed). */
    writeImmutableIds(items: ImmutableIdWrite[]): Promise<(WriteOutcome & { userId: string })[]>;
  };
}
