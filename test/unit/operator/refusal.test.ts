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
    // Its holder's own rejection: refused on its status alone.
    expect(codeOf(unreached, { ...reject, operatorId: anna.id, operatorName: anna.name })).toEqual({
      code: 'not_allowed_in_state',
    });
    // A colleague is told whose it is first; forced, the status refuses it all the same.
    expect(codeOf(unreached, reject)).toEqual({ code: 'taken_by_other', holder: anna });
    expect(codeOf(unreached, { ...reject, force: true })).toEqual({ code: 'not_allowed_in_state' });
  });
});

describe('a change that ends, or gives back, the work of the operator who holds the inquiry', () => {
  const at = '2026-03-16T06:00:00.000Z';
  const by = (who: { id: string; name: string }) => ({ operatorId: who.id, operatorName: who.name });
  const close = (who: { id: string; name: string }, force?: true): InquiryEvent => ({
    type: 'close',
    cause: `op:close-${who.id}`,
    at,
    reason: 'решено по телефону',
    ...by(who),
    ...(force && { force }),
  });
  const reject = (who: { id: string; name: string }, force?: true): InquiryEvent => ({
    type: 'reject',
    cause: `op:reject-${who.id}`,
    at,
    reason: 'спам',
    ...by(who),
    department: 'triage',
    ...(force && { force }),
  });
  const reopen = (who: { id: string; name: string }, force?: true): InquiryEvent => ({
    type: 'reopen',
    cause: `op:reopen-${who.id}`,
    at,
    reason: 'житель пишет, что не вывезли',
    ...by(who),
    ...(force && { force }),
  });
  const move = (
    who: { id: string; name: string },
    to: Partial<Extract<InquiryEvent, { type: 'move' }>>,
  ): InquiryEvent => ({ type: 'move', cause: `op:move-${who.id}`, at, reason: 'не наше', ...by(who), ...to });
  const applied = (inquiry: Inquiry, event: InquiryEvent) => {
    const result = applyEvent(inquiry, event, context);
    if (result.outcome !== 'changed') throw new Error(`refused: ${JSON.stringify(result)}`);
    return result;
  };

  it('is refused to a colleague, naming the holder, unless made on purpose: closed, reopened, rejected, moved away', () => {
    expect(codeOf(held('answered'), close(boris))).toEqual({ code: 'taken_by_other', holder: anna });
    expect(codeOf(held('answered'), reopen(boris))).toEqual({ code: 'taken_by_other', holder: anna });
    expect(codeOf(held('closed'), reopen(boris))).toEqual({ code: 'taken_by_other', holder: anna });
    // Not one its status allows: forced, or by its holder, the status is to blame.
    expect(codeOf(held(), reopen(boris, true))).toEqual({ code: 'not_allowed_in_state' });
    expect(codeOf(held(), reopen(anna))).toEqual({ code: 'not_allowed_in_state' });
    expect(codeOf(held(), reject(boris))).toEqual({ code: 'taken_by_other', holder: anna });
    expect(codeOf(held('reopened'), reject(boris))).toEqual({ code: 'taken_by_other', holder: anna });
    expect(codeOf(held(), move(boris, { department: 'roads' }))).toEqual({
      code: 'taken_by_other',
      holder: anna,
    });
    expect(applyEvent(held(), move(boris, { department: 'roads' }), context)).toMatchObject({
      outcome: 'refused',
      reason: `the inquiry is taken by ${anna.name}: move it with force to do so all the same`,
    });
    // The holder does all of them without force.
    expect(applied(held('answered'), close(anna)).inquiry.status).toBe('closed');
    expect(applied(held('closed'), reopen(anna)).inquiry.status).toBe('reopened');
    expect(applied(held(), reject(anna)).inquiry.status).toBe('rejected');
    expect(applied(held(), move(anna, { department: 'roads' })).inquiry.department).toBe('roads');
  });

  it('leaves a category or priority set by a colleague unguarded: the inquiry stays its holder’s', () => {
    const raised = applied(
      held(),
      move(boris, {
        priority: 'critical',
        terms: { firstResponseHours: 1, resolutionHours: 8, clock: 'round_the_clock' },
      }),
    );
    expect(raised.inquiry).toMatchObject({ priority: 'critical', assignee: anna });
    // Its own department named beside them moves it nowhere.
    const kept = applied(held(), move(boris, { department: 'housing', category: 'roads' }));
    expect(kept.inquiry).toMatchObject({ department: 'housing', category: 'roads', assignee: anna });
  });

  it('records whose it was when made on purpose; a forced close or reopening makes it the closer’s or reopener’s', () => {
    const closed = applied(held('answered'), close(boris, true));
    expect(closed.inquiry).toMatchObject({ status: 'closed', assignee: boris, assignedAt: at });
    expect(closed.history[0]).toMatchObject({
      kind: 'status',
      actorId: boris.id,
      detail: { assignee: boris, fromAssignee: anna },
    });
    const reopened = applied(held('answered'), reopen(boris, true));
    expect(reopened.inquiry).toMatchObject({ status: 'reopened', assignee: boris, assignedAt: at });
    expect(reopened.history[0]).toMatchObject({
      kind: 'status',
      actorId: boris.id,
      detail: { assignee: boris, fromAssignee: anna },
    });
    const rejected = applied(held(), reject(boris, true));
    expect(rejected.inquiry.assignee).toBeUndefined();
    expect(rejected.history[0]).toMatchObject({ kind: 'rejected', detail: { fromAssignee: anna } });
    const moved = applied(held(), move(boris, { department: 'roads', force: true }));
    expect(moved.inquiry).toMatchObject({ department: 'roads' });
    expect(moved.inquiry.assignee).toBeUndefined();
    expect(moved.history[0]).toMatchObject({ kind: 'moved', detail: { fromAssignee: anna } });
    // Closed by its holder, nothing is said of anyone's hold.
    expect(applied(held('answered'), close(anna, true)).history[0]?.detail).toEqual({});
  });

  it('names who holds an inquiry a colleague who is no admin releases; lets its holder and an admin release it', () => {
    const release = (who: { id: string; name: string }, admin?: true) => ({
      type: 'release' as const,
      cause: `op:release-${who.id}`,
      at: '2026-03-16T06:00:00.000Z',
      reason: 'переведена в другой отдел',
      operatorId: who.id,
      operatorName: who.name,
      ...(admin && { admin }),
    });
    expect(codeOf(held(), release(boris))).toEqual({ code: 'taken_by_other', holder: anna });
    expect(codeOf(held('answered'), release(boris))).toEqual({ code: 'taken_by_other', holder: anna });
    for (const [status, event] of [
      ['in_progress', release(anna)],
      ['reopened', release(boris, true)],
      ['closed', release(boris, true)],
    ] as const) {
      const result = applyEvent(held(status), event, context);
      if (result.outcome !== 'changed') throw new Error(`${status}: ${result.outcome}`);
      expect(result.inquiry).toMatchObject({ status, assignee: undefined, assignedAt: undefined });
      expect(result.history).toEqual([
        expect.objectContaining({
          kind: 'status',
          actorId: event.operatorId,
          reason: 'переведена в другой отдел',
          detail: { fromAssignee: anna },
        }),
      ]);
    }
  });
});
