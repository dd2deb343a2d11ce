import { describe, expect, it } from 'vitest';
import {
  caseNumberDue,
  caseYear,
  formatCaseNumber,
  parseCaseNumber,
} from '../../../lambdas/domain/inquiry/case-number.js';
import { openInquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import type { Effect } from '../../../lambdas/domain/inquiry/state-machine.js';
import { perm } from '../sla/calendars.js';

describe('case numbers', () => {
  it('are the year and the sequence, zero-padded to six digits', () => {
    expect(formatCaseNumber(2026, 4217)).toBe('2026-004217');
    expect(formatCaseNumber(2026, 1_234_567)).toBe('2026-1234567');
  });

  it('are read as a citizen says or writes them, in their one written form', () => {
    for (const said of ['2026-004217', '2026-4217', '2026 4217', '2026–4217', '№ 2026-004217', ' 20264217 '])
      expect(parseCaseNumber(said), said).toBe('2026-004217');
    for (const wrong of [
      '',
      '2026-',
      '26-4217',
      '2026-0',
      'wfkM_HTDzgCkgC54',
      '2026-4217a',
      '2026-1234567890',
    ])
      expect(parseCaseNumber(wrong), wrong).toBeUndefined();
  });

  it("count the year in the community's time zone", () => {
    const newYearsEve = new Date('2026-12-31T21:00:00.000Z');
    expect(caseYear(newYearsEve, 'Asia/Yekaterinburg')).toBe(2027);
    expect(caseYear(newYearsEve, 'Europe/Kaliningrad')).toBe(2026);
  });

  describe('are due', () => {
    const routed: Effect = { type: 'routed', department: 'housing' };

    it('when a change puts an inquiry without one into work', () => {
      expect(caseNumberDue([routed], {})).toBe(true);
      expect(caseNumberDue([{ type: 'priority_raised', from: 'normal', to: 'high' }, routed], {})).toBe(true);
    });

    it('never twice: one routed before and rejected since, or a repeated change, keeps its own', () => {
      expect(caseNumberDue([routed], { caseNumber: '2026-000007' })).toBe(false);
    });

    it('not for a change that leaves it where it was, or moves it between departments', () => {
      expect(caseNumberDue([], {})).toBe(false);
      expect(caseNumberDue([{ type: 'rerouted', from: 'triage', department: 'housing' }], {})).toBe(false);
      expect(caseNumberDue([{ type: 'reopened' }], {})).toBe(false);
    });

    it('for an inquiry opened routed, not for a message taken for none', () => {
      const receivedAt = new Date('2026-03-02T06:00:00.000Z');
      const opened = (inquiry: boolean) =>
        openInquiry({
          id: 'i1',
          eventKey: 'e:1',
          message: {
            groupId: 1,
            channel: 'direct_message',
            replyTo: { channel: 'direct_message', peerId: 5 },
            messageRef: 'dm:5:1',
            conversationKey: 'dm:5',
            authorId: 5,
            text: inquiry ? 'В подъезде течёт с потолка' : 'Спасибо!',
            attachments: [],
            sentAt: receivedAt.toISOString(),
          },
          classification: {
            category: 'housing',
            priority: 'normal',
            confidence: 0.9,
            inquiry,
            triage: false,
            model: 't',
          },
          routing: inquiry ? { department: 'housing', rule: 1 } : null,
          deadlines: inquiry
            ? {
                terms: { firstResponseHours: 9, resolutionHours: 72, clock: 'working_hours' },
                context: { calendar: perm, warnAtFraction: 0.8 },
              }
            : null,
          triageDepartment: 'triage',
          receivedAt,
          now: receivedAt,
        });
      const numbered = opened(true);
      expect(caseNumberDue(numbered.effects, numbered.inquiry)).toBe(true);
      const rejected = opened(false);
      expect(caseNumberDue(rejected.effects, rejected.inquiry)).toBe(false);
    });
  });
});
