/**
 * Wall-clock time in an IANA time zone, with nothing but Intl.DateTimeFormat. Offsets are read from the
 * platform's time zone database, so zones with DST (or a future change of Russian law) are handled without
 * code changes.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Building an Intl.DateTimeFormat costs far more than using one: one per time zone, for a locale and fields. */
export function dateFormatPerTimeZone(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): (timeZone: string) => Intl.DateTimeFormat {
  const formats = new Map<string, Intl.DateTimeFormat>();
  return (timeZone) => {
    let format = formats.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
      formats.set(timeZone, format);
    }
    return format;
  };
}

const formatterFor = dateFormatPerTimeZone('en-US', {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The wall clock at an instant, written as if it were UTC (milliseconds since the epoch, whole seconds). */
function wallClockMs(instantMs: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  // Some engines still print midnight as 24 even with h23.
  return Date.UTC(year, month - 1, day, hour === 24 ? 0 : hour, minute, second);
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
function offsetMs(instantMs: number, timeZone: string): number {
  const wholeSeconds = Math.floor(instantMs / 1000) * 1000;
  return wallClockMs(wholeSeconds, timeZone) - wholeSeconds;
}

/** The zone's offset from UTC at an instant, in whole minutes (east positive): Asia/Yekaterinburg's is 300. */
export function utcOffsetMinutes(at: Date, timeZone: string): number {
  return Math.round(offsetMs(at.getTime(), timeZone) / MINUTE_MS);
}

/** The local calendar day (days since 1970-01-01) on which an instant falls in the zone. */
export function localDayNumber(instantMs: number, timeZone: string): number {
  return Math.floor((instantMs + offsetMs(instantMs, timeZone)) / DAY_MS);
}

/**
 * The instant at which the zone's wall clock shows `minuteOfDay` minutes past midnight of the given day
 * (1440 means the next midnight). Wall times that happen twice (clocks go back) take the earlier instant;
 * wall times skipped by a spring-forward take the instant the same distance after the gap, as Temporal's
 * "compatible" disambiguation does. So a working interval that spans a DST change holds exactly the real
 * time a person works in it.
 */
export function instantOfWallClock(dayNumber: number, minuteOfDay: number, timeZone: string): number {
  const wall = dayNumber * DAY_MS + minuteOfDay * MINUTE_MS;
  // Zones change offset at most once around a given wall time: the offsets a day before and after bracket it.
  const offsetBefore = offsetMs(wall - DAY_MS, timeZone);
  const offsetAfter = offsetMs(wall + DAY_MS, timeZone);
  const candidates = [wall - offsetBefore, wall - offsetAfter].filter(
    (instant) => offsetMs(instant, timeZone) === wall - instant,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - offsetBefore;
}
