import { describe, expect, it } from 'vitest';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import { mayKnowCase } from '../../../lambdas/domain/operator/named-case.js';
import type { OperatorApiDeps } from '../../../lambdas/operator-api/api.js';
import { caseDepartments } from '../../../lambdas/operator-api/case-departments.js';

/** The inquiries a page names, each in its own department now: only their department is read of them. */
const departments: Record<string, string> = { 'inq-housing': 'housing', 'inq-roads': 'roads' };
const deps = {
  inquiries: {
    getInquiry: async (id: string) =>
      departments[id] === undefined ? undefined : ({ id, department: departments[id] } as Inquiry),
  },
} as unknown as OperatorApiDeps;
const housing = { id: 'sub-1', name: 'Оператор ЖКХ', admin: false, departments: ['housing'] };

describe('the departments of the cases a page names', () => {
  it('are each case’s own, so that an operator is told of their department’s case and of no other', async () => {
    const casesNow = await caseDepartments(deps, housing, ['inq-housing', 'inq-roads', 'inq-gone']);
    expect(casesNow).toEqual(
      new Map([
        ['inq-housing', 'housing'],
        ['inq-roads', 'roads'],
        ['inq-gone', undefined],
      ]),
    );
    expect(mayKnowCase(housing, 'inq-housing', casesNow)).toBe(true);
    expect(mayKnowCase(housing, 'inq-roads', casesNow)).toBe(false);
    expect(mayKnowCase(housing, 'inq-gone', casesNow)).toBe(false);
  });
});
