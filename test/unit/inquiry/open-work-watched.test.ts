/**
 * A property of the state machine over sequences of events: an inquiry in open work, in a department with
 * terms, is always either watched by a clock (the escalator's, deadlineOf) or flagged for words that did not
 * reach the citizen (`undelivered`, listed with `undelivered=true`). Neither would leave it in the lists for
 * ever, never overdue, never escalated. The sequences mix the citizen's follow-ups, the operators' words and
 * actions, and the responder's refusals and late deliveries (words replayed from the dead letters).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Inquiry, isOpen } from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  deadlineOf,
  deliveredLateCause,
  deliveryFailedCause,
  type InquiryEvent,
  type TransitionContext,
} from '../../../lambdas/domain/inquiry/state-machine.js';
import type { Priority } from '../../../lambdas/domain/taxonomy.js';
import { routedInquiry } from '../../support/routed-inquiry.js';
import { perm } from '../sla/calendars.js';
import { directMessage } from './dialogue-fixtures.js';

type Step =
  | { kind: 'follow_up'; priority: Priority; inquiry: boolean }
  | { kind: 'take' | 'intermediate_answer' | 'final_answer' | 'close' | 'reopen' }
  | { kind: 'delivery_failed' | 'delivered_late'; words: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('follow_up' as const),
    priority: fc.constantFrom<Priority>('normal', 'high', 'critical'),
    inquiry: fc.boolean(),
  }),
  fc.record({
    kind: fc.constantFrom('take', 'intermediate_answer', 'final_answer', 'close', 'reopen' as const),
  }),
  fc.record({
    kind: fc.constantFrom('delivery_failed', 'delivered_late' as const),
    words: fc.nat(),
  }),
);

const TERMS: Record<Priority, { firstResponseHours: number; resolutionHours: number }> = {
  normal: { firstResponseHours: 9, resolutionHours: 120 },
  high: { firstResponseHours: 4, resolutionHours: 56 },
  critical: { firstResponseHours: 1, resolutionHours: 8 },
};

/** The operators' words given so far: what the responder may refuse, or deliver late. */
type Words = { purpose: 'answer' | 'intermediate_answer'; cause: string; at: string };

/** The event of step `n`, 20 minutes after the one before, from Monday 16 March 2026 09:20 in Perm. */
function eventOf(s: Step, n: number, words: Words[]): InquiryEvent | undefined {
  const at = new Date(Date.parse('2026-03-16T04:20:00.000Z') + n * 20 * 60_000).toISOString();
  const cause = `c${n}`;
  const operator = { operatorId: 9, via: 'console' as const };
  switch (s.kind) {
    case 'follow_up':
      return {
        type: 'citizen_message',
        cause,
        receivedAt: at,
        message: directMessage(cause, s.inquiry ? 'Всё ещё не вывезли!' : 'Спасибо', at),
        classification: {
          category: 'waste',
          priority: s.priority,
          confidence: 0.9,
          inquiry: s.inquiry,
          triage: false,
          model: 't',
        },
        terms: TERMS[s.priority],
      };
    case 'take':
      return { type: 'take', cause, at, operatorId: 'operator-sub', operatorName: 'Анна Иванова' };
    case 'intermediate_answer':
    case 'final_answer':
      words.push({ purpose: s.kind === 'final_answer' ? 'answer' : 'intermediate_answer', cause, at });
      return { type: s.kind, cause, at, text: '…', ...operator };
    case 'close':
      return { type: 'close', cause, at, reason: 'reached the citizen by phone' };
    case 'reopen':
      return { type: 'reopen', cause, at, reason: 'the answer missed the point', operatorId: 'operator-sub' };
    case 'delivery_failed':
    case 'delivered_late': {
      const given = words[s.words % Math.max(1, words.length)];
      if (!given) return undefined;
      const outboxId = `i1:${given.purpose}:${given.cause}`;
      return s.kind === 'delivery_failed'
        ? {
            type: 'delivery_failed',
            cause: deliveryFailedCause(outboxId),
            at,
            outboxId,
            purpose: given.purpose,
            reason: 'VK error 10: Internal server error, on every try: kept in the dead-letter queue',
            requestedAt: given.at,
          }
        : {
            type: 'delivered_late',
            cause: deliveredLateCause(outboxId),
            at,
            outboxId,
            purpose: given.purpose,
          };
    }
  }
}

/** Open work in a department that keeps deadlines: watched by a clock, or flagged. */
const watchedOrFlagged = (inquiry: Inquiry) =>
  !isOpen(inquiry.status) ||
  inquiry.terms === undefined ||
  deadlineOf(inquiry) !== undefined ||
  inquiry.undelivered !== undefined;

describe('an inquiry in open work', () => {
  it('is never left with neither a clock nor a flag, whatever the citizen, the operators and VK do', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 14 }), (steps) => {
        let inquiry = routedInquiry({ status: 'in_progress' });
        const words: Words[] = [];
        const trail: string[] = [];
        steps.forEach((s, n) => {
          const event = eventOf(s, n, words);
          if (!event) return;
          const now = new Date(
            'receivedAt' in event ? event.receivedAt : 'at' in event ? event.at : inquiry.updatedAt,
          );
          const context: TransitionContext = { calendar: perm, warnAtFraction: 0.8, now };
          const result = applyEvent(inquiry, event, context);
          if (result.outcome !== 'changed') return;
          inquiry = result.inquiry;
          trail.push(`${event.type}${'purpose' in event ? `(${event.purpose})` : ''} → ${inquiry.status}`);
          expect(watchedOrFlagged(inquiry), trail.join(', ')).toBe(true);
        });
      }),
      { numRuns: 3000 },
    );
  });
});
