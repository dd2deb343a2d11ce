import type { Settled } from '../../inquiry/transitions/clock-checks.js';
import { type WorkingCalendar, workingMinutesBetween } from '../../sla/index.js';
import { dueAtRaise, type EscalationNotification } from './notification.js';
import { daysHoursAndMinutes, hoursAndMinutes } from './numbers.js';
import { clockTime, zoneOf } from './times.js';

const SETTLED_TEXTS: Record<Settled, string> = {
  responded: 'Срок пропущен: первый ответ дан позже',
  answered: 'Срок пропущен: ответ дан позже',
  closed: 'Срок пропущен: обращение закрыто позже',
  rejected: 'Срок пропущен: позже сообщение признано не обращением',
  restarted: 'Срок пропущен: позже обращение открыто заново, с новым сроком',
};

/**
 * How late, or how long is left: in working time of the community's calendar (what the terms are counted
 * in), and in calendar time, each said. Terms counted round the clock, or an inquiry of a community since
 * removed (no calendar), in calendar time only.
 */
export function timing(
  notification: EscalationNotification,
  now: Date,
  calendar: WorkingCalendar | undefined,
): string {
  const { kind, dueAt, settled, roundTheClock } = notification;
  if (settled) return SETTLED_TEXTS[settled];
  // What is owed then says "немедленно" (owed).
  if (dueAtRaise(notification)) return 'Срок наступил сразу при повышении приоритета';
  const due = new Date(dueAt);
  const late = now.getTime() >= due.getTime();
  const at = clockTime(dueAt, zoneOf(calendar?.timeZone));
  // A warning whose deadline has passed by the e-mail's time: its breach could not be written in the same run,
  // or the warning was kept for a department the inquiry left, whose run tells the breach (addressing.ts).
  if (kind === 'warning' && late)
    return notification.movedTo
      ? `Срок истёк в ${at}; о просрочке будет письмо отделу, куда передано обращение`
      : `Срок истёк в ${at}; о просрочке будет отдельное письмо`;
  const calendarMinutes = Math.floor(Math.abs(now.getTime() - due.getTime()) / 60_000);
  const calendarText = daysHoursAndMinutes(calendarMinutes);
  const terms = roundTheClock
    ? ' (срок считается круглосуточно)'
    : !calendar
      ? ' (рабочее время не посчитать: сообщества нет в конфигурации)'
      : '';
  // "Просрочено на 0 мин", read hours later, says nothing: the time it passed does.
  if (calendarMinutes === 0) return late ? `Срок истёк в ${at}${terms}` : `Срок истекает в ${at}${terms}`;
  if (roundTheClock)
    return late ? `Просрочено на ${calendarText}${terms}` : `Осталось ${calendarText}${terms}`;
  if (!calendar)
    return late
      ? `Просрочено на ${calendarText} по календарю${terms}`
      : `Осталось ${calendarText} по календарю${terms}`;
  const workingMinutes = Math.floor(
    late ? workingMinutesBetween(due, now, calendar) : workingMinutesBetween(now, due, calendar),
  );
  // Past the end of the working day it fell due at: no working time since, only calendar time.
  if (late && workingMinutes === 0)
    return `Срок истёк в ${at}: просрочено на ${calendarText} по календарю, рабочего времени с тех пор не прошло`;
  // Due in time the calendar no longer counts as working (a holiday or shorter hours set since it was counted):
  // "осталось 0 мин" would read as due now.
  if (workingMinutes === 0)
    return `Срок истекает в ${at}: осталось ${calendarText} по календарю, рабочего времени до него нет`;
  const working = hoursAndMinutes(workingMinutes);
  return late
    ? `Просрочено на ${working} рабочего времени (по календарю — на ${calendarText})`
    : `Осталось ${working} рабочего времени (по календарю — ${calendarText})`;
}
