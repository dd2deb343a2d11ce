import { type DeliveryOutcome, deliveryHistoryEntry } from '../domain/outbox/delivery-outcome.js';
import { type DeliveryPlan, QUOTE_REFUSALS } from '../domain/outbox/delivery-plan.js';
import type { OutboxMessage } from '../domain/outbox/outbox-message.js';
import {
  type OutboxLedger,
  type OutboxMetrics,
  RateLimitBusy,
  type VkCaller,
  type VkRateLimiter,
} from '../domain/outbox/ports.js';
import type { Clock } from '../domain/ports.js';
import { backoffSeconds, limitBackoffSeconds, TOKEN_HOLD_SECONDS } from './backoff.js';
import type { DeliveryResult, Finish } from './delivery-result.js';
import { callVkOnce } from './vk-call.js';

/** Tries within one invocation before a busy VK gets the message back through the queue (not for a limit). */
const TRIES_IN_PROCESS = 3;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The VK calls of one receive of a claimed message, tried again in process while VK asks to. */
export async function sendTries(
  deps: {
    limiter: VkRateLimiter;
    vk: VkCaller;
    ledger: OutboxLedger;
    clock: Clock;
    metrics?: OutboxMetrics;
    sleep?: (ms: number) => Promise<void>;
  },
  message: OutboxMessage,
  plan: Extract<DeliveryPlan, { kind: 'call' }>,
  { token, line, receiveCount }: { token: string; line: string; receiveCount: number },
  wrote: () => void,
  finish: Finish,
): Promise<DeliveryResult> {
  const sleep = deps.sleep ?? wait;
  let params = plan.params;
  for (let tryNumber = 1; ; tryNumber++) {
    const attempt = `${receiveCount}.${tryNumber}`;
    let outcome: DeliveryOutcome;
    try {
      outcome = await callVkOnce(deps, plan, params, token, line);
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
    // VK refuses such calls for a while: a try now meets the same limit and takes another of the
    // token's slots from the citizens behind it.
    if (outcome.kind === 'retry' && outcome.limited)
      return { done: false, outcome, retryAfterSeconds: limitBackoffSeconds(receiveCount) };
    if (tryNumber >= TRIES_IN_PROCESS)
      return { done: false, outcome, retryAfterSeconds: backoffSeconds(receiveCount) };
    await sleep(200 * 2 ** (tryNumber - 1) * (0.5 + Math.random()));
  }
}
