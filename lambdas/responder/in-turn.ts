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
