import { utcOffsetMinutes } from './time-zone.js';

/**
 * A clock named as Russians name it, by its difference from Moscow time ("МСК+2"): "UTC+5" means little to
 * most readers, and "местное время" alone reads as the reader's own, who may be in another zone than the
 * community (a regional centre's duty officer, a head on a trip, a phone set to Moscow time).
 */

/** Moscow time: UTC+3 all year since 2014 (Federal Law No. 248-FZ of 21 July 2014). */
export const MOSCOW_OFFSET_MINUTES = 180;

export const MOSCOW_TIME_ZONE = 'Europe/Moscow';

/**
 * The zone's difference from Moscow time at `at`: "МСК+2", "МСК−1" (a minus sign, not a hyphen), "МСК+2:30";
 * undefined when it keeps Moscow time.
 */
export function moscowDifference(timeZone: string, at: Date): string | undefined {
  const difference = utcOffsetMinutes(at, timeZone) - MOSCOW_OFFSET_MINUTES;
  if (difference === 0) return undefined;
  const sign = difference < 0 ? '−' : '+';
  const hours = Math.floor(Math.abs(difference) / 60);
  const minutes = Math.abs(difference) % 60;
  return `МСК${sign}${hours}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}
