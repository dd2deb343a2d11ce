import type { ConfigProblem } from './config-error.js';

/**
 * Each entry of a list whose key an earlier entry has, named with that entry, so that a copied entry whose
 * key was not changed is found at once: `departments[6].id: "housing" is already departments[1]`.
 */
export function repeatedKeys<T>(
  entries: readonly T[],
  list: string,
  field: string,
  keyOf: (entry: T) => string | number,
): ConfigProblem[] {
  const firstOf = new Map<string | number, number>();
  return entries.flatMap((entry, index) => {
    const key = keyOf(entry);
    const first = firstOf.get(key);
    if (first === undefined) {
      firstOf.set(key, index);
      return [];
    }
    return [{ path: [list, index, field], message: `${JSON.stringify(key)} is already ${list}[${first}]` }];
  });
}
