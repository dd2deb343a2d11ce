import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../lib/resources.js';
import { outcomeOf, settled, startRuntimeBehindProxy, trafficThroughOutage } from './harness.js';

const OUTAGE_MS = 20_000;
/**
 * While DynamoDB is away every consumer fails and SQS brings its messages back. A message dead-letters on its
 * fifth receive (maxReceiveCount 5), so four retry delays must outlast the outage, or good messages would end
 * in the dead-letter queue: 4 × 8 s = 32 s > 20 s. (In AWS the delay is the visibility timeout, minutes.)
 */
const RETRY_DELAY_SECONDS = 8;
/**
 * The responder's failures come back after the visibility timeout (it sets its own delays only for VK's
 * answers): 10 s instead of the outbox's 9 minutes, and its twenty receives span 190 s > 20 s.
 */
const VISIBILITY_SECONDS = 10;
/**
 * A claim on a VK event (or on a message to a citizen) whose answer was lost in the cut (written, but the
 * write seen as failed) holds the event until it expires: shorter than the retry delay, as in AWS the 60 s
 * lease (the outbox's 150 s) is shorter than the 180 s (540 s) visibility timeout.
 */
const CLAIM_LEASE_MS = 5000;

let setup: Awaited<ReturnType<typeof startRuntimeBehindProxy>>;
beforeAll(async () => {
  process.env.VK_EVENT_CLAIM_LEASE_MS = String(CLAIM_LEASE_MS);
  process.env.OUTBOX_CLAIM_LEASE_MS = String(CLAIM_LEASE_MS);
  setup = await startRuntimeBehindProxy('dynamo', {
    retryDelaySeconds: RETRY_DELAY_SECONDS,
    visibilityTimeoutSeconds: VISIBILITY_SECONDS,
  });
});
afterAll(() => setup?.stop());

describe('DynamoDB unreachable for 20 s', () => {
  it('ingest keeps answering ok, consumers fail and SQS redelivers; every event one inquiry with one message, none dead-lettered', async () => {
    expect(Math.min(QUEUES.events.maxReceiveCount, QUEUES.routing.maxReceiveCount) - 1).toBeGreaterThan(
      OUTAGE_MS / 1000 / RETRY_DELAY_SECONDS,
    );
    expect(CLAIM_LEASE_MS).toBeLessThan(RETRY_DELAY_SECONDS * 1000);
    expect((QUEUES.outbox.maxReceiveCount - 1) * VISIBILITY_SECONDS).toBeGreaterThan(OUTAGE_MS / 1000);

    const { runtime } = setup;
    const run = 'dynamo-outage';
    const { sent, answers } = await trafficThroughOutage(setup, run, OUTAGE_MS);

    // Ingest needs no table: VK got `ok` for every event the first time, outage or not.
    expect(answers).toEqual({ ok: sent, unavailable: 0, unavailableWithoutRetryAfter: 0, other: [] });
    // A reply VK took just as the table went away could not be recorded as delivered, so the responder sends it
    // again once its claim lapses, with the same random_id: VK drops the repeat (the stand-in too, within VK's
    // hour), and each citizen still has one reply. So here alone a repeated send is the outage's, not a fault.
    const { repeatedSends: resent, ...outcome } = await outcomeOf(runtime, run);
    const { repeatedSends: _none, ...expected } = settled(sent);
    expect(outcome).toEqual(expected);
    expect(resent).toBeLessThan(sent / 10);
  });
});
