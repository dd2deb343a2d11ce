import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../lambdas/domain/inquiry/inquiry.js';
import type { Operator } from '../../../lambdas/domain/operator/access.js';
import { hadInquiry } from '../../../lambdas/domain/operator/left-departments.js';

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
