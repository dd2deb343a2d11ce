/**
 * Delivering one outbox message to the citizen through the VK API: at most once (the ledger's claim and
 * record), within VK's rate limits, tried again while VK asks to, every attempt in the inquiry's history. What
 * it came to is recorded on the inquiry by record-on-inquiry.ts.
 */
import { communityOf } from '../domain/config/community-of.js';
import type { AppConfig } from '../domain/config/schema.js';
import type { TransitionResult } from '../domain/inquiry/state-machine.js';
import {
  type DeliveryOutcome,
  deliveryHistoryEntry,
  deliveryHistoryKey,
  type OutboxRecord,
} from '../domain/outbox/delivery-outcome.js';
import {
  type DeliveryPlan,
  planDelivery,
  QUOTE_REFUSALS,
  type TokenKind,
  type TokenState,
  type VkCallParams,
} from '../domain/outbox/delivery-plan.js';
import type { OutboxMessage } from '../domain/outbox/outbox-message.js';
import {
  type CommunityTokens,
  type OutboxLedger,
  type OutboxMetrics,
  RateLimitBusy,
  type VkCaller,
  type VkRateLimiter,
} from '../domain/outbox/ports.js';
import { outgoingMessage } from '../domain/outbox/send-time.js';
import type { Clock, InquiryRepository, ProductMetrics } from '../domain/ports.js';
import { handlingFor, undeliverableReason, VkApiError } from '../domain/vk-api/errors.js';
import { createInquiryRecording, deadLetterErrorReason, deadLetterReason } from './record-on-inquiry.js';

/** VK's limits per token: https://dev.vk.com/ru/api/api-requests (20/s for a community, 3/s for a user). */
export const CALLS_PER_SECOND: Record<TokenKind, number> = { community: 20, user: 3 };
/** Tries within one invocation before a busy VK gets the message back through the queue. */
const TRIES_IN_PROCESS = 3;
/** How long a message whose token VK refused is held before it is tried again (ops have been alerted). */
export const TOKEN_HOLD_SECONDS = 3600;
/** The longest backoff between two receives of a message VK keeps failing. */
export const BACKOFF_CAP_SECONDS = 1800;

/**
 * The rate limiter's line a call waits in: the token's, since VK counts calls per token, over every
 * community that uses it (https://dev.vk.com/ru/api/api-requests). A token is named by its SSM parameter in
 * the configuration, never by its value: communities configured with one admin's user token through one
 * parameter share one line, 3 calls a second in all. One without a parameter (none is sent then) keeps the
 * community's line.
 */
export const rateLimitLine = (groupId: number, kind: TokenKind, parameter: string | undefined): string =>
  parameter === undefined ? `${groupId}:${kind}` : `token:${parameter}`;

export interface DeliverMessageDeps {
  config: AppConfig;
  ledger: OutboxLedger;
  /** The inquiry a message is about: read to skip what came too late, written when an answer is refused. */
  inquiries: Pick<InquiryRepository, 'getInquiry' | 'update' | 'discardHistory'>;
  tokens: CommunityTokens;
  vk: VkCaller;
  limiter: VkRateLimiter;
  clock: Clock;
  metrics?: OutboxMetrics;
  /**
   * What words delivered late from the dead letters did to their inquiry (reopened it, gave it its first
   * response), counted as the router and the operator API count their changes; and a deadline that set in a
   * year the calendar does not list (record-on-inquiry.ts).
   */
  inquiryMetrics?: ProductMetrics;
  /** Told of such a deadline; the fields hold ids and dates, never the citizen's words. */
  logWarning?: (message: string, fields: Record<string, unknown>) => void;
  sleep?: (ms: number) => Promise<void>;
  /**
   * The receives of a message before SQS moves it to the dead-letter queue (the queue's maxReceiveCount,
   * lib/resources.ts): a message given back unsent on its last is recorded on its inquiry as not delivered.
   * Without it, none is.
   */
  maxReceiveCount?: number;
}

/**
 * What the handler does with the queue message: done (delete it), or give it back after a delay. `inquiry`:
 * what recording a refused answer on the inquiry came to. `inquiry_gone`: its inquiry was deleted (retention,
 * a citizen's erasure), before or while the message was handled: nothing of it is left in the table, whether
 * or not VK had the words by then, and the message is not tried again.
 */
export type DeliveryResult =
  | {
      done: true;
      outcome: DeliveryOutcome | { kind: 'duplicate' } | { kind: 'inquiry_gone' };
      inquiry?: TransitionResult['outcome'];
    }
  | {
      done: false;
      /** `claimed`: another responder is sending the same message (a copy SQS handed out twice) right now. */
      outcome: DeliveryOutcome | { kind: 'busy' } | { kind: 'claimed' };
      retryAfterSeconds: number;
      /**
       * Given back on its last receive: SQS keeps it in the dead-letter queue next. What recording that on
       * its inquiry came to (`changed` puts an operator's words in the department's list), if it was.
       */
      lastReceive?: { inquiry?: TransitionResult['outcome'] };
    };

/** Another delivery recorded the message first: it alone counts it and keeps its history entry. */
const DUPLICATE: DeliveryResult = { done: true, outcome: { kind: 'duplicate' } };

/** The message's inquiry was deleted: nothing of the message is left in the table. */
const GONE: DeliveryResult = { done: true, outcome: { kind: 'inquiry_gone' } };

/**
 * The backoff before SQS brings a busy message back: 10 s, 20 s, 40 s … 1280 s, then every 30 minutes. With
 * the outbox's maxReceiveCount (lib/resources.ts) a message rides out a VK outage of hours before it goes to
 * the dead-letter queue (the sum is pinned by test/unit/outbox/backoff.test.ts and stated in docs/answering-citizens.md).
 */
export const backoffSeconds = (receiveCount: number) =>
  Math.min(BACKOFF_CAP_SECONDS, 10 * 2 ** Math.max(0, receiveCount - 1));

export function createMessageDeliverer(deps: DeliverMessageDeps) {
  /**
   * Given back unsent on the queue's last receive: VK failing, the token refused, the rate limit busy. Not a
   * copy another responder holds (`claimed`): that one records what became of the message.
   */
  const isLastReceive = (result: Extract<DeliveryResult, { done: false }>, receiveCount: number) =>
    deps.maxReceiveCount !== undefined &&
    receiveCount >= deps.maxReceiveCount &&
    result.outcome.kind !== 'claimed';

  const sleep = deps.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));

  const callOnce = async (
    plan: Extract<DeliveryPlan, { kind: 'call' }>,
    params: VkCallParams,
    token: string,
    line: string,
  ): Promise<DeliveryOutcome> => {
    const { method, token: kind, refusedHere } = plan;
    await deps.limiter.acquire(line, CALLS_PER_SECOND[kind]);
    try {
      const response = await deps.vk(token, method, params);
      const vkId =
        typeof response === 'number'
          ? response
          : typeof (response as { comment_id?: unknown })?.comment_id === 'number'
            ? (response as { comment_id: number }).comment_id
            : undefined;
      return { kind: 'delivered', method, ...(vkId !== undefined && { vkId }) };
    } catch (error) {
      if (error instanceof VkApiError) {
        // This place refuses the reply (a suggested post not published): not the token, whatever the code.
        if (refusedHere?.codes.has(error.code))
          return {
            kind: 'undeliverable',
            method,
            code: error.code,
            reason: `VK error ${error.code}: ${error.vkMessage} (${refusedHere.meaning})`,
          };
        // Which token made the call decides some codes: 18 on a user token is the admin's account, not the citizen.
        const handling = handlingFor(error.code, kind);
        if (handling === 'retry') return { kind: 'retry', method, code: error.code, reason: error.vkMessage };
        if (handling === 'token')
          return { kind: 'token', method, code: error.code, reason: error.vkMessage, token: kind };
        // Undeliverable here (901, closed comments…) or a call VK will never accept: recorded, never retried.
        return {
          kind: 'undeliverable',
          method,
          code: error.code,
          reason: undeliverableReason(error.code, error.vkMessage),
        };
      }
      // No answer (network, timeout): VK may have sent it; the same random_id / guid makes a retry safe.
      return { kind: 'retry', method, code: 0, reason: `no answer from VK: ${(error as Error).name}` };
    }
  };

  const { recordUndelivered, recordDeliveredLate } = createInquiryRecording({
    config: deps.config,
    inquiries: deps.inquiries,
    clock: deps.clock,
    metrics: deps.inquiryMetrics,
    logWarning: deps.logWarning,
  });

  /**
   * One delivery of the message. `track.wrote` is told before each write that names the inquiry;
   * `track.recorded` records a refused answer on the inquiry (`replayed`: words flagged before, when they went
   * to the dead letters).
   */
  const handle = async (
    queued: OutboxMessage,
    receiveCount: number,
    track: {
      wrote: () => void;
      recorded: (
        record: OutboxRecord,
        replayed: boolean,
      ) => Promise<TransitionResult['outcome'] | 'absent' | undefined>;
      deliveredLate: (at: string) => Promise<TransitionResult['outcome'] | 'absent' | undefined>;
      /** What became of the words is known (VK took them, refused them, or they were not to go). */
      decided: (status: OutboxRecord['status']) => void;
    },
  ): Promise<DeliveryResult> => {
    /** The inquiry is flagged for these words: recorded undelivered when they went to the dead letters. */
    let flagged = false;
    /** When the flag was recorded, if the inquiry is flagged for these words. */
    let flaggedAt: string | undefined;
    /**
     * Whether a refusal recorded at `at` comes after the words were flagged by another recording: the one
     * when they went to the dead letters, these words replayed since. A refusal already on the inquiry (a
     * redelivery that finds its record) is the flag's own: same time.
     */
    const refusedOnReplay = (at: string) => flaggedAt !== undefined && flaggedAt !== at;
    /**
     * The message's final state, in the words it went (or would have gone) in: its history entry, its record,
     * its count, and on the inquiry if refused.
     */
    const finish = async (
      message: OutboxMessage,
      outcome: DeliveryOutcome,
      attempt: string,
      attempts: number,
    ): Promise<DeliveryResult> => {
      const at = deps.clock.now().toISOString();
      const undeliverable = outcome.kind === 'undeliverable';
      track.decided(
        outcome.kind === 'undeliverable' || outcome.kind === 'skipped' ? outcome.kind : 'delivered',
      );
      track.wrote();
      // The entry before the record: a responder that stops in between leaves the attempt in the history.
      const entry = deliveryHistoryEntry(message, outcome, attempt, at);
      await deps.ledger.appendHistory([entry]);
      const record: OutboxRecord = {
        id: message.id,
        inquiryId: message.inquiryId,
        status:
          outcome.kind === 'delivered'
            ? 'delivered'
            : outcome.kind === 'skipped'
              ? 'skipped'
              : 'undeliverable',
        at,
        attempts,
        attempt,
        ...(outcome.method !== undefined && { method: outcome.method }),
        ...(outcome.kind !== 'delivered' && { reason: outcome.reason }),
        ...(outcome.kind === 'delivered' && outcome.vkId !== undefined && { vkId: outcome.vkId }),
      };
      const earlier = await deps.ledger.putRecord(record);
      if (earlier) {
        // Another copy of the message, handled at the same time, recorded it first (a claim taken over from
        // a responder that was slow, not dead; or words sent without a VK call): it counts, and its entry is
        // the message's. Ours goes, unless it is the same entry.
        const kept = earlier.attempt && deliveryHistoryKey(message.id, earlier.attempt, earlier.at);
        if (kept !== entry.key) await deps.inquiries.discardHistory(message.inquiryId, [entry.key]);
        return DUPLICATE;
      }
      if (outcome.kind === 'skipped') return { done: true, outcome };
      // CloudWatch bills each set of dimension values as a metric of its own, in every hour it is written
      // (https://aws.amazon.com/cloudwatch/pricing/). Replies go out in most hours: counted by community too,
      // they would be four metrics a community, which nothing watches. A refused one is rare, and its
      // community tells ops where to look; and once more alone, the series its alarm watches.
      if (undeliverable) {
        deps.metrics?.count('MessagesUndeliverable', {
          community: String(message.groupId),
          purpose: message.purpose,
        });
        deps.metrics?.count('MessagesUndeliverable', {});
      } else deps.metrics?.count('MessagesDelivered', { purpose: message.purpose });
      const inquiry = undeliverable
        ? await track.recorded(record, refusedOnReplay(record.at))
        : flagged && outcome.kind === 'delivered'
          ? await track.deliveredLate(at)
          : undefined;
      if (inquiry === 'absent') return GONE;
      return { done: true, outcome, ...(inquiry && { inquiry }) };
    };

    // What the message's delivery depends on, read side by side (the adapters ask DynamoDB for both in one
    // call): the message's record, its inquiry (read consistently: the answer may be new). Not the citizen's
    // message_allow / message_deny: VK decides whether they take a direct message (delivery-plan.ts).
    const [known, inquiry] = await Promise.all([
      deps.ledger.getRecord(queued.id),
      deps.inquiries.getInquiry(queued.inquiryId),
    ]);
    // Every message is queued after its inquiry is stored, so one whose inquiry is absent was deleted since
    // (the retention sweep, a citizen's erasure; a dead letter replayed late): the citizen is told nothing.
    // What a try that stopped midway wrote after the deletion had read the inquiry's history goes now.
    if (!inquiry) {
      await deps.ledger.discard(queued);
      return GONE;
    }
    flagged = inquiry.undelivered?.outboxId === queued.id;
    flaggedAt = flagged ? inquiry.undelivered?.at : undefined;
    if (known) {
      track.decided(known.status);
      // The record is written before the inquiry: one that stopped in between is recorded on it now.
      const outcome =
        known.status === 'undeliverable'
          ? await track.recorded(known, refusedOnReplay(known.at))
          : known.status === 'delivered' && flagged
            ? await track.deliveredLate(known.at)
            : undefined;
      if (outcome === 'absent') return GONE;
      return { ...DUPLICATE, ...(outcome && { inquiry: outcome }) };
    }
    // The words as they go now, read against the inquiry: an acknowledgement whose time has passed without
    // it, words that came too late not at all.
    const outgoing = outgoingMessage(queued, inquiry, deps.config, deps.clock.now());
    if ('skip' in outgoing)
      return finish(
        outgoing.message,
        { kind: 'skipped', reason: outgoing.skip },
        `${receiveCount}.1`,
        receiveCount,
      );
    const message = outgoing.send;
    const community = communityOf(deps.config, message.groupId);
    // Queued before its community was taken out of the configuration (docs/runbook.md, "Removing a
    // community"): no token to send with, and ops should read why, not that one was never configured.
    if (!community)
      return finish(
        message,
        {
          kind: 'undeliverable',
          reason: `the inquiry's community ${message.groupId} is no longer configured`,
        },
        `${receiveCount}.1`,
        receiveCount,
      );
    const [communityToken, userToken] = await Promise.all([
      community.tokens?.community ? deps.tokens.tokenFor(message.groupId, 'community') : undefined,
      community.tokens?.user ? deps.tokens.tokenFor(message.groupId, 'user') : undefined,
    ]);
    const stateOf = (kind: TokenKind, token: string | undefined): TokenState =>
      community.tokens?.[kind] === undefined ? 'not_configured' : token === undefined ? 'no_value' : 'stored';
    const plan = planDelivery(message, {
      communityToken: stateOf('community', communityToken),
      userToken: stateOf('user', userToken),
    });

    if (plan.kind === 'undeliverable')
      return finish(
        message,
        { kind: 'undeliverable', reason: plan.reason },
        `${receiveCount}.1`,
        receiveCount,
      );
    const token = (plan.token === 'community' ? communityToken : userToken) as string;
    const line = rateLimitLine(message.groupId, plan.token, community.tokens?.[plan.token]?.parameter);

    // One responder at a time calls VK for a message: SQS may hand a copy of it to another responder at the
    // same time (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues-at-least-once-delivery.html).
    // Claimed before a slot of the rate limit is booked: a copy given back books none. It comes back once
    // the claim would have run out: recorded by then (a duplicate), or its holder crashed (taken over).
    const claim = await deps.ledger.claim(message);
    if (claim.kind === 'recorded') return DUPLICATE;
    if (claim.kind === 'held')
      return {
        done: false,
        outcome: { kind: 'claimed' },
        retryAfterSeconds: Math.ceil(claim.heldForMs / 1000),
      };
    // The claim names the message, as its record will.
    track.wrote();
    try {
      const result = await send(message, plan, { token, line, receiveCount }, track.wrote, finish);
      // Given back unsent: the next receive, of this copy or another, claims it again at once.
      if (!result.done) await deps.ledger.release(message.id, claim.claimId);
      return result;
    } catch (error) {
      // Comes back after the visibility timeout, when the claim has run out anyway; released, sooner locally.
      await deps.ledger.release(message.id, claim.claimId).catch(() => undefined);
      throw error;
    }
  };

  /** The VK calls of one receive of a claimed message, tried again in process while VK asks to. */
  const send = async (
    message: OutboxMessage,
    plan: Extract<DeliveryPlan, { kind: 'call' }>,
    { token, line, receiveCount }: { token: string; line: string; receiveCount: number },
    wrote: () => void,
    finish: (
      message: OutboxMessage,
      outcome: DeliveryOutcome,
      attempt: string,
      attempts: number,
    ) => Promise<DeliveryResult>,
  ): Promise<DeliveryResult> => {
    let params = plan.params;
    for (let tryNumber = 1; ; tryNumber++) {
      const attempt = `${receiveCount}.${tryNumber}`;
      let outcome: DeliveryOutcome;
      try {
        outcome = await callOnce(plan, params, token, line);
      } catch (error) {
        // Our own limiter has no slot soon enough: nothing was sent; the queue brings the message back.
        if (error instanceof RateLimitBusy)
          return { done: false, outcome: { kind: 'busy' }, retryAfterSeconds: backoffSeconds(receiveCount) };
        throw error;
      }
      if (
        outcome.kind === 'undeliverable' &&
        plan.unquoted &&
        params !== plan.unquoted &&
        QUOTE_REFUSALS.has(outcome.code ?? 0)
      ) {
        // VK refused the quote of the citizen's message (deleted since, say): the words matter more than
        // the quote, so they go at once without it. Nothing was sent: the same random_id is safe.
        wrote();
        await deps.ledger.appendHistory([
          deliveryHistoryEntry(
            message,
            {
              ...outcome,
              reason: `${outcome.reason}: sent again without the quote of the citizen's message`,
            },
            attempt,
            deps.clock.now().toISOString(),
          ),
        ]);
        params = plan.unquoted;
        continue;
      }
      if (outcome.kind === 'delivered' || outcome.kind === 'undeliverable')
        return finish(message, outcome, attempt, receiveCount);
      wrote();
      await deps.ledger.appendHistory([
        deliveryHistoryEntry(message, outcome, attempt, deps.clock.now().toISOString()),
      ]);
      if (outcome.kind === 'token') {
        // One series for the alarm; the error log names the community and the token.
        deps.metrics?.count('VkTokenErrors', {});
        return { done: false, outcome, retryAfterSeconds: TOKEN_HOLD_SECONDS };
      }
      if (tryNumber >= TRIES_IN_PROCESS)
        return { done: false, outcome, retryAfterSeconds: backoffSeconds(receiveCount) };
      await sleep(200 * 2 ** (tryNumber - 1) * (0.5 + Math.random()));
    }
  };

  /** Delivers one outbox message: at most once to the citizen, every attempt in the inquiry's history. */
  return async function deliver(message: OutboxMessage, receiveCount: number): Promise<DeliveryResult> {
    // Nothing the responder writes can be on the inquiry's condition (local DynamoDB has no transactions),
    // so the inquiry is read after the writes instead. Its deletion (lambdas/adapters/retention-store.ts)
    // deletes the inquiry item first and only then reads its history for what else to delete. Found there,
    // the inquiry goes later: the deletion's read comes after our writes, and deletes them with the rest.
    // Found gone, it may have read before them: they are ours to delete. A strongly consistent read returns
    // every write that succeeded before it:
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html
    let unconfirmed = false;
    /** A write on the inquiry read it after every write of ours: found, or gone (what names the message goes). */
    const confirmed = async <T>(write: Promise<T>): Promise<T> => {
      const outcome = await write;
      // It read the inquiry after every write of ours (and a write of its own lost to the deletion left
      // an entry naming the message).
      if (outcome !== undefined) unconfirmed = false;
      if (outcome === 'absent') await deps.ledger.discard(message);
      return outcome;
    };
    /** What became of the words, once known in this receive: VK took them, refused them, or they were not to go. */
    let decided: OutboxRecord['status'] | undefined;
    /**
     * SQS keeps it in the dead-letter queue next, where nothing tells the department: an operator's words are
     * recorded on the inquiry as not delivered, as words VK refused are, so that it is back in the
     * department's open work, flagged, and they can reach the citizen another way. No ledger record: a
     * replay from the dead letters sends it still, and clears the flag if it goes (recordDeliveredLate).
     */
    const recordKept = async (reason: string) => {
      const inquiry = await confirmed(
        recordUndelivered(message, { at: deps.clock.now().toISOString(), reason }),
      );
      if (inquiry === 'absent') return 'absent';
      deps.metrics?.count('MessagesUndeliverable', {
        community: String(message.groupId),
        purpose: message.purpose,
      });
      deps.metrics?.count('MessagesUndeliverable', {});
      return inquiry;
    };
    let result: DeliveryResult;
    try {
      result = await handle(message, receiveCount, {
        wrote: () => {
          unconfirmed = true;
        },
        recorded: (record, replayed) => confirmed(recordUndelivered(message, record, replayed)),
        deliveredLate: (at) => confirmed(recordDeliveredLate(message, at)),
        decided: (status) => {
          decided = status;
        },
      });
    } catch (error) {
      // An error of ours on the last receive (DynamoDB failing, a missing grant) sends the words to the dead
      // letters as surely as VK failing does: recorded too, as far as the table lets us, then given to SQS as
      // before. Not words VK took (or that were not to go) before the error: the flag would be false. A crash
      // or a timeout of the function is no error caught here: docs/alarms.md says how ops tell.
      if (
        deps.maxReceiveCount !== undefined &&
        receiveCount >= deps.maxReceiveCount &&
        (decided === undefined || decided === 'undeliverable')
      )
        await recordKept(deadLetterErrorReason(error)).catch(() => undefined);
      throw error;
    }
    if (result.done && result.outcome.kind === 'inquiry_gone') return result;
    let answer = result;
    if (!result.done && isLastReceive(result, receiveCount)) {
      const inquiry = await recordKept(deadLetterReason(result.outcome));
      if (inquiry === 'absent') return GONE;
      answer = { ...result, lastReceive: { ...(inquiry && { inquiry }) } };
    }
    if (!unconfirmed || (await deps.inquiries.getInquiry(message.inquiryId))) return answer;
    await deps.ledger.discard(message);
    return GONE;
  };
}
