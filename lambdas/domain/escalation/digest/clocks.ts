import { communityOf } from '../../config/community-of.js';
import { MOSCOW_OFFSET_MINUTES, MOSCOW_TIME_ZONE, moscowDifference } from '../../sla/moscow-time.js';
import { utcOffsetMinutes } from '../../sla/time-zone.js';
import type { DigestContext, Listed } from './deadline-digest.js';
import { hoursAndMinutes, plural } from './numbers.js';
import { momentIn, timeZoneLabel, zoneOf } from './times.js';

/**
 * When the run checked the deadlines, which every "осталось" and "просрочено" is counted to: in the zone of
 * the communities listed, if they share one, else in Moscow time.
 */
export function checkedAt(listed: readonly Listed[], context: DigestContext): string {
  return `Проверка сроков: ${momentIn(context.now.toISOString(), checkZoneOf(listed, context))}.`;
}

/** The zones of the communities of the inquiries listed, by the label they are told with. */
function listedZones(listed: readonly Listed[], context: DigestContext): Map<string, string> {
  const labels = new Map<string, string>();
  for (const { notification } of listed) {
    const timeZone = zoneOf(communityOf(context, notification.groupId)?.calendar.timeZone);
    labels.set(timeZoneLabel(timeZone, context.now), timeZone);
  }
  return labels;
}

/** The zone the check's time is told in: that of the communities listed, if they share one, else Moscow's. */
function checkZoneOf(listed: readonly Listed[], context: DigestContext): string {
  const labels = listedZones(listed, context);
  const [only] = labels.values();
  return labels.size === 1 && only ? only : MOSCOW_TIME_ZONE;
}

/** "на 2 часа больше", "на 1 час меньше", "на 2 ч 30 мин больше": a difference from Moscow time, in words. */
function differenceInWords(minutes: number): string {
  const hours = Math.floor(Math.abs(minutes) / 60);
  const rest = Math.abs(minutes) % 60;
  const amount =
    rest === 0 ? `${hours} ${plural(hours, 'час', 'часа', 'часов')}` : hoursAndMinutes(Math.abs(minutes));
  return `на ${amount} ${minutes > 0 ? 'больше' : 'меньше'}`;
}

/**
 * The footer's sentence on the clocks the e-mail tells its times by, built from those it shows: Moscow time
 * alone; one community's clock, the check's time too; or, for communities of several zones, each inquiry by its
 * community's clock and the check by Moscow's. Each "МСК+n" shown is said in words.
 */
export function clocksNote(listed: readonly Listed[], context: DigestContext): string {
  const zones = [...new Set([...listedZones(listed, context).values(), checkZoneOf(listed, context)])];
  const differences = new Map<string, number>();
  for (const timeZone of zones) {
    const difference = moscowDifference(timeZone, context.now);
    if (difference !== undefined)
      differences.set(difference, utcOffsetMinutes(context.now, timeZone) - MOSCOW_OFFSET_MINUTES);
  }
  if (differences.size === 0) return 'Время указано по московскому времени.';
  const said = [...differences]
    .sort(([, a], [, b]) => b - a)
    .map(([label, minutes], index) =>
      index === 0
        ? `«${label}» значит: ${differenceInWords(minutes)}, чем в Москве`
        : `«${label}» — ${differenceInWords(minutes)}`,
    )
    .join(', ');
  const which =
    zones.length === 1
      ? 'Время указано по местному времени сообщества'
      : 'Время каждого обращения указано по времени его сообщества, время проверки сроков — по московскому';
  return `${which}; ${said}.`;
}
