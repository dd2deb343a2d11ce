import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueName } from '../../lib/resources.js';
import type { LocalRuntime } from '../../local/runtime.js';
import {
  citizenMessage,
  deadLetterCounts,
  deliverAsVk,
  deliveredByPeer,
  inquiriesOf,
  queueDepth,
  sqsOf,
  startFaultRuntime,
  waitForEmptyQueues,
  waitForInquiries,
} from './harness.js';
import { startWorker, type WorkerProcess } from './worker-process.js';

/** A batch whose consumer was killed comes back after this (the queues' own timeouts are minutes). */
const VISIBILITY_SECONDS = 4;
/**
 * A claim on a VK event left by a killed classifier, or on a message to a citizen left by a killed responder,
 * expires after this. As in AWS (60 s lease, 180 s visibility timeout; the outbox's 150 s and 540 s) it is
 * shorter than the wait before the killed batch comes back, so that the redelivery finds it expired; with the
 * defaults the redelivered events would be refused as busy until they reach the dead-letter queue, and the
 * messages given back for minutes.
 */
const CLAIM_LEASE_MS = 2000;

let runtime: LocalRuntime;
let worker: WorkerProcess | undefined;
beforeAll(async () => {
  // HTTP ingest and the emulators stay up; the consumers run in a worker process that is killed and restarted.
  runtime = await startFaultRuntime({ emulatorsAt: 'child-process', startConsumers: false });
});
afterAll(async () => {
  await worker?.stop();
  await runtime?.stop();
});

const startConsumers = () =>
  startWorker(
    runtime.functionEnvironment,
    { retryDelaySeconds: 1, visibilityTimeoutSeconds: VISIBILITY_SECONDS },
    { VK_EVENT_CLAIM_LEASE_MS: String(CLAIM_LEASE_MS), OUTBOX_CLAIM_LEASE_MS: String(CLAIM_LEASE_MS) },
  );

describe('a consumer killed in the middle of a batch', () => {
  it('SIGKILL while the classifier, the router and the responder each hold a batch, then restarted: every event one inquiry with one message and one reply', async () => {
    const run = 'crash';
    const sqs = sqsOf(runtime);

    // VK keeps sending, in bursts of ten, until each consumer has been killed holding a batch.
    let sent = 0;
    let sending = true;
    const sender = (async () => {
      while (sending && sent < 400) {
        const burst = Array.from({ length: 10 }, (_, i) => sent + i);
        sent += burst.length;
        await Promise.all(burst.map((n) => deliverAsVk(runtime.url, citizenMessage(run, n))));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    // Killed on the line the poller prints when it hands a batch over. The kill counts only if that batch was
    // still unsettled (messages in flight in the queue); otherwise the worker starts again and waits for the next.
    const killedHolding: Partial<Record<QueueName, number>> = {};
    for (const queue of ['events', 'routing', 'outbox'] as const) {
      for (let attempt = 1; killedHolding[queue] === undefined && attempt <= 5; attempt++) {
        worker = await startConsumers();
        await worker.nextBatchStart(queue);
        await worker.kill();
        const { inFlight } = await queueDepth(sqs, runtime.queues[queue].url);
        if (inFlight > 0) killedHolding[queue] = inFlight;
      }
    }
    sending = false;
    await sender;
    expect(Object.keys(killedHolding).sort()).toEqual(['events', 'outbox', 'routing']);

    worker = await startConsumers();
    await waitForInquiries(runtime, run, sent, 90_000);
    await waitForEmptyQueues(runtime);

    const inquiries = await inquiriesOf(runtime, run);
    expect(inquiries).toHaveLength(sent);
    expect(new Set(inquiries.map((inquiry) => inquiry.sourceEventKey)).size).toBe(sent);
    expect(inquiries.filter((inquiry) => inquiry.messageCount !== 1)).toEqual([]);
    expect(await deadLetterCounts(runtime)).toEqual({ events: 0, routing: 0, outbox: 0, answers: 0 });
    // Each citizen got the acknowledgement of their inquiry once, whatever the responder was doing when killed.
    const replies = deliveredByPeer(runtime);
    expect(replies.size).toBe(sent);
    expect([...replies.values()].every((count) => count === 1)).toBe(true);
  });
});
