/**
 * A list built with push keeps room for about 16 more elements (V8 grows a backing store by half
 * plus 16): ~150 bytes more than the list needs. For lists that live as long as a plan (every
 * object's and entry's few values), at 100,000 identities that is tens of MB.
 */

/** The same elements, in an array of exactly their number (a copy: the pushed one is left to the GC). */
export function fitted<T>(list: T[]): T[] {
  return list.slice();
}

/** Adds `value` to the list `map` keeps under `key`, starting the list when there is none. */
export function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const NOTHING: readonly never[] = Object.freeze([]);

/**
 * One empty list for every "none" (no provisioning errors, no aliases, no policies ...): most of
 * 100,000 objects' lists are empty, and each empty array is 32 bytes. Frozen, so that a caller that
 * tried to add to it would fail loudly instead of changing every other object's list.
 */
export function none<T>(): T[] {
  return NOTHING as never[];
}

/** `list`, or the one shared empty list when it has no elements. */
export function orNone<T>(list: T[]): T[] {
  return list.length === 0 ? none<T>() : list;
}
