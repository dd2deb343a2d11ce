/** A JSON object as VK sent it: each field is checked where it is read. */
export type Loose = Record<string, unknown>;

/** The value as such an object, or undefined for anything else (null, an array, a string, a number). */
export const asRecord = (value: unknown): Loose | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : undefined;

/**
 * An id or a time within such an object: a number, or the same number as a digit string, as some libraries
 * replay VK's events, nested objects and all (objects.ts reads the event's own fields so). A safe integer, else
 * undefined: beyond it a number would name another message.
 */
export function asInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined;
}
