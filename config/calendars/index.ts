/** The shared calendars a community's config may name in its `calendar` field, checked when first imported. */
import { type ProductionCalendar, productionCalendarSchema } from '../../lambdas/domain/sla/index.js';
import ruProductionCalendar from './ru-production-calendar.json' with { type: 'json' };

export const productionCalendars: Readonly<Record<string, ProductionCalendar>> = Object.fromEntries(
  [ruProductionCalendar].map((data) => {
    const calendar = productionCalendarSchema.parse(data);
    return [calendar.name, calendar];
  }),
);
