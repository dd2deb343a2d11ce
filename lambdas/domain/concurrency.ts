/**
 * Calls `each` on the items in their order, at most `limit` calls at a time, taking up the next one only while
 * `mayStart` says so. Resolves, once every call begun has settled, with how many were begun; if one rejected,
 * no more are begun and it rejects with the first error once the others have settled (none is left running).
 */
export async function atMostAtOnce<T>(
  items: readonly T[],
  limit: number,
  each: (item: T) => Promise<void>,
  mayStart: () => boolean = () => true,
): Promise<number> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && failure === undefined && mayStart()) {
      const item = items[next++] as T;
      try {
        await each(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return next;
}

/**
 * Work on many items at once, but on the items of one line one at a time, in the order they are handed in:
 * each starts when the one before it in its line has ended, whether that one succeeded or failed. One is
 * made for each batch.
 */
export function inTurn<T>(lineOf: (item: T) => string) {
  const lastOf = new Map<string, Promise<unknown>>();
  return <R>(item: T, work: (item: T) => Promise<R>): Promise<R> => {
    const line = lineOf(item);
    const turn = (lastOf.get(line) ?? Promise.resolve()).then(() => work(item));
    // The next in the line waits for this one to end, not to succeed.
    lastOf.set(
      line,
      turn.catch(() => undefined),
    );
    return turn;
  };
}
