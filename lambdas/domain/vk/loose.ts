/** A JSON object as VK sent it: each field is checked where it is read. */
export type Loose = Record<string, unknown>;

/** The value as such an object, or undefined for anything else (null, an array, a string, a number). */
export const asRecord = (value: unknown): Loose | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : undefined;
