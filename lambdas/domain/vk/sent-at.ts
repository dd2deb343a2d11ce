/** The last second an ISO date-time can write with four digits of year (9999-12-31T23:59:59Z). */
const LAST_ISO_SECOND = 253_402_300_799;

/**
 * VK's `date` (Unix seconds) as an ISO instant, or undefined for one that is no time of a message: not a
 * whole number, before 1970, or past what an ISO date-time writes with four digits of year (the queues'
 * schemas take no other; past ±8.64e15 ms JavaScript has no date for it at all).
 */
export function instantOf(unixSeconds: unknown): string | undefined {
  if (typeof unixSeconds !== 'number' || !Number.isSafeInteger(unixSeconds)) return undefined;
  if (unixSeconds < 0 || unixSeconds > LAST_ISO_SECOND) return undefined;
  return new Date(unixSeconds * 1000).toISOString();
}
