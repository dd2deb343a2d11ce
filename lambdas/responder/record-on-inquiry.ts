/**
 * What becomes of an operator's words, recorded on their inquiry: refused for good or left in the dead-letter
 * queue (delivery_failed, which puts the inquiry back in the department's open work, flagged), or delivered
 * after all (delivered_late, which clears the flag). The delivery itself is deliver-message.ts's; the rule
 * behind each is the state machine's (lambdas/domain/inquiry/transitions/delivery.ts). What a saved change did
 * to the inquiry is counted, and its deadline checked against the calendar, as the router and the operator
 * API count and check theirs.
 */
import { changeInquiryWithRetries } from '../application/inquiry-writes.js';
import { communityOf } from '../domain/config/community-of.js';
import type { AppConfig } from '../domain/config/schema.js';
import { type CalendarCheckOutput, checkDeadlineCalendar } from '../domain/inquiry/calendar-check.js';
import { countEffects } from '../domain/inquiry/effect-counts.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import {
  applyEvent,
  type ClockContext,
  type DeliveryFailure,
  deliveredLateCause,
  deliveryFailedCause,
  type LateDelivery,
  refusedOnReplayCause,
  type TransitionContext,
  type TransitionResult,
} from '../domain/inquiry/state-machine.js';
import type { DeliveryOutcome } from '../domain/outbox/delivery-outcome.js';
import {
  DROPPED_FROM_DEAD_LETTERS,
  droppedFromDeadLettersCause,
} from '../domain/outbox/dropped-dead-letter.js';
import type { OutboxMessage } from '../domain/outbox/outbox-message.js';
import type { Clock, InquiryRepository, ProductMetrics } from '../domain/ports.js';
import { limitHint, tokenErrorHint } from '../domain/vk-api/errors.js';

/** Reads and writes of the inquiry before a writer that keeps losing the race gives up (to the queue). */
const MAX_ATTEMPTS = 5;

/** What recording on the inquiry came to; `absent`: the inquiry is gone, deleted since. */
type Recorded = TransitionResult['outcome'] | 'absent';

/** What the limit of VK's behind a refusal means, if it was one: the operator may reach the citizen another way. */
const limitNote = (code: number): string => {
  const hint = limitHint(code);
  return hint ? ` (${hint})` : '';
};

/**
 * Why a message given back on its last receive did not go, for the operator who must now reach the citizen
 * another way: VK's error (and what a limit of VK's means), and that it waits in the dead-letter queue (ops
 * may send it from there).
 */
export const deadLetterReason = (outcome: DeliveryOutcome | { kind: 'busy' | 'claimed' }): string => {
  const why =
    outcome.kind === 'token'
      ? `VK refused the community's ${outcome.token} token (VK error ${outcome.code}: ${outcome.reason}; ${tokenErrorHint(outcome.code)})`
      : outcome.kind === 'retry' && outcome.code !== 0
        ? `VK error ${outcome.code}: ${outcome.reason}${limitNote(outcome.code)}`
        : 'reason' in outcome
          ? outcome.reason
          : `the rate limit of the VK token had no slot (${outcome.kind})`;
  return `${why}, on every try: kept in the dead-letter queue`;
};

/**
 * Why a message whose last receive failed on an error of ours did not go: the error's name only (its message
 * may quote the item, and so the words), and that it waits in the dead-letter queue.
 */
export const deadLetterErrorReason = (error: unknown): string =>
  `an error of ours (${error instanceof Error ? error.name : 'not an Error'}) on the last try: kept in the dead-letter queue`;

export function createInquiryRecording(deps: {
  config: AppConfig;
  inquiries: Pick<InquiryRepository, 'getInquiry' | 'update' | 'discardHistory'>;
  clock: Clock;
  /**
   * What a saved change did to the inquiry, counted as the router and the operator API count theirs (a
   * reopening, a first response: effect-counts.ts), and a deadline it set in a year the calendar does not
   * list (calendar-check.ts): words delivered late may reopen the inquiry, or give it its first response.
   */
  metrics?: ProductMetrics;
  /** Told of such a deadline; the fields hold ids and dates, never the citizen's words. */
  logWarning?: CalendarCheckOutput['logWarning'];
}) {
  /**
   * What the event is applied with: the time, and for words delivered late the community's calendar, as the
   * router and the operator API give it, for a follow-up the answer never saw to reopen the inquiry with a
   * clock (transitions/delivered-late.ts), which is then checked against that calendar's years. A refusal starts
   * no clock; nor can a community no longer configured.
   */
  const contextFor = (
    inquiry: Inquiry,
    event: DeliveryFailure | LateDelivery,
  ): ClockContext | TransitionContext => {
    const now = deps.clock.now();
    const community = event.type === 'delivered_late' ? communityOf(deps.config, inquiry.groupId) : undefined;
    if (!community) return { now };
    return { calendar: community.calendar, warnAtFraction: deps.config.sla.warnAtFraction, now };
  };

  const recordOnInquiry = (
    message: OutboxMessage,
    event: DeliveryFailure | LateDelivery,
    onlyIfFlagged = false,
  ): Promise<Recorded> =>
    changeInquiryWithRetries<Recorded>(
      deps.inquiries,
      message.inquiryId,
      (inquiry) => {
        if (!inquiry) return { done: () => 'absent' };
        if (onlyIfFlagged && inquiry.undelivered?.outboxId !== message.id) return { done: () => 'refused' };
        const context = contextFor(inquiry, event);
        const result = applyEvent(inquiry, event, context);
        if (result.outcome !== 'changed') return { done: () => result.outcome };
        const done = () => {
          // Counted once, by the delivery that saved the change: a repeat finds it a duplicate.
          countEffects(deps.metrics, result.effects, result.inquiry);
          if ('calendar' in context) checkDeadlineCalendar(result.inquiry, inquiry, context.calendar, deps);
          return 'changed' as const;
        };
        return { write: result.inquiry, history: result.history, done };
      },
      {
        maxAttempts: MAX_ATTEMPTS,
        // Another delivery of this message, handled at the same time, keys its entry by its own time: the flag's.
        // Only for the recording under the message's first cause: a refusal on replay, or a drop, leaves the
        // flag its time (transitions/delivery.ts) and keys its entry by its own.
        twinKeyedAt: async (inquiry) =>
          event.type === 'delivery_failed' &&
          event.cause === deliveryFailedCause(message.id) &&
          inquiry.undelivered?.outboxId === message.id
            ? inquiry.undelivered.at
            : undefined,
      },
    );

  return {
    /**
     * An operator's words VK refused for good, on the inquiry through the state machine: it goes back into the
     * department's open work, flagged (lambdas/domain/inquiry/transitions/delivery.ts says why). The cause
     * comes from the outbox id and the time from the ledger's record, so a redelivered message rewrites the
     * same entry and changes nothing twice. A write that lost the race re-reads and re-applies (the entries of
     * the lost attempts: changeInquiryWithRetries). `absent`: the inquiry is gone, deleted since; the caller
     * discards what else names the message (OutboxLedger.discard).
     */
    recordUndelivered(
      message: OutboxMessage,
      { at, reason }: { at: string; reason?: string },
      replayed = false,
    ) {
      const purpose = message.purpose;
      // Acknowledgements are the product's own words: the inquiry owes the citizen nothing for them.
      if (purpose !== 'answer' && purpose !== 'intermediate_answer') return Promise.resolve(undefined);
      return recordOnInquiry(message, {
        type: 'delivery_failed',
        // Refused for good once replayed from the dead letters: a cause of its own, for VK's reason to replace
        // the flag's "kept in the dead-letter queue" (the dead-letter recording was under the first).
        cause: replayed ? refusedOnReplayCause(message.id) : deliveryFailedCause(message.id),
        at,
        outboxId: message.id,
        purpose,
        reason: reason ?? 'cannot be delivered',
        requestedAt: message.requestedAt,
      });
    },

    /**
     * Words ops dropped from the dead-letter queue (dlq:replay --drop), if the inquiry is still flagged for
     * them: the flag stays, the department owing the citizen still, its reason saying they are given up, not
     * kept to be replayed. Under a cause of its own, as a refusal on replay is: a second drop of the same
     * letter (its delete failed the first time) changes nothing. `refused`: the inquiry is not flagged for them (the
     * department dealt with them).
     */
    recordDropped(message: OutboxMessage, at: string) {
      const purpose = message.purpose;
      if (purpose !== 'answer' && purpose !== 'intermediate_answer') return Promise.resolve(undefined);
      return recordOnInquiry(
        message,
        {
          type: 'delivery_failed',
          cause: droppedFromDeadLettersCause(message.id),
          at,
          outboxId: message.id,
          purpose,
          reason: DROPPED_FROM_DEAD_LETTERS,
          requestedAt: message.requestedAt,
        },
        true,
      );
    },

    /**
     * Words the inquiry is flagged for, recorded undelivered when they went to the dead-letter queue, delivered
     * after all (replayed from there): the department no longer owes them (transitions/delivered-late.ts).
     */
    recordDeliveredLate(message: OutboxMessage, at: string) {
      const purpose = message.purpose;
      if (purpose !== 'answer' && purpose !== 'intermediate_answer') return Promise.resolve(undefined);
      return recordOnInquiry(message, {
        type: 'delivered_late',
        cause: deliveredLateCause(message.id),
        at,
        outboxId: message.id,
        purpose,
      });
    },
  };
}
