import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../../lambdas/adapters/config.js';
import {
  burstOfFollowedReason,
  newMatterReason,
  reasonWithoutFollowedCase,
} from '../../../lambdas/domain/inquiry/followed-case.js';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import type { Operator } from '../../../lambdas/domain/operator/access.js';
import { mayKnowFollowedCase } from '../../../lambdas/domain/operator/followed-case.js';
import { inquiryView } from '../../../lambdas/domain/operator/view.js';

const config = readConfigFile('config/local.json');

const operatorOf = (departments: string[], admin = false): Operator => ({
  id: 'sub-1',
  name: 'Оператор',
  admin,
  departments,
});
const HOUSING_CASE = { inquiryId: 'inq-old', caseNumber: '2026-000001', category: 'waste' as const };

describe('the case a new matter follows, as operators read of it', () => {
  const inHousing = new Map([[HOUSING_CASE.inquiryId, 'housing']]);

  it('is known to an admin and to an operator of its department only', () => {
    const followed = { ...HOUSING_CASE, department: 'housing' };
    expect(mayKnowFollowedCase(operatorOf(['housing']), followed, inHousing)).toBe(true);
    expect(mayKnowFollowedCase(operatorOf(['roads']), followed, inHousing)).toBe(false);
    expect(mayKnowFollowedCase(operatorOf([], true), followed, new Map())).toBe(true);
  });

  it('is judged by the department it is in now, not the one kept when the new matter was opened', () => {
    const followed = { ...HOUSING_CASE, department: 'housing' };
    const movedToRoads = new Map([[HOUSING_CASE.inquiryId, 'roads']]);
    expect(mayKnowFollowedCase(operatorOf(['roads']), followed, movedToRoads)).toBe(true);
    expect(mayKnowFollowedCase(operatorOf(['housing']), followed, movedToRoads)).toBe(false);
    const deleted = new Map([[HOUSING_CASE.inquiryId, undefined]]);
    expect(mayKnowFollowedCase(operatorOf(['housing']), followed, deleted)).toBe(false);
    expect(mayKnowFollowedCase(operatorOf([], true), followed, deleted)).toBe(true);
  });

  it('is known by where it is now also when opened before its department was kept', () => {
    const inquiry = {
      id: 'inq-new',
      groupId: 1,
      replyTo: { channel: 'direct_message', peerId: 5 },
      follows: HOUSING_CASE,
    } as unknown as Inquiry;
    expect(inquiryView(inquiry, operatorOf(['housing']), inHousing, config).follows).toEqual(HOUSING_CASE);
    expect(inquiryView(inquiry, operatorOf(['roads']), inHousing, config).follows).toEqual({
      otherDepartment: true,
    });
    expect(inquiryView(inquiry, operatorOf([], true), new Map(), config).follows).toEqual(HOUSING_CASE);
  });

  it('reasons name neither its number nor its category nor its status to whom may not know it', () => {
    const routed = `routing rule 3; ${newMatterReason(HOUSING_CASE, 'answered')}`;
    expect(routed).toContain('№ 2026-000001 (waste, answered lately)');
    expect(reasonWithoutFollowedCase(routed)).toBe(
      "routing rule 3; a new matter, after the citizen's case in another department",
    );
    const burst = reasonWithoutFollowedCase(
      burstOfFollowedReason({ inquiryId: 'inq-old', category: 'waste' }),
    );
    expect(burst).toMatch(
      /^a message of its burst taken for one of the citizen's case in another department/,
    );
    expect(burst).not.toMatch(/inq-old|waste|category/);
    expect(reasonWithoutFollowedCase('a follow-up in the same conversation')).toBe(
      'a follow-up in the same conversation',
    );
  });
});
