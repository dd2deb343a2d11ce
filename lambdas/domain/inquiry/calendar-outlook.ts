import type { Community, SlaPolicy } from '../config/schema.js';
import { unlistedYearAhead } from '../sla/index.js';
import { CATEGORIES, PRIORITIES } from '../taxonomy.js';
import { slaTermsFor } from './deadline.js';

/**
 * The longest term of the policy counted in working hours, of any category and priority, first response or
 * resolution: the furthest a deadline counted now can reach into the calendar. 0 if every term counts round
 * the clock, which owes nothing to the calendar.
 */
export function longestWorkingTermHours(sla: SlaPolicy): number {
  let longest = 0;
  for (const category of CATEGORIES)
    for (const priority of PRIORITIES) {
      const terms = slaTermsFor(sla, category, priority);
      if (terms.clock === 'round_the_clock') continue;
      longest = Math.max(longest, terms.firstResponseHours, terms.resolutionHours);
    }
  return longest;
}

/** A community whose calendar runs out: the year its deadlines will reach unlisted, and the days before. */
export interface CalendarRunningOut {
  groupId: number;
  year: number;
  daysLeft: number;
}

/**
 * Every community whose calendar lists its years, with the first year its deadlines can reach that it does not
 * list and the days left before they can (`unlistedYearAhead`, for the policy's longest term counted in working
 * hours), fewest days first. A community whose calendar lists no year is left out: weekly hours by choice.
 */
export function calendarsRunningOut(
  communities: readonly Community[],
  termHours: number,
  today: Date,
): CalendarRunningOut[] {
  return communities
    .flatMap((community) => {
      const ahead = unlistedYearAhead(today, termHours, community.calendar);
      return ahead ? [{ groupId: community.groupId, ...ahead }] : [];
    })
    .sort((a, b) => a.daysLeft - b.daysLeft || a.groupId - b.groupId);
}
