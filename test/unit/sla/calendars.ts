/** Calendars the SLA tests run on: two communities on the Russian production calendar, as ops would write them. */
import { productionCalendars } from '../../../config/calendars/index.js';
import { communityCalendarSchema, type WorkingCalendar } from '../../../lambdas/domain/sla/index.js';

/** A typical government office: 8 hours with a lunch hour, Friday shorter (09:00-16:45). */
export const OFFICE_HOURS = {
  mon: ['09:00-13:00', '14:00-18:00'],
  tue: ['09:00-13:00', '14:00-18:00'],
  wed: ['09:00-13:00', '14:00-18:00'],
  thu: ['09:00-13:00', '14:00-18:00'],
  fri: ['09:00-13:00', '14:00-16:45'],
};
/** Working minutes of a full day by those hours, counted by hand. */
export const MON_TO_THU_MINUTES = 8 * 60;
export const FRIDAY_MINUTES = 4 * 60 + 2 * 60 + 45;

function communityCalendar(timeZone: string): WorkingCalendar {
  return communityCalendarSchema(productionCalendars).parse({
    timeZone,
    weeklyHours: OFFICE_HOURS,
    calendar: 'ru-production-calendar',
  });
}

/** Perm lives on Yekaterinburg time, UTC+5. */
export const perm = communityCalendar('Asia/Yekaterinburg');
export const moscow = communityCalendar('Europe/Moscow');
