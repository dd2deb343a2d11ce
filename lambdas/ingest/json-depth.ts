/**
 * Whether parsed JSON nests deeper than `limit`. Recurses at most `limit` levels, however deep the value,
 * so a hostile body cannot overflow the stack; the serialiser that later hands the event to SQS recurses
 * without a limit, so depth is checked first.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  return typeof value === 'object' && value !== null && reaches(value, 0, limit);
}

/** Whether `node` (an object or array at `depth`) or anything inside it lies at `limit` or deeper. */
function reaches(node: object, depth: number, limit: number): boolean {
  if (depth >= limit) return true;
  if (Array.isArray(node)) {
    for (const child of node)
      if (typeof child === 'object' && child !== null && reaches(child, depth + 1, limit)) return true;
    return false;
  }
  const record = node as Record<string, unknown>;
  for (const key in record) {
    const child = record[key];
    if (typeof child === 'object' && child !== null && reaches(child, depth + 1, limit)) return true;
  }
  return false;
}
