import { communityOf } from '../domain/config/community-of.js';
import type { AppConfig } from '../domain/config/schema.js';
import { planDelivery, type TokenKind, type TokenState } from '../domain/outbox/delivery-plan.js';
import type { OutboxMessage } from '../domain/outbox/outbox-message.js';
import type {
  CommunityTokens,
  OutboxLedger,
  OutboxMetrics,
  VkCaller,
  VkRateLimiter,
} from '../domain/outbox/ports.js';
import { outgoingMessage } from '../domain/outbox/send-time.js';
import type { Clock, InquiryRepository } from '../domain/ports.js';
import { type DeliveryResult, type DeliveryTrack, DUPLICATE, GONE } from './delivery-result.js';
import { createFinish } from './finish-delivery.js';
import { rateLimitLine } from './rate-limit-line.js';
import { sendTries } from './send-tries.js';

/**
 * One delivery of the message: what its record, its inquiry, its community and its tokens say to do with it
 * (nothing more: a duplicate, its inquiry gone; record it skipped or undeliverable; or claim it and call VK),
 * and doing it, telling `track` as it goes.
 */
export async function decideDelivery(
  deps: {
    config: AppConfig;
    ledger: OutboxLedger;
    inquiries: Pick<InquiryRepository, 'getInquiry' | 'discardHistory'>;
    tokens: CommunityTokens;
    vk: VkCaller;
    limiter: VkRateLimiter;
    clock: Clock;
    metrics?: OutboxMetrics;
    sleep?: (ms: number) => Promise<void>;
  },
  queued: OutboxMessage,
  receiveCount: number,
  track: DeliveryTrack,
): Promise<DeliveryResult> {
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
  /** The inquiry is flagged for these words: recorded undelivered when they went to the dead letters. */
  const flagged = inquiry.undelivered?.outboxId === queued.id;
  /** When the flag was recorded, if the inquiry is flagged for these words. */
  const flaggedAt = flagged ? inquiry.undelivered?.at : undefined;
  /**
   * Whether a refusal recorded at `at` comes after the words were flagged by another recording: the one
   * when they went to the dead letters, these words replayed since. A refusal already on the inquiry (a
   * redelivery that finds its record) is the flag's own: same time.
   */
  const refusedOnReplay = (at: string) => flaggedAt !== undefined && flaggedAt !== at;
  const finish = createFinish(deps, track, { flagged, refusedOnReplay });
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
    return finish(message, { kind: 'undeliverable', reason: plan.reason }, `${receiveCount}.1`, receiveCount);
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
    const result = await sendTries(deps, message, plan, { token, line, receiveCount }, track.wrote, finish);
    // The next reply reads the token again: the one VK refused may have been replaced meanwhile, and a copy
    // kept in the function would be refused for up to SECRET_MAX_AGE_SECONDS more, each reply held an hour.
    if (!result.done && result.outcome.kind === 'token') deps.tokens.refused?.(message.groupId, plan.token);
    // Given back unsent: the next receive, of this copy or another, claims it again at once.
    if (!result.done) await deps.ledger.release(message.id, claim.claimId);
    return result;
  } catch (error) {
    // Comes back after the visibility timeout, when the claim has run out anyway; released, sooner locally.
    await deps.ledger.release(message.id, claim.claimId).catch(() => undefined);
    throw error;
  }
}
