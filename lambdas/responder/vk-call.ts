import type { DeliveryOutcome } from '../domain/outbox/delivery-outcome.js';
import type { DeliveryPlan, VkCallParams } from '../domain/outbox/delivery-plan.js';
import type { VkCaller, VkRateLimiter } from '../domain/outbox/ports.js';
import { handlingFor, undeliverableReason, VkApiError } from '../domain/vk-api/errors.js';
import { CALLS_PER_SECOND } from './rate-limit-line.js';

/**
 * One call of VK with the message, once its line of the rate limit gives it a slot (RateLimitBusy, thrown,
 * when none comes soon enough), and what VK's answer means for it.
 */
export async function callVkOnce(
  deps: { limiter: VkRateLimiter; vk: VkCaller },
  plan: Extract<DeliveryPlan, { kind: 'call' }>,
  params: VkCallParams,
  token: string,
  line: string,
): Promise<DeliveryOutcome> {
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
      if (handling === 'limit')
        return { kind: 'retry', method, code: error.code, reason: error.vkMessage, limited: true };
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
}
