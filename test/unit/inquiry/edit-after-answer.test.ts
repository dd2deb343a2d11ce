import { describe, expect, it } from 'vitest';
import { recordingMetrics } from '../../../lambdas/adapters/metrics.js';
import {
  addsSubstance,
  answerCovered,
  editAfterAnswer,
  wordsAdded,
} from '../../../lambdas/domain/inquiry/edit-after-answer.js';
import { countEffects } from '../../../lambdas/domain/inquiry/effect-counts.js';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  type InquiryEvent,
  type TransitionContext,
} from '../../../lambdas/domain/inquiry/state-machine.js';
import { routedInquiry } from '../../support/routed-inquiry.js';
import { perm } from '../sla/calendars.js';

const context: TransitionContext = {
  calendar: perm,
  warnAtFraction: 0.8,
  now: new Date('2026-03-16T07:00:00Z'),
};
const threading = { reopenClosedWithinHours: 72 };

/** Opened at 04:00 UTC, answered at 06:00 UTC on Mon 16 March 2026. */
const answered = (more: Partial<Inquiry> = {}): Inquiry =>
  routedInquiry({ status: 'answered', clock: undefined, answeredAt: '2026-03-16T06:00:00.000Z', ...more });

const edit = (fields: Partial<Extract<InquiryEvent, { type: 'message_changed' }>> = {}): InquiryEvent => ({
  type: 'message_changed',
  cause: 'e:edit',
  at: '2026-03-16T06:30:00.000Z',
  messageRef: 'dm:5:1',
  change: 'edited',
  text: 'Не вывозят мусор. И в подъезде третий день нет света',
  previousText: 'Не вывозят мусор',
  opening: true,
  ...fields,
});

describe('what an edit adds', () => {
  it('counts the words the new text has that the old lacked, as the classifier reads them', () => {
    expect(wordsAdded('Не вывозят мусар у дома 5', 'Не вывозят мусор у дома 5')).toEqual(['мусор']);
    expect(wordsAdded('Не вывозят мусор', 'НЕ ВЫВОЗЯТ мусор, мусор!')).toEqual(['мусор']);
    expect(wordsAdded('Не вывозят мусор', 'Не вывозят мусор. И в подъезде нет света')).toEqual([
      'и',
      'в',
      'подъезде',
      'нет',
      'света',
    ]);
  });

  it('takes a matter added for substance, and a typo fixed or a reaction added for none', () => {
    expect(addsSubstance('Не вывозят мусор', 'Не вывозят мусор. И в подъезде нет света')).toBe(true);
    expect(addsSubstance('Не вывозят мусар у дома 5', 'Не вывозят мусор у дома 7')).toBe(false);
    // Three words added are a matter; two, a fix.
    expect(addsSubstance('Не вывозят мусор', 'Не вывозят мусор. Подъезд без света')).toBe(true);
    expect(addsSubstance('Не вывозят мусор', 'Не вывозят мусор. Подъезд обесточен')).toBe(false);
    expect(addsSubstance('Не вывозят мусор', 'Не вывозят мусор. Спасибо вам большое!')).toBe(false);
    expect(addsSubstance('Не вывозят мусор', 'Не вывозят мусор 👍👍👍')).toBe(false);
    expect(addsSubstance(undefined, 'Не вывозят мусор. И в подъезде нет света')).toBe(false);
  });
});

describe('an edit after the answer', () => {
  it('is covered by an answer given after the message reached the inquiry and before the edit', () => {
    const inquiry = answered();
    expect(answerCovered(inquiry, '2026-03-16T04:00:00.000Z', '2026-03-16T06:30:00.000Z')).toBe(true);
    expect(answerCovered(inquiry, '2026-03-16T06:10:00.000Z', '2026-03-16T06:30:00.000Z')).toBe(false);
    expect(answerCovered(inquiry, '2026-03-16T04:00:00.000Z', '2026-03-16T05:30:00.000Z')).toBe(false);
    // Reopened since: the earlier cycle's answer still covered the opening words.
    const reopened = routedInquiry({
      status: 'reopened',
      earlierCycles: [{ status: 'answered', answeredAt: '2026-03-16T06:00:00.000Z' }],
    });
    expect(answerCovered(reopened, '2026-03-16T04:00:00.000Z', '2026-03-16T06:30:00.000Z')).toBe(true);
    expect(answerCovered(routedInquiry(), '2026-03-16T04:00:00.000Z', '2026-03-16T06:30:00.000Z')).toBe(
      false,
    );
  });

  it('reopens within the window when it adds substance; else, or later, or while open again, it is recorded', () => {
    const edited = { reachedAt: '2026-03-16T04:00:00.000Z', at: '2026-03-16T06:30:00.000Z' };
    const matter = { before: 'Не вывозят мусор', after: 'Не вывозят мусор. И в подъезде нет света' };
    expect(editAfterAnswer(answered(), { ...edited, ...matter }, threading)).toBe('reopens');
    const typo = { before: 'Не вывозят мусар', after: 'Не вывозят мусор' };
    expect(editAfterAnswer(answered(), { ...edited, ...typo }, threading)).toBe('recorded');
    const late = { ...edited, at: '2026-03-20T06:30:00.000Z', ...matter };
    expect(editAfterAnswer(answered(), late, threading)).toBe('recorded');
    const closed = answered({ status: 'closed', closedAt: '2026-03-16T06:10:00.000Z' });
    expect(editAfterAnswer(closed, { ...edited, ...matter }, threading)).toBe('reopens');
    const reopened = routedInquiry({
      status: 'reopened',
      earlierCycles: [{ status: 'answered', answeredAt: '2026-03-16T06:00:00.000Z' }],
    });
    expect(editAfterAnswer(reopened, { ...edited, ...matter }, threading)).toBe('recorded');
    expect(editAfterAnswer(routedInquiry(), { ...edited, ...matter }, threading)).toBeUndefined();
  });

  it('is covered by an answer that sits in the dead letters, and reopens only once it is delivered: the citizen may yet get it', () => {
    // The answer failed every try: back in work, flagged, `answeredAt` cleared until it is delivered.
    const flagged = routedInquiry({
      status: 'in_progress',
      clock: undefined,
      undelivered: {
        outboxId: 'i1:answer:op:2',
        purpose: 'answer',
        reason: 'VK error 10: Internal server error (after 5 tries): kept in the dead-letter queue',
        at: '2026-03-16T06:05:00.000Z',
      },
    });
    const edited = { reachedAt: '2026-03-16T04:00:00.000Z', at: '2026-03-16T06:30:00.000Z' };
    const matter = { before: 'Не вывозят мусор', after: 'Не вывозят мусор. И в подъезде нет света' };
    expect(answerCovered(flagged, edited.reachedAt, edited.at)).toBe(true);
    expect(editAfterAnswer(flagged, { ...edited, ...matter }, threading)).toBe('reopens_on_delivery');
    // A typo fixed, or a matter added past the window of the answer's last try: recorded, as after an answer.
    const typo = { before: 'Не вывозят мусар', after: 'Не вывозят мусор' };
    expect(editAfterAnswer(flagged, { ...edited, ...typo }, threading)).toBe('recorded');
    const late = { ...edited, at: '2026-03-20T06:30:00.000Z', ...matter };
    expect(editAfterAnswer(flagged, late, threading)).toBe('recorded');
    // Words that failed to reach the citizen as an intermediate answer answered nothing.
    const intermediate = routedInquiry({
      status: 'in_progress',
      undelivered: {
        ...(flagged.undelivered as NonNullable<Inquiry['undelivered']>),
        purpose: 'intermediate_answer',
      },
    });
    expect(answerCovered(intermediate, edited.reachedAt, edited.at)).toBe(false);
  });

  it('reopens the inquiry from an edit made while the answer waited in the dead letters, once that answer is delivered', () => {
    const apply = (inquiry: Inquiry, event: InquiryEvent, now: string) => {
      const result = applyEvent(inquiry, event, { ...context, now: new Date(now) });
      if (result.outcome !== 'changed') throw new Error(JSON.stringify(result));
      return result;
    };
    const flagged = routedInquiry({
      status: 'in_progress',
      clock: undefined,
      undelivered: {
        outboxId: 'i1:answer:op:2',
        purpose: 'answer',
        reason: 'VK error 10: Internal server error, on every try: kept in the dead-letter queue',
        at: '2026-03-16T06:05:00.000Z',
      },
    });
    const edited = apply(flagged, edit({ afterAnswer: 'reopens_on_delivery' }), '2026-03-16T06:30:00.000Z');
    expect(edited.inquiry).toMatchObject({
      status: 'in_progress',
      editedAfterAnswerAt: '2026-03-16T06:30:00.000Z',
      unseenFollowUp: { outboxId: 'i1:answer:op:2', at: '2026-03-16T06:30:00.000Z' },
    });
    expect(edited.history[0]?.detail).toMatchObject({ afterAnswer: 'recorded' });
    const delivered = apply(
      edited.inquiry,
      {
        type: 'delivered_late',
        cause: 'delivered-late:i1:answer:op:2',
        at: '2026-03-16T08:00:00.000Z',
        outboxId: 'i1:answer:op:2',
        purpose: 'answer',
      },
      '2026-03-16T08:00:00.000Z',
    );
    expect(delivered.inquiry).toMatchObject({
      status: 'reopened',
      reopenCount: 1,
      clock: { kind: 'first_response', cycle: 2, startedAt: '2026-03-16T06:30:00.000Z' },
    });
    expect(delivered.inquiry.earlierCycles?.at(-1)).toMatchObject({ answeredAt: '2026-03-16T08:00:00.000Z' });
  });

  it('reopens the inquiry as a follow-up would: a new first-response clock, its history saying so', () => {
    const result = applyEvent(answered(), edit({ afterAnswer: 'reopens' }), context);
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      status: 'reopened',
      reopenCount: 1,
      reopenCause: 'e:edit',
      text: 'Не вывозят мусор. И в подъезде третий день нет света',
      editedAfterAnswerAt: '2026-03-16T06:30:00.000Z',
      clock: { kind: 'first_response', cycle: 2, startedAt: '2026-03-16T06:30:00.000Z' },
      firstResponseStartedAt: '2026-03-16T06:30:00.000Z',
    });
    expect(result.inquiry.firstResponsePromisedBy).toBe(result.inquiry.firstResponseDueAt);
    expect(result.inquiry.answeredAt).toBeUndefined();
    expect(result.inquiry.earlierCycles).toMatchObject([{ answeredAt: '2026-03-16T06:00:00.000Z' }]);
    expect(result.history).toMatchObject([
      {
        kind: 'message_changed',
        from: 'answered',
        to: 'reopened',
        reason: expect.stringContaining('reopened by the edit'),
        detail: { change: 'edited', afterAnswer: 'reopened', previousText: 'Не вывозят мусор' },
      },
    ]);
    const metrics = recordingMetrics();
    countEffects(metrics, result.effects, result.inquiry);
    expect(metrics.counts).toEqual([{ name: 'InquiriesReopened', dimensions: { department: 'housing' } }]);
  });

  it('only records one that adds nothing: the inquiry stays answered, its text said to be edited after it', () => {
    const result = applyEvent(
      answered(),
      edit({ afterAnswer: 'recorded', text: 'Не вывозят мусор!' }),
      context,
    );
    if (result.outcome !== 'changed') throw new Error(result.outcome);
    expect(result.inquiry).toMatchObject({
      status: 'answered',
      reopenCount: 0,
      text: 'Не вывозят мусор!',
      editedAfterAnswerAt: '2026-03-16T06:30:00.000Z',
    });
    expect(result.inquiry.reopenCause).toBeUndefined();
    expect(result.effects).toEqual([]);
    expect(result.history).toMatchObject([
      {
        kind: 'message_changed',
        detail: { afterAnswer: 'recorded' },
        reason: expect.stringContaining('after the answer'),
      },
    ]);
    expect(result.history[0]?.to).toBeUndefined();
    // A follow-up's edit changes no text of the inquiry's, nor says so of it.
    const followUp = applyEvent(answered(), edit({ afterAnswer: 'recorded', opening: false }), context);
    if (followUp.outcome !== 'changed') throw new Error(followUp.outcome);
    expect(followUp.inquiry.text).toBe('Не вывозят мусор');
    expect(followUp.inquiry.editedAfterAnswerAt).toBeUndefined();
  });
});
