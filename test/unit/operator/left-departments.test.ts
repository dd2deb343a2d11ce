import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../lambdas/domain/inquiry/inquiry.js';
import type { Operator } from '../../../lambdas/domain/operator/access.js';
import {
  hadInquiry,
  heldInquiry,
  holdersAfter,
  MAX_HOLDERS,
  NO_HOLDERS,
} from '../../../lambdas/domain/operator/left-departments.js';

const housing: Operator = { id: 'sub-anna', name: 'Анна Иванова', admin: false, departments: ['housing'] };
const entry = (
  kind: HistoryEntry['kind'],
  detail: Record<string, unknown>,
  actorId?: string,
): HistoryEntry => ({
  inquiryId: 'i1',
  key: `2026-03-16T05:00:00.000Z#${kind}#1`,
  at: '2026-03-16T05:00:00.000Z',
  kind,
  actor: actorId ? 'operator' : 'router',
  ...(actorId && { actorId }),
  detail,
});

describe('whether an operator had an inquiry now out of their departments', () => {
  it('is so when its history names one of their departments, or them, or they hold it', () => {
    const routed = entry('routed', { department: 'housing', rule: 0 });
    const moved = entry('moved', { fromDepartment: 'housing', toDepartment: 'roads' }, 'sub-boris');
    const rejected = entry('rejected', { fromDepartment: 'housing', department: 'triage' }, 'sub-boris');
    for (const history of [[routed], [moved], [rejected]])
      expect(hadInquiry(housing, {}, history)).toBe(true);
    const theirs = entry('status', {}, housing.id);
    expect(hadInquiry(housing, {}, [theirs])).toBe(true);
    expect(hadInquiry(housing, { assignee: { id: housing.id, name: housing.name } }, [])).toBe(true);
  });

  it('is not for one that was only ever in other departments, by others', () => {
    const history = [
      entry('routed', { department: 'roads', rule: 1 }),
      entry('moved', { fromDepartment: 'roads', toDepartment: 'triage' }, 'sub-boris'),
      entry('message', { messageRef: 'm1', text: 'housing' }),
    ];
    expect(hadInquiry(housing, { assignee: { id: 'sub-boris', name: 'Борис' } }, history)).toBe(false);
  });
});

describe('who has had an inquiry, kept on it', () => {
  const departments = ['housing', 'roads', 'triage', 'waste'];
  const operators = ['sub-anna', 'sub-boris', 'ops:departments-move'];
  const trace = fc.record({
    kind: fc.constantFrom<HistoryEntry['kind']>(
      'routed',
      'moved',
      'rejected',
      'message',
      'status',
      'warning',
    ),
    actorId: fc.option(fc.oneof(fc.constantFrom(...operators), fc.integer({ min: 1, max: 9 })), {
      nil: undefined,
    }),
    detail: fc.record(
      {
        department: fc.constantFrom(...departments),
        fromDepartment: fc.constantFrom(...departments),
        toDepartment: fc.constantFrom(...departments),
        text: fc.string(),
      },
      { requiredKeys: [] },
    ),
  });
  const operator = fc.record({
    id: fc.constantFrom(...operators, 'sub-vera'),
    name: fc.constant('Оператор'),
    admin: fc.constant(false),
    departments: fc.subarray(departments),
  });

  it('answers as the whole history does, gathered change by change, for any operator', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(trace, { maxLength: 5 }), { maxLength: 8 }),
        operator,
        fc.option(fc.constantFrom(...operators), { nil: undefined }),
        (changes, asking, assignee) => {
          let holders = NO_HOLDERS;
          for (const change of changes) holders = holdersAfter(holders, change) ?? fail('past its bound');
          const inquiry = assignee ? { assignee: { id: assignee, name: 'Оператор' } } : {};
          expect(heldInquiry(asking, inquiry, holders)).toBe(hadInquiry(asking, inquiry, changes.flat()));
        },
      ),
    );
  });

  it('keeps each once, and none past MAX_HOLDERS of either', () => {
    const moves = (count: number) =>
      Array.from({ length: count }, (_move, index) =>
        entry('moved', { fromDepartment: 'housing', toDepartment: `dept-${index}` }, 'sub-boris'),
      );
    expect(holdersAfter(NO_HOLDERS, [...moves(2), ...moves(2)])).toEqual({
      departments: ['housing', 'dept-0', 'dept-1'],
      operators: ['sub-boris'],
    });
    expect(holdersAfter(NO_HOLDERS, moves(MAX_HOLDERS - 1))?.departments).toHaveLength(MAX_HOLDERS);
    expect(holdersAfter(NO_HOLDERS, moves(MAX_HOLDERS))).toBeUndefined();
    const byMany = Array.from({ length: MAX_HOLDERS + 1 }, (_status, index) =>
      entry('status', {}, `sub-${index}`),
    );
    expect(holdersAfter(NO_HOLDERS, byMany.slice(1))?.operators).toHaveLength(MAX_HOLDERS);
    expect(holdersAfter(NO_HOLDERS, byMany)).toBeUndefined();
  });
});

function fail(message: string): never {
  throw new Error(message);
}
