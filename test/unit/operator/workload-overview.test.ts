import { describe, expect, it } from 'vitest';
import { type WorkloadRow, workloadOverview } from '../../../lambdas/domain/operator/workload-overview.js';

const AS_OF = '2026-12-07T06:00:00.000Z';

/** A department's row: nothing open unless given. */
const row = (department: string, fields: Partial<WorkloadRow> = {}): WorkloadRow => ({
  department,
  name: department,
  counted: true,
  open: 0,
  critical: 0,
  byStatus: { new: 0, routed: 0, in_progress: 0, reopened: 0 } as WorkloadRow['byStatus'],
  byPriority: { critical: 0, high: 0, normal: 0 },
  overdue: 0,
  dueSoon: 0,
  unassigned: 0,
  oldestOverdue: null,
  ...fields,
});

const late = (minutes: number) => ({
  id: `late-${minutes}`,
  deadline: new Date(Date.parse(AS_OF) - minutes * 60_000).toISOString(),
  overdueMinutes: minutes,
});

describe('the open work of several departments', () => {
  it('puts the most behind first: overdue, then the longest overdue, due soon, open, then by id', () => {
    const overview = workloadOverview(
      AS_OF,
      [
        row('a-quiet'),
        row('b-busy', { open: 9 }),
        row('c-soon', { open: 2, dueSoon: 2 }),
        row('d-late', { open: 2, overdue: 2, oldestOverdue: late(30) }),
        row('e-later', { open: 2, overdue: 2, oldestOverdue: late(600) }),
        row('f-most', { open: 3, overdue: 3, oldestOverdue: late(10) }),
        row('0-quiet'),
      ],
      [],
    );
    expect(overview.departments.map((each) => each.department)).toEqual([
      'f-most',
      'e-later',
      'd-late',
      'c-soon',
      'b-busy',
      '0-quiet',
      'a-quiet',
    ]);
  });

  it('adds the rows up, and names the longest overdue of them all with its department', () => {
    const overview = workloadOverview(
      AS_OF,
      [
        row('roads', {
          open: 3,
          critical: 1,
          overdue: 2,
          unassigned: 1,
          byPriority: { critical: 1, high: 0, normal: 2 },
          oldestOverdue: late(30),
        }),
        row('housing', {
          open: 2,
          overdue: 1,
          dueSoon: 1,
          byStatus: { new: 0, routed: 1, in_progress: 0, reopened: 1 } as WorkloadRow['byStatus'],
          oldestOverdue: late(90),
        }),
      ],
      [{ department: 'triage', name: 'Разбор' }],
    );
    expect(overview.totals).toEqual({
      open: 5,
      critical: 1,
      byStatus: { new: 0, routed: 1, in_progress: 0, reopened: 1 },
      byPriority: { critical: 1, high: 0, normal: 2 },
      overdue: 3,
      dueSoon: 1,
      unassigned: 1,
      oldestOverdue: { department: 'housing', ...late(90) },
    });
    expect(overview.unfinished).toEqual([{ department: 'triage', name: 'Разбор' }]);
    expect(workloadOverview(AS_OF, [], []).totals).toMatchObject({ open: 0, oldestOverdue: null });
  });

  it('names the longest overdue by its moment, whether its deadline is stored with milliseconds or not', () => {
    // As text, `…09:00:00.500Z` sorts before `…09:00:00Z` ('.' before 'Z'), though it is half a second later.
    const stored = (deadline: string) => ({ id: deadline, deadline, overdueMinutes: 60 });
    const overview = workloadOverview(
      AS_OF,
      [
        row('roads', { open: 1, overdue: 1, oldestOverdue: stored('2026-12-07T05:00:00.500Z') }),
        row('housing', { open: 1, overdue: 1, oldestOverdue: stored('2026-12-07T05:00:00Z') }),
      ],
      [],
    );
    expect(overview.totals.oldestOverdue).toMatchObject({ department: 'housing' });
  });

  it('gives a department not read in time a row of its own, first, not counted, and in no total', () => {
    const overview = workloadOverview(
      AS_OF,
      [row('roads', { open: 3, overdue: 2, oldestOverdue: late(30) })],
      [
        { department: 'triage', name: 'Разбор' },
        { department: 'housing', name: 'ЖКХ' },
      ],
    );
    const notCounted = (department: string, name: string) => ({
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
    // A table that shows the rows shows these too, blank where it cannot know, above the ones behind.
    expect(overview.departments).toEqual([
      notCounted('triage', 'Разбор'),
      notCounted('housing', 'ЖКХ'),
      row('roads', { open: 3, overdue: 2, oldestOverdue: late(30) }),
    ]);
    expect(overview.totals).toMatchObject({ open: 3, overdue: 2 });
  });
});
