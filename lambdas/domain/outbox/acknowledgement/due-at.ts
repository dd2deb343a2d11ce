import { dateFormatPerTimeZone } from '../../sla/time-zone.js';

const dueAtFormat = dateFormatPerTimeZone('ru-RU', {
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * "3 марта в 14:00" in the community's time zone: what a citizen reads as the time of the answer. Midnight is
 * the end of the day before, "5 декабря в 24:00": "до 6 декабря в 00:00" reads as "by the end of 6 December",
 * a day later than meant.
 */
export function formatDueAt(instant: string, timeZone: string): string {
  const at = new Date(instant);
  const parts = dueAtFormat(timeZone).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes, from = parts) =>
    from.find((candidate) => candidate.type === type)?.value;
  if (part('hour') === '00' && part('minute') === '00') {
    const dayBefore = dueAtFormat(timeZone).formatToParts(new Date(at.getTime() - 60_000));
    return `${part('day', dayBefore)} ${part('month', dayBefore)} в 24:00`;
  }
  return `${part('day')} ${part('month')} в ${part('hour')}:${part('minute')}`;
}

const offsetFormat = dateFormatPerTimeZone('en-US', { timeZoneName: 'shortOffset' });

/**
 * The due time as the citizen reads it, its clock said: "3 марта в 14:00 по местному времени (UTC+5)". A
 * citizen writing from elsewhere, or reading on a phone set to Moscow time, is not left to guess.
 */
export function dueAtForCitizen(instant: string, timeZone: string): string {
  const at = new Date(instant);
  const offset =
    offsetFormat(timeZone)
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')
      ?.value.replace(/^GMT/u, 'UTC') ?? 'UTC';
  return `${formatDueAt(instant, timeZone)} по местному времени (${offset === 'UTC+0' ? 'UTC' : offset})`;
}
