/**
 * What a run has of one department, and the reading of its due inquiries a page at a time through the
 * escalation index, each inquiry of a page checked (check-inquiry.ts) several at once while the run has time.
 * Which department and which part comes next is department-turns.ts's.
 */
import { atMostAtOnce } from '../domain/concurrency.js';
import type { Department } from '../domain/config/schema.js';
import type { AddressedNotice } from '../domain/escalation/addressing.js';
import type { DuePart } from '../domain/ports.js';
import type { CheckInquiry } from './check-inquiry.js';
import { type EscalationRun, type EscalatorDeps, inquiriesFailed } from './run-deps.js';

/**
 * Inquiries of a page checked at once. A check is a read and a conditional write or two, one after another:
 * one at a time, a run got through 1,300 of a Monday's 2,000 due inquiries in its time. Ten at once keeps
 * within what a department's part of the index and one function's connections take; the
 * reads of checks begun together go to the table as one (dynamo-batch-get.ts).
 */
const CHECKS_AT_ONCE = 10;

/** What a run has of one department: where it read the index to, what it checked, and the notices it holds. */
export interface DepartmentInHand {
  department: Department;
  /** The inquiries checked: each once a run (checkPage). */
  seen: Set<string>;
  /** The notices found and not yet sent. */
  held: AddressedNotice[];
  /** The key each part of its due inquiries goes on after. */
  after: Partial<Record<DuePart, string>>;
  /** Every due inquiry of it was checked, and its notices sent. */
  done: boolean;
}

export const inHand = (department: Department): DepartmentInHand => ({
  department,
  seen: new Set(),
  held: [],
  after: {},
  done: false,
});

/** `cut`: the run's time ran out first. */
export type PageRead = 'more' | 'done' | 'cut';

export type CheckPage = (
  hand: DepartmentInHand,
  part: DuePart,
  now: Date,
  hasTime: () => boolean,
  run: EscalationRun,
) => Promise<PageRead>;

export function createCheckPage(deps: EscalatorDeps, check: CheckInquiry): CheckPage {
  const { inquiries } = deps;
  const pageSize = deps.pageSize ?? 100;

  /** Checks one inquiry of the department in hand, keeping what it finds to send; a failure is counted. */
  async function checkOne(hand: DepartmentInHand, id: string, now: Date, run: EscalationRun) {
    const { department } = hand;
    hand.seen.add(id);
    run.checked++;
    try {
      const checked = await check(id, department, now, run);
      if (checked) hand.held.push(checked);
    } catch (error) {
      // The failing inquiry is the earliest in the index, so it would come first on every run: it must
      // not keep the department's later inquiries, or the next departments, from being warned.
      inquiriesFailed(deps, run, department, {
        message: 'escalator: an inquiry could not be checked',
        ids: { inquiryId: id },
        error,
      });
    }
  }

  /**
   * Reads the next page of a part of the department's due inquiries and checks them, CHECKS_AT_ONCE at a time,
   * starting each only while the run has time. Each inquiry once: `seen` keeps out one listed again (a notice
   * is keyed in the index by when it was marked, and one the run marks, at the run's time, is due by it), so
   * that no two checks of one inquiry ever run at once. `cut`: the run's time ran out first.
   */
  return async function checkPage(hand, part, now, hasTime, run) {
    if (!hasTime()) return 'cut';
    const after = hand.after[part];
    const page = await inquiries.dueForEscalation(hand.department.id, now, {
      limit: pageSize,
      part,
      ...(after !== undefined && { after }),
    });
    const ids = [...new Set(page.inquiries.map((inquiry) => inquiry.id))].filter((id) => !hand.seen.has(id));
    const begun = await atMostAtOnce(ids, CHECKS_AT_ONCE, (id) => checkOne(hand, id, now, run), hasTime);
    if (begun < ids.length) return 'cut';
    if (page.after === undefined) return 'done';
    hand.after[part] = page.after;
    return 'more';
  };
}
