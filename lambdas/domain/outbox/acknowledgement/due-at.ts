import { moscowDifference } from '../../sla/moscow-time.js';
import { dateFormatPerTimeZone } from '../../sla/time-zone.js';

const dueAtFormat = dateFormatPerTimeZone('ru-RU', {
  year: 'numeric',
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The instant's day, month, year, hour and minute on the community's clock, each looked up by its type. */
function partsIn(at: Date, timeZone: string) {
  const parts = dueAtFormat(timeZone).formatToParts(at);
  return (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value;
}

/** The parts of the day and time a due time is told by: midnight as 24:00 of the day before (`end`). */
function dueDayOf(instant: string, timeZone: string) {
  const at = new Date(instant);
  const part = partsIn(at, timeZone);
  const end = part('hour') === '00' && part('minute') === '00';
  const day = end ? partsIn(new Date(at.getTime() - 60_000), timeZone) : part;
  return {
    day: day('day'),
    month: day('month'),
    year: day('year'),
    time: end ? '24:00' : `${part('hour')}:${part('minute')}`,
  };
}

/**
 * "3 марта в 14:00" in the community's time zone: what a citizen reads as the time of the answer; with the year,
 * "12 января 2027 г. в 10:00", when `withYear`. Midnight is the end of the day before, "5 декабря в 24:00": "до
 * 6 декабря в 00:00" reads as "by the end of 6 December", a day later than meant.
 */
export function formatDueAt(instant: string, timeZone: string, { withYear = false } = {}): string {
  const { day, month, year, time } = dueDayOf(instant, timeZone);
  return `${day} ${month}${withYear ? ` ${year} г.` : ''} в ${time}`;
}

/**
 * "5 декабря в 00:00": a moment that happened (a check, an arrival, a raise), told as the clock showed it. Only a
 * deadline is told at midnight as the end of the day before (formatDueAt): "поступило 4 декабря в 24:00" would
 * put an arrival of Saturday's first minute on Friday.
 */
export function formatMoment(instant: string, timeZone: string): string {
  const part = partsIn(new Date(instant), timeZone);
  return `${part('day')} ${part('month')} в ${part('hour')}:${part('minute')}`;
}

/** How the citizen is told whose clock a due time is on, unless the community names its own. */
const DEFAULT_LOCAL_TIME_NAME = 'по местному времени';

interface DueAtWording {
  /**
   * When the acknowledgement is written, as the message it tells of has just reached us: the year is said
   * when the due time falls in another one ("до 12 января 2027 г."). Omitted: the year is never said.
   */
  writtenAt?: Date | undefined;
  /** The words for the community's clock (`acknowledgement.localTimeName`, "по пермскому времени"). */
  localTimeName?: string | undefined;
}

/**
 * The due time as the citizen reads it, its clock said as Russians count it, from Moscow: "3 марта в 14:00 по
 * московскому времени" in Moscow's zone, elsewhere "3 марта в 14:00 по местному времени (МСК+2)" (or the
 * community's name for its clock, with the same difference). "UTC+5" means little to most readers, and
 * "по местному времени" alone reads as the reader's own local time: a citizen writing from elsewhere, or
 * reading on a phone set to Moscow time, is not left to guess.
 */
export function dueAtForCitizen(instant: string, timeZone: string, wording: DueAtWording = {}): string {
  const at = new Date(instant);
  const { writtenAt, localTimeName = DEFAULT_LOCAL_TIME_NAME } = wording;
  // The year of the day named (midnight is the end of the day before), against the year it is written in.
  const withYear =
    writtenAt !== undefined && partsIn(writtenAt, timeZone)('year') !== dueDayOf(instant, timeZone).year;
  const difference = moscowDifference(timeZone, at);
  const clock = difference === undefined ? 'по московскому времени' : `${localTimeName} (${difference})`;
  return `${formatDueAt(instant, timeZone, { withYear })} ${clock}`;
}
