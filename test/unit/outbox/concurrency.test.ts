import { describe, expect, it } from 'vitest';
import { SLOT_WAIT_MS, slotInterval } from '../../../lambdas/adapters/vk-rate-limit.js';
import { CALLS_PER_SECOND } from '../../../lambdas/responder/rate-limit-line.js';
import { QUEUES } from '../../../lib/resources.js';

/** The outbox responders' calls to VK at once across the stage: a batch's messages go at the same time. */
const callsAtOnce = QUEUES.outbox.maxConcurrency * QUEUES.outbox.batchSize;
/** With those of the answers queue, which the same responder takes out beside the outbox. */
const callsOfBothAtOnce = callsAtOnce + QUEUES.answers.maxConcurrency * QUEUES.answers.batchSize;

describe('the outbox’s concurrency', () => {
  it('keeps to the calls a second VK allows a token: 20 for a community’s, 3 for a user’s', () => {
    // https://dev.vk.com/ru/api/api-requests: past them VK answers error 6.
    expect(CALLS_PER_SECOND).toEqual({ community: 20, user: 3 });
  });

  it('lets a peak of 25 acknowledgements a second over many communities through while VK answers in half a second', () => {
    // A message's time: VK's answer, and five calls to the table of some 10 ms each.
    const secondsPerMessage = 0.5 + 5 * 0.01;
    expect(callsAtOnce / secondsPerMessage).toBeGreaterThanOrEqual(25);
  });

  it('never has more calls wait for one token than a user token serves within the longest wait for a slot', () => {
    // Past it a message is given back to the queue as busy, for being one of many, not for VK's limit.
    // The operators' answers among them: a backlog of acknowledgements on a user token leaves them a slot.
    expect(callsOfBothAtOnce * slotInterval(CALLS_PER_SECOND.user)).toBeLessThanOrEqual(SLOT_WAIT_MS);
  });
});
