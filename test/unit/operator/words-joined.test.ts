import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../../lambdas/adapters/config.js';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import { reasonWithoutJoinedCase, wordsJoinedReason } from '../../../lambdas/domain/inquiry/words-joined.js';
import type { Operator } from '../../../lambdas/domain/operator/access.js';
import { inquiryView } from '../../../lambdas/domain/operator/view.js';

const config = readConfigFile('config/local.json');

const operatorOf = (departments: string[], admin = false): Operator => ({
  id: 'sub-1',
  name: 'Оператор',
  admin,
  departments,
});
const JOINED = { inquiryId: 'inq-lift', caseNumber: '2026-000004' };
const greeting = {
  id: 'inq-greeting',
  groupId: 1,
  department: 'triage',
  replyTo: { channel: 'direct_message', peerId: 5 },
  wordsJoined: JOINED,
} as unknown as Inquiry;

describe('the newer inquiry a rejected message’s words joined, as operators read of it', () => {
  it('is named to an admin and an operator of the department it is in now, to no one else', () => {
    const inHousing = new Map([[JOINED.inquiryId, 'housing']]);
    expect(inquiryView(greeting, operatorOf(['housing']), inHousing, config).wordsJoined).toEqual(JOINED);
    expect(inquiryView(greeting, operatorOf([], true), new Map(), config).wordsJoined).toEqual(JOINED);
    expect(inquiryView(greeting, operatorOf(['triage']), inHousing, config).wordsJoined).toEqual({
      otherDepartment: true,
    });
    const movedToTriage = new Map([[JOINED.inquiryId, 'triage']]);
    expect(inquiryView(greeting, operatorOf(['triage']), movedToTriage, config).wordsJoined).toEqual(JOINED);
    const deleted = new Map([[JOINED.inquiryId, undefined]]);
    expect(inquiryView(greeting, operatorOf(['triage']), deleted, config).wordsJoined).toEqual({
      otherDepartment: true,
    });
  });

  it('reasons name neither its number nor its id to whom may not know it', () => {
    const reason = wordsJoinedReason(JOINED);
    expect(reason).toContain('№ 2026-000004');
    expect(reasonWithoutJoinedCase(reason)).toBe(
      "the message was edited in VK into words of the matter of the citizen's newer inquiry in another department, which they joined as a follow-up",
    );
    const unnumbered = reasonWithoutJoinedCase(wordsJoinedReason({ inquiryId: 'inq-lift' }));
    expect(unnumbered).not.toContain('inq-lift');
    expect(reasonWithoutJoinedCase('the message was edited in VK')).toBe('the message was edited in VK');
  });
});
