import type { AppConfig } from '../domain/config/schema.js';
import { type DeliveryOutcome, deliveryHistoryEntry } from '../domain/outbox/delivery-outcome.js';
import { planDelivery, type TokenKind } from '../domain/outbox/delivery-plan.js';
import type { OutboxMessage } from '../domain/outbox/outbox-message.js';
import {
  type CommunityTokens,
  type MessagingPermissions,
  type OutboxLedger,
  type OutboxMetrics,
  RateLimitBusy,
  type VkCaller,
  type VkRateLimiter,
} from '../domain/outbox/ports.js';
import type { Clock } from '../domain/ports.js';
import { VkApiError } from '../domain/vk-api/errors.js';

/** VK's limits per token: https://dev.vk.com/ru/api/api-requests (20/s for a community, 3/s for a user). */
export const CALLS_PER_SECOND: Record<TokenKind, number> = { community: 20, user: 3 };
/** Tries within one invocation before a busy VK gets the message back through the queue. */
const TRIES_IN_PROCESS = 3;
/** How long a message whose token VK refused is held before it is tried again (ops have been alerted). */
export const TOKEN_HOLD_SECONDS = 3600;
/** The longest backoff between two receives of a message VK keeps failing. */
export const BACKOFF_CAP_SECONDS = 1800;

export interface DeliverMessageDeps {
  config: AppConfig;
  ledger: OutboxLedger;
  permissions: MessagingPermissions;
  tokens: CommunityTokens;
  vk: VkCaller;
  limiter: VkRateLimiter;
  clock: Clock;
  metrics?: OutboxMetrics;
  sleep?: (ms: number) => Promise<void>;
}

/** What the handler does with the queue message: done (delete it), or give it back after a delay. */
export type DeliveryResult =
  | { done: true; outcome: DeliveryOutcome | { kind: 'duplicate' } }
  | { done: false; outcome: DeliveryOutcome | { kind: 'busy' }; retryAfterSeconds: number };

/**
 * The backoff before SQS brings a busy message back: 10 s, 20 s, 40 s … 1280 s, then every 30 minutes. With
 * the outbox's maxReceiveCount (lib/resources.ts) a message rides out a VK outage of hours before it goes to
 * the dead-letter queue (the sum is pinned by test/unit/outbox/backoff.test.ts and stated in the README).
 */
export const backoffSeconds = (receiveCount: number) =>
  Math.min(BACKOFF_CAP_SECONDS, 10 * 2 ** Math.max(0, receiveCount - 1));

export function createMessageDeliverer(deps: DeliverMessageDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));

  const callOnce = async (
    method: string,
    params: Record<string, string | number | boolean>,
    token: string,
    kind: TokenKind,
    groupId: number,
  ): Promise<DeliveryOutcome> => {
    await deps.limiter.acquire(`${groupId}:${kind}`, CALLS_PER_SECOND[kind]);
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
        if (error.handling === 'retry')
          return { kind: 'retry', method, code: error.code, reason: error.vkMessage };
        if (error.handling === 'token')
          return { kind: 'token', method, code: error.code, reason: error.vkMessage, token: kind };
        // Undeliverable here (901, closed comments…) or a call VK will never accept: recorded, never retried.
        return {
          kind: 'undeliverable',
          method,
          code: error.code,
          reason: `VK error ${error.code}: ${error.vkMessage}`,
        };
      }
      // No answer (network, timeout): VK may have sent it; the same random_id / guid makes a retry safe.
      return { kind: 'retry', method, code: 0, reason: `no answer from VK: ${(error as Error).name}` };
    }
  };

  /** Delivers one outbox message: at most once to the citizen, every attempt in the inquiry's history. */
  return async function deliver(message: OutboxMessage, receiveCount: number): Promise<DeliveryResult> {
    const known = await deps.ledger.getRecord(message.id);
    if (known) return { done: true, outcome: { kind: 'duplicate' } };
    const community = deps.config.communities.find((candidate) => candidate.groupId === message.groupId);
    const [communityToken, userToken] = await Promise.all([
      community?.tokens?.community ? deps.tokens.tokenFor(message.groupId, 'community') : undefined,
      community?.tokens?.user ? deps.tokens.tokenFor(message.groupId, 'user') : undefined,
    ]);
    const plan = planDelivery(message, {
      canMessage:
        message.replyTo.channel === 'direct_message'
          ? await deps.permissions.canMessage(message.groupId, message.citizenId)
          : undefined,
      hasCommunityToken: communityToken !== undefined,
      hasUserToken: userToken !== undefined,
    });
    const dimensions = { community: String(message.groupId), purpose: message.purpose };
    const finish = async (
      outcome: DeliveryOutcome,
      attempt: string,
      attempts: number,
    ): Promise<DeliveryResult> => {
      const at = deps.clock.now().toISOString();
      const undeliverable = outcome.kind === 'undeliverable';
      await deps.ledger.appendHistory([deliveryHistoryEntry(message, outcome, attempt, at)]);
      await deps.ledger.putRecord({
        id: message.id,
        inquiryId: message.inquiryId,
        status: undeliverable ? 'undeliverable' : 'delivered',
        at,
        attempts,
        ...(outcome.method !== undefined && { method: outcome.method }),
        ...(undeliverable && { reason: outcome.reason }),
        ...(outcome.kind === 'delivered' && outcome.vkId !== undefined && { vkId: outcome.vkId }),
      });
      deps.metrics?.count(undeliverable ? 'MessagesUndeliverable' : 'MessagesDelivered', dimensions);
      // One series for the alarm: an answer that will never reach the citizen is news for ops.
      if (undeliverable) deps.metrics?.count('MessagesUndeliverable', {});
      return { done: true, outcome };
    };

    if (plan.kind === 'undeliverable')
      return finish({ kind: 'undeliverable', reason: plan.reason }, `${receiveCount}.1`, receiveCount);
    const token = (plan.token === 'community' ? communityToken : userToken) as string;

    for (let tryNumber = 1; ; tryNumber++) {
      const attempt = `${receiveCount}.${tryNumber}`;
      let outcome: DeliveryOutcome;
      try {
        outcome = await callOnce(plan.method, plan.params, token, plan.token, message.groupId);
      } catch (error) {
        // Our own limiter has no slot soon enough: nothing was sent; the queue brings the message back.
        if (error instanceof RateLimitBusy)
          return { done: false, outcome: { kind: 'busy' }, retryAfterSeconds: backoffSeconds(receiveCount) };
        throw error;
      }
      if (outcome.kind === 'delivered' || outcome.kind === 'undeliverable')
        return finish(outcome, attempt, receiveCount);
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
}
