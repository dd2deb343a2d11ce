import { type Inquiry, OPEN_STATUSES } from '../inquiry/inquiry.js';
import type { InquiryStatus } from '../inquiry/status.js';
import { CLOCK_FIELDS, deadlineOf, watchedClocks } from '../inquiry/transitions/clock-checks.js';
import { PRIORITIES, type Priority } from '../taxonomy.js';

/**
 * What the workload reads of an open inquiry, and all it reads: the adapter asks the table for these alone.
 * The clocks give the deadline the inquiry is listed by (deadlineOf), as the lists' `overdue` reads it.
 */
export const WORKLOAD_FIELDS = [
  'id',
  'department',
  'caseNumber',
  'status',
  'priority',
  'category',
  'assignee',
  'assignedAt',
  // Whatever deadlineOf and watchedClocks read, so that the deadlines are the whole item's.
  ...CLOCK_FIELDS,
] as const satisfies readonly (keyof Inquiry)[];

export type WorkloadInquiry = Pick<Inquiry, (typeof WORKLOAD_FIELDS)[number]>;

/** A page of a department's open inquiries, as read, and whether another follows. */
export interface OpenWorkPage {
  inquiries: WorkloadInquiry[];
  more: boolean;
}

/** An operator holding open inquiries of the department, by the name the inquiry they took last keeps. */
export interface HolderWorkload {
  id: string;
  name: string;
  open: number;
  overdue: number;
}

/** The open inquiry whose deadline passed longest ago. */
export interface OldestOverdue {
  id: string;
  caseNumber?: string;
  deadline: string;
  /** Calendar minutes since the deadline, whole ones. */
  overdueMinutes: number;
}

/** A department's open work as of `asOf`. */
export interface DepartmentWorkload {
  department: string;
  asOf: string;
  open: number;
  /** Of `open`, the critical ones: also in `byPriority`, given apart so that one waiting is seen at once. */
  critical: number;
  byStatus: Record<InquiryStatus, number>;
  byPriority: Record<Priority, number>;
  byCategory: Record<string, number>;
  /** Past the deadline now running (first response or resolution): what `overdue=true` lists. */
  overdue: number;
  /** Not overdue, past the warning point of that deadline: what the escalator warns of. */
  dueSoon: number;
  /** No one's: what `assignee=none` lists. */
  unassigned: number;
  byAssignee: HolderWorkload[];
  oldestOverdue: OldestOverdue | null;
}

const zeros = <Key extends string>(keys: readonly Key[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<Key, number>;

const MINUTE = 60_000;

/**
 * A department's open inquiries counted page by page, as they are read, and let go. Each figure is what the
 * lists give for the same filter: `overdue` counts a deadline before `now` as the overdue list's key
 * condition does (operator-queries.ts), `unassigned` the inquiries with no assignee. `dueSoon` is no list's:
 * the inquiries the escalator warns of (docs/escalation.md), past 80 % of their time (the priority's share
 * where the configuration sets one), which the clock counts in working time of the community's calendar, so
 * that a Friday evening's inquiries are due soon on Monday morning, not over the weekend.
 */
export function workloadAccumulator(department: string, now: Date) {
  const at = now.toISOString();
  const byStatus = zeros(OPEN_STATUSES);
  const byPriority = zeros(PRIORITIES);
  const byCategory = new Map<string, number>();
  const holders = new Map<string, HolderWorkload & { takenAt: string }>();
  let [open, overdue, dueSoon, unassigned] = [0, 0, 0, 0];
  let oldest: { id: string; caseNumber?: string; deadline: string } | undefined;

  const count = (inquiry: WorkloadInquiry) => {
    // The index holds open inquiries only; one written open and read as another status is not open work.
    if (!OPEN_STATUSES.includes(inquiry.status)) return;
    open++;
    byStatus[inquiry.status]++;
    byPriority[inquiry.priority]++;
    byCategory.set(inquiry.category, (byCategory.get(inquiry.category) ?? 0) + 1);
    const deadline = deadlineOf(inquiry);
    const late = deadline !== undefined && deadline < at;
    const running = watchedClocks(inquiry).find((clock) => clock.dueAt === deadline);
    if (late) overdue++;
    else if (running && running.warnAt <= at) dueSoon++;
    if (late && (!oldest || deadline < oldest.deadline))
      oldest = { id: inquiry.id, ...(inquiry.caseNumber && { caseNumber: inquiry.caseNumber }), deadline };
    const { assignee } = inquiry;
    if (!assignee) {
      unassigned++;
      return;
    }
    const takenAt = inquiry.assignedAt ?? '';
    const holder = holders.get(assignee.id) ?? { ...assignee, takenAt, open: 0, overdue: 0 };
    // An operator renamed since taking some: the name the inquiry they took last keeps.
    if (takenAt > holder.takenAt) Object.assign(holder, { name: assignee.name, takenAt });
    holder.open++;
    if (late) holder.overdue++;
    holders.set(assignee.id, holder);
  };

  return {
    add(page: readonly WorkloadInquiry[]) {
      for (const inquiry of page) count(inquiry);
    },
    workload(): DepartmentWorkload {
      return {
        department,
        asOf: at,
        open,
        critical: byPriority.critical,
        byStatus,
        byPriority,
        byCategory: Object.fromEntries(
          [...byCategory].sort(([a, x], [b, y]) => y - x || a.localeCompare(b, 'ru')),
        ),
        overdue,
        dueSoon,
        unassigned,
        byAssignee: [...holders.values()]
          .map(({ takenAt: _takenAt, ...holder }) => holder)
          .sort(
            (a, b) =>
              b.open - a.open ||
              b.overdue - a.overdue ||
              a.name.localeCompare(b.name, 'ru') ||
              (a.id < b.id ? -1 : 1),
          ),
        oldestOverdue: oldest
          ? { ...oldest, overdueMinutes: Math.floor((now.getTime() - Date.parse(oldest.deadline)) / MINUTE) }
          : null,
      };
    },
  };
}
