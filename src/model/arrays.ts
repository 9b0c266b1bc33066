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
