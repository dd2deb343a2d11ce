import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomeOf, settled, startRuntimeBehindProxy, trafficThroughOutage } from './harness.js';

const OUTAGE_MS = 20_000;
/**
 * A copy of a message SQS hands out again while a consumer still holds it (its 5 s visibility timeout below
 * is shorter than a busy machine's invocation) is given back until the claim would expire: the claim, not the
 * queue, keeps it from being sent twice. The default leases (60 s, the outbox's 150 s) would keep such a copy
 * longer than the test waits for the queues to empty; in AWS the visibility timeout outlasts the lease.
 */
const CLAIM_LEASE_MS = 10_000;

let setup: Awaited<ReturnType<typeof startRuntimeBehindProxy>>;
const pollerErrors: unknown[] = [];
beforeAll(async () => {
  process.env.VK_EVENT_CLAIM_LEASE_MS = String(CLAIM_LEASE_MS);
  process.env.OUTBOX_CLAIM_LEASE_MS = String(CLAIM_LEASE_MS);
  setup = await startRuntimeBehindProxy('sqs', {
    retryDelaySeconds: 1,
    // A batch taken just before the cut cannot be settled (delete and release go to SQS too): it comes back
    // after this instead of the queues' minutes.
    visibilityTimeoutSeconds: 5,
    onError: (error) => pollerErrors.push(error),
  });
});
afterAll(() => setup?.stop());

describe('SQS unreachable for 20 s', () => {
  it('ingest answers 503 with Retry-After, VK sends again, and every event becomes one inquiry with one message', async () => {
    const { runtime } = setup;
    const run = 'sqs-outage';
    const { sent, answers } = await trafficThroughOutage(setup, run, OUTAGE_MS);

    // Every refusal while SQS was away was a 503 VK would retry, and VK's retries were all accepted.
    expect(answers.unavailable).toBeGreaterThan(0);
    expect(answers.unavailableWithoutRetryAfter).toBe(0);
    expect(answers.other).toEqual([]);
    expect(answers.ok).toBe(sent);
    // The consumers lost the queue as well.
    expect(pollerErrors.length).toBeGreaterThan(0);
    expect(await outcomeOf(runtime, run)).toEqual(settled(sent));
  });
});
