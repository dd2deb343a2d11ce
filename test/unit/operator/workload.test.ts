import { describe, expect, it } from 'vitest';
import { type DeadlineClock, startClock } from '../../../lambdas/domain/inquiry/deadline.js';
import { type WorkloadInquiry, workloadAccumulator } from '../../../lambdas/domain/operator/workload.js';
import { perm } from '../sla/calendars.js';

const NOW = new Date('2026-12-07T06:00:00.000Z');
const minutes = (from: Date, count: number) => new Date(from.getTime() + count * 60_000).toISOString();

/** A first-response clock due `dueIn` minutes from NOW (negative: past), warned at `warnIn`. */
const clock = (dueIn: number, warnIn = dueIn - 60): DeadlineClock => ({
  kind: 'first_response',
  cycle: 1,
  startedAt: minutes(NOW, -600),
  dueAt: minutes(NOW, dueIn),
  warnAt: minutes(NOW, warnIn),
  warned: false,
  breached: false,
});

/** An open routed pothole inquiry of roads, due in a day, no one's. */
const open = (id: string, fields: Partial<WorkloadInquiry> = {}): WorkloadInquiry => ({
  id,
  department: 'roads',
  caseNumber: `2026-${id}`,
  status: 'routed',
  priority: 'normal',
  category: 'roads',
  clock: clock(24 * 60),
  ...fields,
});

const workloadOf = (inquiries: WorkloadInquiry[], now = NOW) => {
  const accumulator = workloadAccumulator('roads', now);
  // Two pages, as the table gives them: the counts go on across them.
  accumulator.add(inquiries.slice(0, 1));
  accumulator.add(inquiries.slice(1));
  return accumulator.workload();
};

const olga = { id: 'sub-olga', name: 'Ольга Смирнова' };
const anna = { id: 'sub-anna', name: 'Анна Иванова' };

describe("a department's open work", () => {
  it('counts a deadline before now as overdue, and one at now not yet: as the overdue list’s key condition', () => {
    const workload = workloadOf([
      open('000001', { clock: clock(0) }),
      open('000002', { clock: { ...clock(0), dueAt: new Date(NOW.getTime() - 1).toISOString() } }),
      open('000003', { clock: clock(-90) }),
      open('000004', { clock: undefined }),
    ]);
    expect(workload).toMatchObject({ open: 4, overdue: 2 });
    expect(workload.oldestOverdue).toEqual({
      id: '000003',
      caseNumber: '2026-000003',
      deadline: minutes(NOW, -90),
      overdueMinutes: 90,
    });
  });

  it('reads the deadline the inquiry is listed by: a first response owed again before the running resolution', () => {
    // VK refused the words that gave the first response: it is owed again by its deadline, an hour ago,
    // while the resolution's clock runs to tomorrow.
    const owed = clock(-60);
    const workload = workloadOf([
      open('000001', {
        status: 'in_progress',
        clock: { ...clock(24 * 60), kind: 'resolution' },
        firstResponseClock: owed,
        firstResponseDueAt: owed.dueAt,
      }),
    ]);
    expect(workload).toMatchObject({ overdue: 1, dueSoon: 0, oldestOverdue: { deadline: owed.dueAt } });
  });

  it('counts as due soon the inquiries past their warning point and not overdue, and none otherwise', () => {
    const workload = workloadOf([
      open('000001', { clock: clock(30, -10) }),
      open('000002', { clock: clock(30, 0) }),
      open('000003', { clock: clock(30, 1) }),
      open('000004', { clock: clock(-5, -30) }),
      open('000005', { clock: undefined }),
    ]);
    expect(workload).toMatchObject({ open: 5, overdue: 1, dueSoon: 2 });
  });

  it('counts the warning point in working time: a Friday evening’s inquiry is not due soon over the weekend', () => {
    // Perm (UTC+5), Friday 4 December 2026 at 16:00, 9 working hours to the first response: 45 minutes on
    // Friday, the rest on Monday and Tuesday.
    const friday = startClock('first_response', 1, new Date('2026-12-04T11:00:00.000Z'), terms, {
      calendar: perm,
      warnAtFraction: 0.8,
    });
    expect(friday.warnAt).toBe('2026-12-07T11:27:00.000Z');
    const inquiries = [open('000001', { clock: friday })];
    expect(workloadOf(inquiries, new Date('2026-12-05T12:00:00.000Z'))).toMatchObject({ dueSoon: 0 });
    expect(workloadOf(inquiries, new Date('2026-12-07T11:00:00.000Z'))).toMatchObject({ dueSoon: 0 });
    expect(workloadOf(inquiries, new Date('2026-12-07T11:30:00.000Z'))).toMatchObject({
      dueSoon: 1,
      overdue: 0,
    });
  });

  it('tells the inquiries no one holds from those held, and who holds how many, the most first', () => {
    const workload = workloadOf([
      open('000001', { assignee: anna, status: 'in_progress', clock: clock(-30) }),
      open('000002', { assignee: olga, status: 'in_progress' }),
      open('000003'),
      open('000004', { assignee: olga, status: 'in_progress', clock: clock(-10) }),
      open('000005', { status: 'reopened' }),
      open('000006', { assignee: anna, status: 'in_progress' }),
      open('000007', { assignee: { id: 'sub-boris', name: 'Борис Петров' }, status: 'in_progress' }),
    ]);
    expect(workload).toMatchObject({
      open: 7,
      unassigned: 2,
      overdue: 2,
      byStatus: { new: 0, routed: 1, in_progress: 5, reopened: 1 },
    });
    // Anna and Olga hold two each, one overdue each: by name then (А before О); Boris one.
    expect(workload.byAssignee).toEqual([
      { ...anna, open: 2, overdue: 1 },
      { ...olga, open: 2, overdue: 1 },
      { id: 'sub-boris', name: 'Борис Петров', open: 1, overdue: 0 },
    ]);
  });

  it('names an operator renamed since by the name the inquiry they took last keeps', () => {
    const workload = workloadOf([
      open('000001', { assignee: olga, assignedAt: '2026-11-01T05:00:00.000Z' }),
      open('000002', {
        assignee: { ...olga, name: 'Ольга Кузнецова' },
        assignedAt: '2026-12-07T05:00:00.000Z',
      }),
      // Taken by a release that kept no time of it: never taken for the newer.
      open('000003', { assignee: { ...olga, name: 'Ольга С.' } }),
    ]);
    expect(workload.byAssignee).toEqual([{ id: olga.id, name: 'Ольга Кузнецова', open: 3, overdue: 0 }]);
  });

  it('counts the critical ones apart, every priority and open status given, categories the largest first', () => {
    const workload = workloadOf([
      open('000001', { priority: 'critical', category: 'housing' }),
      open('000002', { category: 'waste' }),
      open('000003', { category: 'housing' }),
      open('000004', { priority: 'high', category: 'roads' }),
    ]);
    expect(workload).toMatchObject({
      open: 4,
      critical: 1,
      byPriority: { critical: 1, high: 1, normal: 2 },
      byStatus: { new: 0, routed: 4, in_progress: 0, reopened: 0 },
    });
    expect(Object.entries(workload.byCategory)).toEqual([
      ['housing', 2],
      ['roads', 1],
      ['waste', 1],
    ]);
  });

  it('counts nothing of a department with no open work, and no inquiry read as finished', () => {
    expect(
      workloadOf([open('000001', { status: 'rejected' }), open('000002', { status: 'answered' })]),
    ).toEqual({
      department: 'roads',
      asOf: NOW.toISOString(),
      open: 0,
      critical: 0,
      byStatus: { new: 0, routed: 0, in_progress: 0, reopened: 0 },
      byPriority: { critical: 0, high: 0, normal: 0 },
      byCategory: {},
      overdue: 0,
      dueSoon: 0,
      unassigned: 0,
      byAssignee: [],
      oldestOverdue: null,
    });
  });
});

const terms = { firstResponseHours: 9, resolutionHours: 72 };
