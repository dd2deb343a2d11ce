/**
 * The operators' words of a cycle that has ended (answered, closed), refused by VK or delivered from the dead
 * letters once the citizen's newer message started the next: they say nothing to that message, and the
 * outcome of the cycle since (its first response owed, its closing) stands. docs/answering-citizens.md, "An
 * answer that does not reach the citizen".
 */
import { describe, expect, it } from 'vitest';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  type DeliveryFailure,
  deliveredLateCause,
  deliveryFailedCause,
  type InquiryEvent,
  type LateDelivery,
  refusedOnReplayCause,
  type TransitionContext,
} from '../../../lambdas/domain/inquiry/state-machine.js';
import { routedInquiry } from '../../support/routed-inquiry.js';
import { perm } from '../sla/calendars.js';
import { directMessage, housingAt } from './dialogue-fixtures.js';

/** Applied when it happened, with Perm's calendar. */
const context = (now: string): TransitionContext => ({
  calendar: perm,
  warnAtFraction: 0.8,
  now: new Date(now),
});
const whenOf = (event: InquiryEvent) =>
  'receivedAt' in event ? event.receivedAt : 'at' in event ? event.at : event.now;

function apply(inquiry: Inquiry, event: InquiryEvent) {
  const result = applyEvent(inquiry, event, context(whenOf(event)));
  if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
  return result;
}
const applyAll = (inquiry: Inquiry, events: InquiryEvent[]) =>
  events.reduce((current, event) => apply(current, event).inquiry, inquiry);

const operator = { operatorId: 'operator-sub', operatorName: 'Анна Иванова' };
const intermediateAnswer = (cause: string, at: string): InquiryEvent => ({
  type: 'intermediate_answer',
  cause,
  at,
  text: 'Работаем',
  via: 'console',
  ...operator,
});
const finalAnswer = (cause: string, at: string): InquiryEvent => ({
  type: 'final_answer',
  cause,
  at,
  text: 'Вывезли',
  via: 'console',
  ...operator,
});
const citizenWrites = (cause: string, at: string): InquiryEvent => ({
  type: 'citizen_message',
  cause,
  receivedAt: at,
  message: directMessage(cause, 'Опять не вывезли мусор во дворе', at),
  classification: housingAt('high'),
  terms: { firstResponseHours: 4, resolutionHours: 56 },
});
const close = (cause: string, at: string): InquiryEvent => ({
  type: 'close',
  cause,
  at,
  reason: 'дозвонились по телефону',
  ...operator,
});

type Purpose = 'answer' | 'intermediate_answer';
const outboxIdOf = (purpose: Purpose, cause: string) => `i1:${purpose}:${cause}`;
/** The words of `cause`, queued at `requestedAt`, failed their last try at `at`: kept in the dead letters. */
const failed = (purpose: Purpose, cause: string, at: string, requestedAt: string): DeliveryFailure => ({
  type: 'delivery_failed',
  cause: deliveryFailedCause(outboxIdOf(purpose, cause)),
  at,
  outboxId: outboxIdOf(purpose, cause),
  purpose,
  reason: 'VK error 10: Internal server error, on every try: kept in the dead-letter queue',
  requestedAt,
});
/** Those words, replayed from the dead letters at `at` and refused by VK for good. */
const refusedOnReplay = (
  purpose: Purpose,
  cause: string,
  at: string,
  requestedAt: string,
): DeliveryFailure => ({
  ...failed(purpose, cause, at, requestedAt),
  cause: refusedOnReplayCause(outboxIdOf(purpose, cause)),
  reason: "VK error 901: Can't send messages for users without permission",
});
/** Those words, replayed from the dead letters at `at`, reached the citizen. */
const deliveredLate = (purpose: Purpose, cause: string, at: string): LateDelivery => ({
  type: 'delivered_late',
  cause: deliveredLateCause(outboxIdOf(purpose, cause)),
  at,
  outboxId: outboxIdOf(purpose, cause),
  purpose,
});

/**
 * Routed on Monday 16 March 2026 at 09:00 in Perm (04:00 UTC); «we are working on it» at 10:00, the answer at
 * 10:10, and the citizen writes again at 10:20: reopened, its first response due by 14:20 (4 working hours).
 */
const reopenedAfterWorkingOnIt = () =>
  applyAll(routedInquiry({ status: 'in_progress' }), [
    intermediateAnswer('op:1', '2026-03-16T05:00:00.000Z'),
    finalAnswer('op:2', '2026-03-16T05:10:00.000Z'),
    citizenWrites('e:2', '2026-03-16T05:20:00.000Z'),
  ]);

describe('an intermediate answer written before the inquiry was answered, failing after it was reopened', () => {
  it('leaves the reopened inquiry unflagged, its first response still owed by its own clock; the answer responded to the ended cycle', () => {
    const reopened = reopenedAfterWorkingOnIt();
    expect(reopened).toMatchObject({ status: 'reopened', clock: { kind: 'first_response', cycle: 3 } });
    expect(reopened.earlierCycles?.at(-1)).toMatchObject({
      firstRespondedAt: '2026-03-16T05:00:00.000Z',
      firstResponseCause: 'op:1',
    });
    const result = apply(
      reopened,
      failed('intermediate_answer', 'op:1', '2026-03-16T05:30:00.000Z', '2026-03-16T05:00:00.000Z'),
    );
    expect(result.inquiry).toMatchObject({ status: 'reopened', clock: reopened.clock });
    expect(result.inquiry.undelivered).toBeUndefined();
    expect(result.inquiry.firstRespondedAt).toBeUndefined();
    // The words «we are working on it» never reached the citizen: the answer of 10:10 was the ended cycle's
    // first response.
    expect(result.inquiry.earlierCycles?.at(-1)).toMatchObject({
      firstRespondedAt: '2026-03-16T05:10:00.000Z',
      firstResponseLate: false,
      firstResponseCause: 'op:2',
      answeredAt: '2026-03-16T05:10:00.000Z',
      refused: 'intermediate_answer',
    });
    expect(result.history).toEqual([
      expect.objectContaining({
        kind: 'undelivered',
        actor: 'responder',
        reason: expect.stringMatching(
          /^the intermediate answer given before the inquiry was reopened did not reach the citizen: VK error 10/,
        ),
      }),
    ]);
    // Recorded once.
    expect(
      applyEvent(
        result.inquiry,
        failed('intermediate_answer', 'op:1', '2026-03-16T05:30:00.000Z', '2026-03-16T05:00:00.000Z'),
        { now: new Date('2026-03-16T05:30:00.000Z') },
      ).outcome,
    ).toBe('duplicate');
    // Replayed from the dead letters and delivered the next day: the inquiry is not flagged for it.
    expect(
      applyEvent(
        reopened,
        deliveredLate('intermediate_answer', 'op:1', '2026-03-17T06:00:00.000Z'),
        context('2026-03-17T06:00:00.000Z'),
      ),
    ).toMatchObject({ outcome: 'refused' });
    // Nor may it be closed on the strength of those words: the citizen's new message is unanswered.
    expect(
      applyEvent(
        reopened,
        close('op:close', '2026-03-17T07:00:00.000Z'),
        context('2026-03-17T07:00:00.000Z'),
      ),
    ).toMatchObject({
      outcome: 'refused',
    });
  });

  it('takes back the first response of a cycle closed without an answer, and leaves the reopened inquiry as it is', () => {
    const reopened = applyAll(routedInquiry({ status: 'in_progress' }), [
      intermediateAnswer('op:1', '2026-03-16T05:00:00.000Z'),
      close('op:close', '2026-03-16T05:30:00.000Z'),
      citizenWrites('e:2', '2026-03-16T06:00:00.000Z'),
    ]);
    const result = apply(
      reopened,
      failed('intermediate_answer', 'op:1', '2026-03-16T15:00:00.000Z', '2026-03-16T05:00:00.000Z'),
    );
    expect(result.inquiry).toMatchObject({ status: reopened.status, clock: reopened.clock });
    expect(result.inquiry.undelivered).toBeUndefined();
    const ended = result.inquiry.earlierCycles?.at(-1);
    expect(ended).toMatchObject({ status: 'closed', closedAt: '2026-03-16T05:30:00.000Z' });
    expect(ended?.refused).toBe('intermediate_answer');
    expect(ended?.firstRespondedAt).toBeUndefined();
    expect(ended?.firstResponseCause).toBeUndefined();
  });

  it('is refused when it was not the ended cycle’s first response', () => {
    const reopened = applyAll(routedInquiry({ status: 'in_progress' }), [
      intermediateAnswer('op:1', '2026-03-16T05:00:00.000Z'),
      intermediateAnswer('op:3', '2026-03-16T05:10:00.000Z'),
      close('op:close', '2026-03-16T05:30:00.000Z'),
      citizenWrites('e:2', '2026-03-16T06:00:00.000Z'),
    ]);
    expect(
      applyEvent(
        reopened,
        failed('intermediate_answer', 'op:3', '2026-03-16T15:00:00.000Z', '2026-03-16T05:10:00.000Z'),
        { now: new Date('2026-03-16T15:00:00.000Z') },
      ),
    ).toEqual({
      outcome: 'refused',
      reason:
        'an intermediate answer of an earlier cycle does not matter: the inquiry was closed or rejected after it',
    });
  });

  it('flagged by an earlier release and delivered late, gives the reopened cycle no first response', () => {
    // That release flagged the reopened inquiry for those words.
    const flagged: Inquiry = {
      ...reopenedAfterWorkingOnIt(),
      undelivered: {
        outboxId: outboxIdOf('intermediate_answer', 'op:1'),
        purpose: 'intermediate_answer',
        reason: 'VK error 10: Internal server error, on every try: kept in the dead-letter queue',
        at: '2026-03-16T05:30:00.000Z',
      },
    };
    const result = apply(flagged, deliveredLate('intermediate_answer', 'op:1', '2026-03-17T06:00:00.000Z'));
    expect(result.inquiry.undelivered).toBeUndefined();
    expect(result.inquiry).toMatchObject({ status: 'reopened', clock: flagged.clock });
    expect(result.inquiry.firstRespondedAt).toBeUndefined();
    expect(result.effects).toEqual([]);
    expect(
      applyEvent(
        result.inquiry,
        close('op:close', '2026-03-17T07:00:00.000Z'),
        context('2026-03-17T07:00:00.000Z'),
      ),
    ).toMatchObject({
      outcome: 'refused',
    });
  });
});

describe('words given after a follow-up the late answer never saw, refused once that answer reopened the inquiry', () => {
  it('take back the reopened cycle’s first response they gave, though written before its answer ended the last', () => {
    // The answer of 10:10 kept in the dead letters (its last try at 11:00); the citizen writes at 11:30 and
    // hears «we are on our way» at 11:45; the answer, replayed, reaches them at 13:00 and the follow-up reopens
    // the inquiry from 11:30, first responded to at 11:45.
    const reopened = applyAll(routedInquiry({ status: 'in_progress' }), [
      finalAnswer('op:2', '2026-03-16T05:10:00.000Z'),
      failed('answer', 'op:2', '2026-03-16T06:00:00.000Z', '2026-03-16T05:10:00.000Z'),
      citizenWrites('e:2', '2026-03-16T06:30:00.000Z'),
      intermediateAnswer('op:3', '2026-03-16T06:45:00.000Z'),
      deliveredLate('answer', 'op:2', '2026-03-16T08:00:00.000Z'),
    ]);
    expect(reopened).toMatchObject({ status: 'in_progress', firstResponseCause: 'op:3' });
    const refused = apply(
      reopened,
      failed('intermediate_answer', 'op:3', '2026-03-16T09:00:00.000Z', '2026-03-16T06:45:00.000Z'),
    ).inquiry;
    expect(refused).toMatchObject({
      firstRespondedAt: undefined,
      undelivered: { outboxId: outboxIdOf('intermediate_answer', 'op:3') },
    });
    // Replayed and delivered: the first response is given again.
    expect(
      apply(refused, deliveredLate('intermediate_answer', 'op:3', '2026-03-16T09:30:00.000Z')).inquiry,
    ).toMatchObject({
      firstRespondedAt: '2026-03-16T09:30:00.000Z',
    });
  });
});

/** Answered at 10:00, the citizen writes at 10:05 (reopened), and VK's refusal of the answer comes at 10:30. */
const answerRefusedAfterReopening = () =>
  applyAll(routedInquiry({ status: 'in_progress' }), [
    finalAnswer('op:2', '2026-03-16T05:00:00.000Z'),
    citizenWrites('e:2', '2026-03-16T05:05:00.000Z'),
    failed('answer', 'op:2', '2026-03-16T05:30:00.000Z', '2026-03-16T05:00:00.000Z'),
  ]);

describe('the answer of the ended cycle, refused again once the reopened inquiry was closed', () => {
  it('leaves it closed and unflagged: only the ended cycle is marked', () => {
    const refused = answerRefusedAfterReopening();
    expect(refused).toMatchObject({ status: 'reopened', undelivered: { outboxId: 'i1:answer:op:2' } });
    expect(refused.earlierCycles?.at(-1)).toMatchObject({ answerCause: 'op:2', refused: 'answer' });
    // Reached by phone at 14:00; the replay of the answer is refused at 14:00:01.
    const closed = apply(refused, close('op:close', '2026-03-16T09:00:00.000Z')).inquiry;
    const result = apply(
      closed,
      refusedOnReplay('answer', 'op:2', '2026-03-16T09:00:01.000Z', '2026-03-16T05:00:00.000Z'),
    );
    expect(result.inquiry).toMatchObject({
      status: 'closed',
      closedAt: '2026-03-16T09:00:00.000Z',
      finishedAt: closed.finishedAt,
      earlierCycles: closed.earlierCycles,
    });
    expect(result.inquiry.undelivered).toBeUndefined();
    expect(result.history).toEqual([
      expect.objectContaining({ kind: 'undelivered', actor: 'responder', detail: expect.anything() }),
    ]);
    expect(result.history[0]?.to).toBeUndefined();
    // The reopened cycle has no answer of its own: the cause of the ended one's is kept by that cycle alone.
    expect(refused.answerCause).toBeUndefined();
  });

  it('refuses an answer of a cycle before the last, while the cycle since has none of its own', () => {
    const again = applyAll(routedInquiry({ status: 'in_progress' }), [
      finalAnswer('op:2', '2026-03-16T05:00:00.000Z'),
      citizenWrites('e:2', '2026-03-16T05:05:00.000Z'),
      finalAnswer('op:5', '2026-03-16T06:00:00.000Z'),
      citizenWrites('e:3', '2026-03-16T06:05:00.000Z'),
    ]);
    expect(
      applyEvent(again, failed('answer', 'op:2', '2026-03-16T06:30:00.000Z', '2026-03-16T05:00:00.000Z'), {
        now: new Date('2026-03-16T06:30:00.000Z'),
      }),
    ).toMatchObject({ outcome: 'refused' });
  });

  it('of an inquiry reopened under 13d2507, which left the answer’s cause on the inquiry, is found all the same', () => {
    // As 13d2507 stored it: the ended cycle keeps no cause of its answer, the inquiry keeps it still.
    const reopened = applyAll(routedInquiry({ status: 'in_progress' }), [
      finalAnswer('op:2', '2026-03-16T05:00:00.000Z'),
      citizenWrites('e:2', '2026-03-16T05:05:00.000Z'),
    ]);
    const cycles = (reopened.earlierCycles ?? []).map(({ answerCause: _, endedAt: __, ...kept }) => kept);
    const stored: Inquiry = { ...reopened, earlierCycles: cycles, answerCause: 'op:2' };
    const refused = apply(
      stored,
      failed('answer', 'op:2', '2026-03-16T05:30:00.000Z', '2026-03-16T05:00:01.000Z'),
    ).inquiry;
    expect(refused).toMatchObject({ status: 'reopened', undelivered: { outboxId: 'i1:answer:op:2' } });
    expect(refused.answerCause).toBeUndefined();
    expect(refused.earlierCycles?.at(-1)).toMatchObject({ answerCause: 'op:2', refused: 'answer' });
    const closed = apply(refused, close('op:close', '2026-03-16T09:00:00.000Z')).inquiry;
    expect(
      apply(closed, refusedOnReplay('answer', 'op:2', '2026-03-16T09:00:01.000Z', '2026-03-16T05:00:01.000Z'))
        .inquiry.status,
    ).toBe('closed');
  });
});
