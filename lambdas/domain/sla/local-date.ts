/**
 * Calendar dates as the community's wall calendar shows them ("2026-12-31"), with no time zone attached.
 * The arithmetic runs on UTC midnights, which have no DST, so adding a day is always exactly one day.
 */
export type IsoDate = string;

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real date written YYYY-MM-DD, or undefined if it is malformed or not a real date. */
export function parseIsoDate(date: string): number | undefined {
  const match = ISO_DATE.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(year, month - 1, day);
  const back = new Date(utc);
  // Date.UTC rolls 2026-02-30 over to 2026-03-02: a real date survives the round trip unchanged.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    return undefined;
  }
  return utc / DAY_MS;
}

export function isRealIsoDate(date: string): boolean {
  return parseIsoDate(date) !== undefined;
}

export function isoDateFromDayNumber(dayNumber: number): IsoDate {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function weekdayOfDayNumber(dayNumber: number): Weekday {
  // 1970-01-01 was a Thursday.
  return WEEKDAYS[(((dayNumber + 4) % 7) + 7) % 7] as Weekday;
}
