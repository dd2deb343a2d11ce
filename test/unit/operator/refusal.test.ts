import { describe, expect, it } from 'vitest';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import { applyEvent, type InquiryEvent } from '../../../lambdas/domain/inquiry/state-machine.js';
import { refusalOf } from '../../../lambdas/domain/operator/refusal.js';
import { routedInquiry } from '../../support/routed-inquiry.js';
import { perm } from '../sla/calendars.js';

const context = { calendar: perm, warnAtFraction: 0.8, now: new Date('2026-03-16T06:00:00Z') };
const anna = { id: 'sub-anna', name: 'Анна Иванова' };
const boris = { id: 'sub-boris', name: 'Борис Петров' };

/** An inquiry in work, held by Anna. */
const held = (status: Inquiry['status'] = 'in_progress'): Inquiry => {
  const { clock, firstResponseDueAt, ...inWork } = routedInquiry({ status, assignee: anna });
  return inWork;
};

const take = (who: { id: string; name: string }, force?: true): InquiryEvent => ({
  type: 'take',
  cause: `op:take-${who.id}`,
  at: '2026-03-16T06:00:00.000Z',
  operatorId: who.id,
  operatorName: who.name,
  ...(force && { force }),
});

/** The code the API answers a change the state machine refuses with. */
function codeOf(inquiry: Inquiry, event: InquiryEvent) {
  expect(applyEvent(inquiry, event, context).outcome).toBe('refused');
  return refusalOf(inquiry, event);
}

describe('the code of a change the state machine refuses', () => {
  it('names who holds an inquiry another operator tries to take, and tells one it is theirs already', () => {
    expect(codeOf(held(), take(boris))).toEqual({ code: 'taken_by_other', holder: anna });
    expect(codeOf(held('reopened'), take(boris))).toEqual({ code: 'taken_by_other', holder: anna });
    expect(codeOf(held(), take(anna))).toEqual({ code: 'already_yours' });
    expect(codeOf(held(), take(anna, true))).toEqual({ code: 'already_yours' });
  });

  it('names who holds an inquiry another operator answers from the console without force', () => {
    const words = (type: 'intermediate_answer' | 'final_answer' | 'reply_noted'): InquiryEvent => ({
      type,
      cause: `op:${type}`,
      at: '2026-03-16T06:00:00.000Z',
      operatorId: boris.id,
      operatorName: boris.name,
      text: 'Ответ',
      via: 'console',
    });
    expect(codeOf(held(), words('intermediate_answer'))).toEqual({ code: 'taken_by_other', holder: anna });
    expect(codeOf(held('reopened'), words('final_answer'))).toEqual({ code: 'taken_by_other', holder: anna });
    expect(codeOf(held('answered'), words('reply_noted'))).toEqual({ code: 'taken_by_other', holder: anna });
    // Not one its status allows, whoever holds it.
    expect(codeOf(held('answered'), words('final_answer'))).toEqual({ code: 'not_allowed_in_state' });
  });

  it('blames the status for anything else, an answered inquiry someone holds among them', () => {
    expect(codeOf(held('answered'), take(boris))).toEqual({ code: 'not_allowed_in_state' });
    expect(codeOf(held('closed'), take(anna))).toEqual({ code: 'not_allowed_in_state' });
    const close: InquiryEvent = {
      type: 'close',
      cause: 'op:close',
      at: '2026-03-16T06:00:00.000Z',
      reason: 'решено',
      operatorId: anna.id,
      operatorName: anna.name,
    };
    // In progress, closed only once its answer did not reach the citizen.
    expect(codeOf(held(), close)).toEqual({ code: 'not_allowed_in_state' });
    expect(codeOf(held('routed'), close)).toEqual({ code: 'not_allowed_in_state' });
  });

  it('blames the status for a reject of an inquiry answered, closed, rejected, or whose answer did not reach the citizen', () => {
    const reject: InquiryEvent = {
      type: 'reject',
      cause: 'op:reject',
      at: '2026-03-16T06:00:00.000Z',
      reason: 'спам',
      operatorId: boris.id,
      operatorName: boris.name,
      department: 'triage',
    };
    for (const status of ['answered', 'closed', 'rejected'] as const)
      expect(codeOf(held(status), reject), status).toEqual({ code: 'not_allowed_in_state' });
    const unreached: Inquiry = {
      ...held(),
      undelivered: {
        outboxId: 'o1',
        purpose: 'answer',
        reason: 'VK refused',
        at: '2026-03-16T05:00:00.000Z',
      },
    };
    expect(codeOf(unreached, reject)).toEqual({ code: 'not_allowed_in_state' });
  });
});
