import { formatDueAt, formatMoment } from '../../outbox/acknowledgement.js';
import { MOSCOW_TIME_ZONE, moscowDifference } from '../../sla/moscow-time.js';

/**
 * "по местному времени сообщества (МСК+2)", or "по московскому времени": the community's clock, named by its
 * difference from Moscow time (moscow-time.ts), as one digest may list communities of several zones. Not by
 * the zone's city: Perm keeps Asia/Yekaterinburg's time, and "Екатеринбург" would send a head of department
 * in Perm looking for another city's clock.
 */
export function timeZoneLabel(timeZone: string, at: Date): string {
  const difference = moscowDifference(timeZone, at);
  return difference === undefined
    ? 'по московскому времени'
    : `по местному времени сообщества (${difference})`;
}

/**
 * The zone an inquiry's times are told in: its community's, or Moscow's for an inquiry whose community, and
 * so its time zone, has left the configuration.
 */
export const zoneOf = (timeZone: string | undefined) => timeZone ?? MOSCOW_TIME_ZONE;

/** A deadline: "7 декабря в 13:00 по местному времени сообщества (МСК+2)", midnight as 24:00 of the day before. */
export function timeIn(instant: string, timeZone: string): string {
  return `${formatDueAt(instant, timeZone)} ${timeZoneLabel(timeZone, new Date(instant))}`;
}

/** A moment that happened: "5 декабря в 00:00 по местному времени сообщества (МСК+2)", as the clock showed it. */
export function momentIn(instant: string, timeZone: string): string {
  return `${formatMoment(instant, timeZone)} ${timeZoneLabel(timeZone, new Date(instant))}`;
}

/** "13:00", or "24:00" for midnight, as formatDueAt tells the time of day. */
export const clockTime = (instant: string, timeZone: string) =>
  formatDueAt(instant, timeZone).split(' в ').at(-1);
