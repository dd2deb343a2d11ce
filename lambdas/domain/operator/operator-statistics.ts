import { isOpen } from '../inquiry/status.js';
import type { WorkingCalendar } from '../sla/index.js';
import {
  type AnswerFigures,
  type AnswerTally,
  answerTally,
  type CountedInquiry,
  type Cycle,
  count,
  currentCycle,
  cycleOf,
  figures,
} from './statistics.js';

/** What one operator did with a department's inquiries of a period. */
export interface OperatorFigures {
  id: string;
  /** As the inquiries store it: of one renamed, the name they were last given the inquiry under. */
  name: string;
  /** The answers credited to them: `resolution.count`. */
  answered: number;
  /** Those answers: how long each was waited for, and how many were given by their deadline. */
  resolution: AnswerFigures;
  /** Of the period's inquiries, the open ones they hold now. */
  holding: number;
}

/** What no operator is credited with: the rest of the statistics' resolution, and the open work no one holds. */
export type UncreditedFigures = Omit<OperatorFigures, 'id' | 'name'>;

export interface DepartmentOperators {
  department: string;
  /** Those credited with an answer or holding open work, most answers first. */
  operators: OperatorFigures[];
  uncredited: UncreditedFigures;
}

/** One operator's tally so far, and when the name kept was seen. */
interface OperatorTally {
  id: string;
  name: string;
  namedAt: string;
  resolution: AnswerTally;
  holding: number;
}

interface DepartmentTally {
  department: string;
  operators: Map<string, OperatorTally>;
  uncredited: { resolution: AnswerTally; holding: number };
}

/**
 * Whether the cause of an answer names `operatorId` as its sender: the operator API records an operator's
 * change under `op:` and the change's key, which begins with the operator's id (change-inquiry.ts,
 * request-key.ts), as every answer's cause has since the cause was kept.
 */
const sentBy = (answerCause: string, operatorId: string) => answerCause.startsWith(`op:${operatorId}:`);

/**
 * Whether the current cycle's resolution is the answer its holder gave: an answer from the console (answers
 * from VK are intermediate answers, and a closing is no answer) that the operator who holds the inquiry now
 * sent. Its cause (`answerCause`) names who sent it: an answer VK refused and that reached the citizen later,
 * from the dead letters, is its writer's, not a colleague's who took the inquiry meanwhile; nor is one closed
 * over its holder since (the closer's then). An answer recorded before its cause was kept is the holder's if
 * they held the inquiry already when it was given: an answer from the console to an inquiry that no one held
 * or a colleague held makes the inquiry the answerer's then (transitions/answers.ts). `assignedAt` is absent
 * on inquiries last taken before it was kept: taken before the answer then.
 */
function answeredByHolder(inquiry: CountedInquiry, cycle: Cycle): boolean {
  const { assignee, assignedAt, answeredAt, answerCause } = inquiry;
  if (assignee === undefined || answeredAt === undefined || cycle.resolution.givenAt !== answeredAt)
    return false;
  if (answerCause !== undefined) return sentBy(answerCause, assignee.id);
  return assignedAt === undefined || assignedAt <= answeredAt;
}

/** Counts a cycle's resolution into `tally`, as the statistics count it. */
function countResolution(tally: AnswerTally, cycle: Cycle, calendar: WorkingCalendar | undefined): void {
  const start = cycle.startedAt === undefined ? undefined : Date.parse(cycle.startedAt);
  count(tally, cycle.resolution, start, calendar, cycle.roundTheClock);
}

const byAnswersThenName = (a: OperatorFigures, b: OperatorFigures) =>
  b.answered - a.answered || a.name.localeCompare(b.name, 'ru') || a.id.localeCompare(b.id);

/**
 * Per department (the one each inquiry is in now, as the statistics count it), per operator: the answers
 * credited to them, timed and judged as the statistics time and judge the resolution (statistics.ts), and
 * the open inquiries they hold now. Every resolution the statistics count goes to one operator or to no
 * one's, so that the rows of a department add up to its statistics' `resolution` (count, in time, late):
 *
 * - The current cycle's answer, to the operator who holds the inquiry and held it when it was given
 *   (`answeredByHolder`).
 * - No one's: an answer of an earlier cycle (`earlierCycles` does not keep who gave it); an answer whose
 *   inquiry was released since, or moved here from another department (the move lets go of its holder), or
 *   taken over since; a closing without an answer (the department reached the citizen another way: who did
 *   is not kept); and an answer owed and past its deadline, which is late without anyone to credit.
 *
 * Fed page by page as the inquiries are read, it keeps counts and a few numbers per answer, never the
 * inquiries.
 */
export function operatorFiguresAccumulator(
  now: Date,
  calendarOf: (community: number) => WorkingCalendar | undefined = () => undefined,
) {
  const at = now.toISOString();
  const departments = new Map<string, DepartmentTally>();
  const departmentTally = (department: string) => {
    let tally = departments.get(department);
    if (!tally) {
      tally = { department, operators: new Map(), uncredited: { resolution: answerTally(), holding: 0 } };
      departments.set(department, tally);
    }
    return tally;
  };
  /** The operator's tally, named as the inquiry seen latest (by when they took it) names them. */
  const operatorTally = (department: DepartmentTally, inquiry: CountedInquiry) => {
    const { id, name } = inquiry.assignee ?? { id: '', name: '' };
    const namedAt = inquiry.assignedAt ?? inquiry.createdAt;
    let tally = department.operators.get(id);
    if (!tally) {
      tally = { id, name, namedAt, resolution: answerTally(), holding: 0 };
      department.operators.set(id, tally);
    } else if (namedAt > tally.namedAt) {
      tally.name = name;
      tally.namedAt = namedAt;
    }
    return tally;
  };
  return {
    add(inquiries: Iterable<CountedInquiry>): void {
      for (const inquiry of inquiries) {
        if (!inquiry.department) continue;
        const department = departmentTally(inquiry.department);
        const calendar = calendarOf(inquiry.groupId);
        const { uncredited } = department;
        const held = inquiry.assignee !== undefined;
        if (isOpen(inquiry.status)) (held ? operatorTally(department, inquiry) : uncredited).holding++;
        for (const cycle of inquiry.earlierCycles ?? [])
          countResolution(uncredited.resolution, cycleOf({ terms: inquiry.terms, ...cycle }, at), calendar);
        const current = currentCycle(inquiry, at);
        const credited =
          held && answeredByHolder(inquiry, current) ? operatorTally(department, inquiry) : uncredited;
        countResolution(credited.resolution, current, calendar);
      }
    },

    /** The departments in the order their first inquiries came. */
    departments(): DepartmentOperators[] {
      return [...departments.values()].map((tally) => ({
        department: tally.department,
        operators: [...tally.operators.values()]
          .map(({ id, name, resolution, holding }) => {
            const answers = figures(resolution);
            return { id, name, answered: answers.count, resolution: answers, holding };
          })
          .sort(byAnswersThenName),
        uncredited: (() => {
          const answers = figures(tally.uncredited.resolution);
          return { answered: answers.count, resolution: answers, holding: tally.uncredited.holding };
        })(),
      }));
    },
  };
}

/** The operators' figures of inquiries all at hand. */
export function operatorFiguresOf(
  inquiries: Iterable<CountedInquiry>,
  now: Date,
  calendarOf?: (community: number) => WorkingCalendar | undefined,
): DepartmentOperators[] {
  const accumulator = operatorFiguresAccumulator(now, calendarOf);
  accumulator.add(inquiries);
  return accumulator.departments();
}
