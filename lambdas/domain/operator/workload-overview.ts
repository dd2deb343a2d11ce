import { OPEN_STATUSES } from '../inquiry/inquiry.js';
import type { InquiryStatus } from '../inquiry/status.js';
import { PRIORITIES, type Priority } from '../taxonomy.js';
import type { DepartmentWorkload, OldestOverdue } from './workload.js';

/**
 * One department's line of the overview: its workload's headline figures, each the one its own workload
 * answers, of fixed size whatever the department holds (no categories, no operators: those are its own
 * workload's to give).
 */
export type WorkloadRow = Pick<
  DepartmentWorkload,
  'department' | 'open' | 'critical' | 'byStatus' | 'byPriority' | 'overdue' | 'dueSoon' | 'unassigned'
> & {
  /** The department's name, as the configuration and the directory give it. */
  name: string;
  counted: true;
  oldestOverdue: OldestOverdue | null;
};

type Figure = Exclude<keyof WorkloadRow, 'department' | 'name' | 'counted'>;

/**
 * The line of a department not counted: a row all the same, each figure null, so that a table of the rows
 * shows it blank rather than leaving out the department most likely behind.
 */
export type UncountedRow = Pick<WorkloadRow, 'department' | 'name'> & { counted: false } & Record<
    Figure,
    null
  >;

/** The figures of every row added up, and the longest overdue of them all, with its department. */
export type WorkloadTotals = Omit<WorkloadRow, 'department' | 'name' | 'counted' | 'oldestOverdue'> & {
  oldestOverdue: (OldestOverdue & { department: string }) | null;
};

/** A department not counted: its open work could not be read in the time a request has. */
export interface UnfinishedDepartment {
  department: string;
  name: string;
}

/** The open work of the departments a request covers, as of `asOf`. */
export interface WorkloadOverview {
  asOf: string;
  departments: (UncountedRow | WorkloadRow)[];
  totals: WorkloadTotals;
  unfinished: UnfinishedDepartment[];
}

const uncountedRow = ({ department, name }: UnfinishedDepartment): UncountedRow => ({
  department,
  name,
  counted: false,
  open: null,
  critical: null,
  byStatus: null,
  byPriority: null,
  overdue: null,
  dueSoon: null,
  unassigned: null,
  oldestOverdue: null,
});

const zeros = <Key extends string>(keys: readonly Key[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<Key, number>;

export const workloadRow = (workload: DepartmentWorkload, name: string): WorkloadRow => ({
  department: workload.department,
  name,
  counted: true,
  open: workload.open,
  critical: workload.critical,
  byStatus: workload.byStatus,
  byPriority: workload.byPriority,
  overdue: workload.overdue,
  dueSoon: workload.dueSoon,
  unassigned: workload.unassigned,
  oldestOverdue: workload.oldestOverdue,
});

const overdueMinutes = (row: WorkloadRow) => row.oldestOverdue?.overdueMinutes ?? -1;

/**
 * Who is falling behind first: the most overdue, then the one whose oldest overdue inquiry waits longest, then
 * the most due soon, the most open, and by id, so that the order holds from one refresh to the next.
 */
export const behindFirst = (a: WorkloadRow, b: WorkloadRow) =>
  b.overdue - a.overdue ||
  overdueMinutes(b) - overdueMinutes(a) ||
  b.dueSoon - a.dueSoon ||
  b.open - a.open ||
  (a.department < b.department ? -1 : a.department > b.department ? 1 : 0);

/**
 * The rows sorted behind first, and their totals. The departments not counted come first, in rows of their own
 * and named apart, in no total: too much open work to read in time is the likeliest reason.
 */
export function workloadOverview(
  asOf: string,
  rows: readonly WorkloadRow[],
  unfinished: readonly UnfinishedDepartment[],
): WorkloadOverview {
  const counted = [...rows].sort(behindFirst);
  const byStatus = zeros<InquiryStatus>(OPEN_STATUSES);
  const byPriority = zeros<Priority>(PRIORITIES);
  const totals: WorkloadTotals = {
    open: 0,
    critical: 0,
    byStatus,
    byPriority,
    overdue: 0,
    dueSoon: 0,
    unassigned: 0,
    oldestOverdue: null,
  };
  for (const row of counted) {
    totals.open += row.open;
    totals.critical += row.critical;
    totals.overdue += row.overdue;
    totals.dueSoon += row.dueSoon;
    totals.unassigned += row.unassigned;
    for (const status of OPEN_STATUSES) byStatus[status] += row.byStatus[status] ?? 0;
    for (const priority of PRIORITIES) byPriority[priority] += row.byPriority[priority];
    const oldest = row.oldestOverdue;
    // By the moment, not the text: a deadline is stored with or without its milliseconds, and as text
    // `…09:00:00.500Z` sorts before `…09:00:00Z`.
    if (
      oldest &&
      (!totals.oldestOverdue || Date.parse(oldest.deadline) < Date.parse(totals.oldestOverdue.deadline))
    )
      totals.oldestOverdue = { department: row.department, ...oldest };
  }
  return {
    asOf,
    departments: [...unfinished.map(uncountedRow), ...counted],
    totals,
    unfinished: [...unfinished],
  };
}
