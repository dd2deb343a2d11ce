import { communityOf } from '../../domain/config/community-of.js';
import { departmentsInScope } from '../../domain/operator/access.js';
import { type CountedInquiry, periodBound } from '../../domain/operator/statistics.js';
import type { WorkingCalendar } from '../../domain/sla/index.js';
import {
  type ApiAnswer,
  type ApiRequest,
  type NoInput,
  type OperatorApiDeps,
  problem,
  READ_BUDGET_SECONDS,
  unknownCommunity,
  unknownDepartment,
} from '../api.js';
import type { StatisticsQuery } from '../contract/statistics.js';

/** What counts a department's inquiries of the period as they are read: one per department. */
export interface PeriodCount<Figures> {
  add(inquiries: Iterable<CountedInquiry>): void;
  result(): Figures[];
}

/**
 * The inquiries opened in [from, to) of the departments asked for and the operator's (and of the community
 * asked for), counted: each department read side by side, each page counted as it comes and let go. Answers
 * the error instead of figures: a department or community not configured (400), another department's (403),
 * or a period whose pages are not all read within READ_BUDGET_SECONDS (422).
 */
export async function countPeriod<Figures>(
  request: ApiRequest<NoInput, StatisticsQuery>,
  deps: OperatorApiDeps,
  counter: (now: Date, calendarOf: (groupId: number) => WorkingCalendar | undefined) => PeriodCount<Figures>,
): Promise<Figures[] | ApiAnswer> {
  const { query } = request;
  const departments = departmentsInScope(
    request.operator,
    deps.config.departments.map((department) => department.id),
    query.department,
  );
  if (departments === 'unknown') return unknownDepartment(query.department);
  const community = unknownCommunity(deps.config, query.community);
  if (community) return community;
  if (departments === 'forbidden')
    return problem(403, 'forbidden', `not an operator of department "${query.department}"`);
  const [from, to] = [periodBound(query.from), periodBound(query.to)];
  const now = deps.clock.now();
  const calendarOf = (groupId: number) => communityOf(deps.config, groupId)?.calendar;
  const readUntil = now.getTime() + READ_BUDGET_SECONDS * 1000;
  let outOfTime = false;
  const counted = await Promise.all(
    departments.map(async (department) => {
      const accumulator = counter(now, calendarOf);
      for await (const { inquiries, more } of deps.queries.openedBetween(department, from, to)) {
        accumulator.add(
          query.community === undefined
            ? inquiries
            : inquiries.filter((inquiry) => inquiry.groupId === query.community),
        );
        // Out of time (here or in another department) with a page still to read; the last page read, however
        // late, is counted.
        if (outOfTime || (more && deps.clock.now().getTime() > readUntil)) {
          outOfTime = true;
          break;
        }
      }
      return accumulator.result();
    }),
  );
  if (outOfTime)
    return problem(
      422,
      'period_too_full',
      `the period holds more inquiries than one request can count in ${READ_BUDGET_SECONDS} s: ask for a shorter one`,
    );
  return counted.flat();
}
