import { createHash } from 'node:crypto';

/** The four lists, named by the query that asks for them; a cursor continues only the list it came from. */
export type List = 'order=newest' | 'order=urgent' | 'overdue=true' | 'overdue=false';
const LISTS: readonly List[] = ['order=newest', 'order=urgent', 'overdue=true', 'overdue=false'];

/**
 * Where a list goes on, the same for each of its departments: after the index sort key `after` (the last item
 * handed out, or the point every department had read to when the page ended), except in those `done`, which
 * hold nothing more. Sort keys end in the inquiry's id, so they are unique across departments and a bound names
 * one position in each: one key serves them all, and the cursor grows by a bit a department, not by a key.
 */
export interface ListPosition {
  after: string;
  /** By the department's place in the list of departments the query covers. */
  done: readonly boolean[];
}

export class InvalidCursor extends Error {
  override name = 'InvalidCursor';
}

/** `<when>#<inquiry id>`: an ISO time (or 9999 for no running clock), as inquiry-items.ts writes them. */
const SORT_KEY = /^[0-9T:.Z+-]{4,40}#[!-~]{1,200}$/;
const FORMAT = 1;
const QUERY_BYTES = 8;
const HEADER_BYTES = 2 + QUERY_BYTES;

/**
 * What a cursor is kept to: the list, the departments in scope (in order: `done` counts by their place) and
 * every filter, `assignee=me` with whom it meant. A hash and no signature: a cursor made up by hand can only
 * name positions in the departments the operator may read (the scope is checked before it is used, from the
 * token), so it needs no secret; the hash only tells a cursor of another query, which would skip what the
 * other one read past.
 */
export const queryFingerprint = (parts: readonly unknown[]): Buffer =>
  createHash('sha256')
    .update(JSON.stringify(parts.map((part) => part ?? null)))
    .digest()
    .subarray(0, QUERY_BYTES);

/**
 * Bytes, base64url: the format, the list, the query's fingerprint, a bit a department (done or not), then the
 * sort key. About 60 characters and one more for every six departments: 4,000 hold 20,000 of them.
 */
export function encodeCursor(list: List, query: Buffer, position: ListPosition): string {
  const done = Buffer.alloc(Math.ceil(position.done.length / 8));
  position.done.forEach((each, index) => {
    if (each) done[index >> 3] = (done[index >> 3] ?? 0) | (1 << (index & 7));
  });
  return Buffer.concat([
    Buffer.from([FORMAT, LISTS.indexOf(list)]),
    query,
    done,
    Buffer.from(position.after, 'utf8'),
  ]).toString('base64url');
}

/** The position a cursor names, or undefined without one (the list's start); InvalidCursor if it does not fit. */
export function decodeCursor(
  text: string | undefined,
  list: List,
  query: Buffer,
  departments: number,
): ListPosition | undefined {
  if (text === undefined) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  const doneBytes = Math.ceil(departments / 8);
  const done = bytes.subarray(HEADER_BYTES, HEADER_BYTES + doneBytes);
  const after = bytes.subarray(HEADER_BYTES + doneBytes).toString('utf8');
  const given = LISTS[bytes[1] ?? -1];
  // Shorter than its header, it holds no query to be another's.
  if (bytes[0] !== FORMAT || bytes.length < HEADER_BYTES || bytes.toString('base64url') !== text || !given)
    throw new InvalidCursor('the cursor is not one this API gave');
  if (given !== list)
    throw new InvalidCursor(
      `the cursor continues the list of ${given}, not of ${list}: send it with the query it came from`,
    );
  if (!bytes.subarray(2, HEADER_BYTES).equals(query))
    throw new InvalidCursor(
      'the cursor belongs to another query: send it with the department, filters and order of the page ' +
        'that gave it, or start again without it',
    );
  // The fingerprint names the departments, so their number fits; what follows must be a sort key.
  if (!SORT_KEY.test(after) || (done.at(-1) ?? 0) >> (departments - 8 * (doneBytes - 1)) !== 0)
    throw new InvalidCursor('the cursor is not one this API gave');
  return {
    after,
    done: Array.from(
      { length: departments },
      (_, index) => ((done[index >> 3] ?? 0) & (1 << (index & 7))) !== 0,
    ),
  };
}
