import { describe, expect, it } from 'vitest';
import { operatorFiguresOf } from '../../../lambdas/domain/operator/operator-statistics.js';
import { type CountedInquiry, statisticsOf } from '../../../lambdas/domain/operator/statistics.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const OPENED = Date.parse('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(OPENED + minutes * 60_000).toISOString();
const ANNA = { id: 'anna', name: 'Анна Петрова' };
const IVAN = { id: 'ivan', name: 'Иван Сидоров' };

/**
 * An inquiry opened at 09:00 on 2 March, due at 18:00 (540 minutes on); answered from the console `after`
 * minutes (if given) by `by`, who took it by the answer.
 */
const counted = (
  fields: Partial<CountedInquiry> & { after?: number; by?: { id: string; name: string } } = {},
): CountedInquiry => {
  const { after, by, ...rest } = fields;
  return {
    department: 'housing',
    groupId: 1,
    status: after === undefined ? 'routed' : 'answered',
    category: 'waste',
    createdAt: at(0),
    reopenCount: 0,
    firstResponseStartedAt: at(0),
    firstResponseDueAt: at(540),
    ...(after !== undefined && {
      firstRespondedAt: at(after),
      firstResponseLate: after > 540,
      answeredAt: at(after),
    }),
    ...(by && { assignee: by, assignedAt: at(after ?? 0) }),
    ...rest,
  };
};

const only = (inquiries: CountedInquiry[]) => {
  const [department, ...more] = operatorFiguresOf(inquiries, NOW);
  if (!department || more.length > 0) throw new Error('one department expected');
  return department;
};

describe('the operators’ figures of a period', () => {
  it('credit each operator with the answers they gave: how many, how fast, how many in time', () => {
    const department = only([
      counted({ after: 10, by: ANNA }),
      counted({ after: 30, by: ANNA }),
      counted({ after: 600, by: ANNA }),
      counted({ after: 20, by: IVAN }),
    ]);
    expect(department.operators).toEqual([
      {
        ...ANNA,
        answered: 3,
        resolution: expect.objectContaining({
          count: 3,
          medianMinutes: 30,
          p90Minutes: 600,
          inTime: 2,
          late: 1,
          inTimeShare: 0.667,
        }),
        holding: 0,
      },
      {
        ...IVAN,
        answered: 1,
        resolution: expect.objectContaining({ count: 1, medianMinutes: 20, inTime: 1, late: 0 }),
        holding: 0,
      },
    ]);
    expect(department.uncredited).toMatchObject({ answered: 0, holding: 0 });
  });

  it('credit no one with a closing without an answer, an answer of an ended cycle, nor one released or taken over since', () => {
    const department = only([
      // Answered by hand in VK (an intermediate answer), then closed by Anna: resolved, by no one known.
      counted({
        status: 'closed',
        firstRespondedAt: at(5),
        closedAt: at(60),
        assignee: ANNA,
        assignedAt: at(60),
      }),
      // Answered, then closed by Ivan over Anna's hold: Ivan took it after the answer.
      counted({
        after: 15,
        by: ANNA,
        status: 'closed',
        closedAt: at(90),
        assignee: IVAN,
        assignedAt: at(90),
      }),
      // Answered, then released: no one holds it.
      counted({ after: 25 }),
      // Answered in its first cycle (by whom, `earlierCycles` does not keep), reopened and held by Ivan.
      counted({
        status: 'reopened',
        reopenCount: 1,
        firstResponseStartedAt: at(1000),
        firstResponseDueAt: at(20_000),
        assignee: IVAN,
        assignedAt: at(1001),
        earlierCycles: [
          {
            status: 'answered',
            startedAt: at(0),
            endedAt: at(40),
            firstResponseDueAt: at(540),
            firstRespondedAt: at(40),
            answeredAt: at(40),
          },
        ],
      }),
    ]);
    expect(department.operators).toEqual([expect.objectContaining({ ...IVAN, answered: 0, holding: 1 })]);
    expect(department.uncredited).toMatchObject({
      answered: 4,
      resolution: expect.objectContaining({ count: 4, inTime: 4, late: 0 }),
      holding: 0,
    });
  });

  it('count open work by who holds it, no one’s too, and an answer owed past its deadline as no one’s late', () => {
    const department = only([
      counted({ status: 'in_progress', assignee: ANNA, assignedAt: at(3) }),
      counted({ status: 'in_progress', assignee: ANNA, assignedAt: at(4) }),
      counted({}),
    ]);
    expect(department.operators).toEqual([expect.objectContaining({ ...ANNA, answered: 0, holding: 2 })]);
    // Due at 18:00 on 2 March, not answered by 10 March: late, each of the three.
    expect(department.uncredited).toMatchObject({
      answered: 0,
      holding: 1,
      resolution: { count: 0, late: 3 },
    });
  });

  it('name a renamed operator by the name of the inquiry they took latest', () => {
    const department = only([
      counted({ after: 50, by: { id: 'anna', name: 'Анна Иванова' } }),
      counted({ after: 10, by: ANNA }),
    ]);
    expect(department.operators).toEqual([
      expect.objectContaining({ id: 'anna', name: 'Анна Иванова', answered: 2 }),
    ]);
  });

  it('credit the holder of an inquiry taken before it kept when, and answered since', () => {
    const department = only([counted({ after: 10, assignee: IVAN })]);
    expect(department.operators).toEqual([expect.objectContaining({ ...IVAN, answered: 1 })]);
  });

  it('credit an answer whose cause is kept to the holder only if the cause names them as its sender', () => {
    const department = only([
      // Anna's answer, refused by VK and delivered later, after Ivan took the inquiry: not his.
      counted({ after: 90, by: IVAN, answerCause: `op:${ANNA.id}:reply:k1:f`, assignedAt: at(60) }),
      // Anna's answer, hers still, though she took the inquiry again meanwhile: hers.
      counted({ after: 90, by: ANNA, answerCause: `op:${ANNA.id}:reply:k2:f`, assignedAt: at(60) }),
      // An id that only begins as hers names someone else.
      counted({ after: 90, by: ANNA, answerCause: `op:${ANNA.id}x:reply:k3:f` }),
    ]);
    expect(department.operators.map(({ id, answered }) => ({ id, answered }))).toEqual([
      { id: ANNA.id, answered: 1 },
    ]);
    expect(department.uncredited.answered).toBe(2);
  });

  it('add up, per department, to the statistics’ resolution', () => {
    const inquiries = [
      counted({ after: 10, by: ANNA }),
      counted({ after: 700, by: IVAN }),
      counted({
        status: 'closed',
        firstRespondedAt: at(5),
        closedAt: at(60),
        assignee: ANNA,
        assignedAt: at(1),
      }),
      counted({ status: 'in_progress', assignee: ANNA, assignedAt: at(3) }),
      counted({ department: 'roads', after: 30, by: IVAN }),
    ];
    const statistics = statisticsOf(inquiries, NOW);
    for (const { department, operators, uncredited } of operatorFiguresOf(inquiries, NOW)) {
      const rows = [...operators, uncredited];
      const [group] = statistics.filter((each) => each.department === department);
      const sum = (field: 'count' | 'inTime' | 'late') =>
        rows.reduce((total, row) => total + row.resolution[field], 0);
      expect({ count: sum('count'), inTime: sum('inTime'), late: sum('late') }).toEqual({
        count: group?.resolution.count,
        inTime: group?.resolution.inTime,
        late: group?.resolution.late,
      });
      expect(rows.reduce((total, row) => total + row.answered, 0)).toBe(group?.resolution.count);
    }
  });
});
