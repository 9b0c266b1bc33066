/**
 * A property absent from a Graph object is unknown, not null: Graph leaves out what was not
 * $select-ed, so an object without onPremisesImmutableId says nothing about whether it is joined
 * (DESIGN 2b). Snapshots and live reads are refused when an object lacks a property the planner uses.
 */
import { GRAPH_PROPERTIES } from "./to-entra-state.js";
import type { GraphCollections } from "./to-entra-state.js";

/** The collections whose objects must carry every property idanchor reads them with. */
const CHECKED = ["users", "groups", "contacts", "domains", "deletedUsers"] as const;
type Checked = (typeof CHECKED)[number];

export interface AbsentProperty {
  collection: Checked;
  index: number;
  property: string;
  /** What a reader recognises the object by (UPN, display name, id). */
  name: string | null;
}

/** Read for verify, not for planning (verify copes with their absence itself): not required here. */
const NOT_PLANNED = new Set(["onPremisesLastSyncDateTime", "createdDateTime"]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The first object that lacks one of the properties of its collection, if any. */
export function absentProperty(raw: GraphCollections): AbsentProperty | undefined {
  for (const collection of CHECKED) {
    const items = raw[collection] ?? [];
    const required = (GRAPH_PROPERTIES[collection] as readonly string[]).filter((p) => !NOT_PLANNED.has(p));
    for (const [index, item] of items.entries()) {
      if (!isObject(item)) continue; // the mapping reports a non-object itself
      const property = required.find((p) => !(p in item));
      if (property === undefined) continue;
      const label = item.userPrincipalName ?? item.displayName ?? item.id;
      return { collection, index, property, name: typeof label === "string" ? label : null };
    }
  }
  return undefined;
}

/** One line: which object, which property, and how to get a complete read. */
export function absentPropertyMessage(absent: AbsentProperty, source: string): string {
  const which = `${absent.collection}[${absent.index}]${absent.name ? ` ('${absent.name}')` : ""}`;
  return (
    `${source} ${which} without '${absent.property}': an absent property is unknown, not empty, so the plan ` +
    `cannot rely on it; export with \`idanchor export entra\` or $select it ` +
    `($select=${GRAPH_PROPERTIES[absent.collection].join(",")})`
  );
}
