import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffSeconds } from '../../lambdas/responder/backoff.js';
import { QUEUES } from '../../lib/resources.js';
import type { LocalRuntime } from '../../local/runtime.js';
import { eventually } from '../support/poll.js';
import {
  citizenMessage,
  deliverAsVk,
  deliveredByPeer,
  outcomeOf,
  settled,
  startFaultRuntime,
} from './harness.js';

/** VK answers error 10 (internal server error) to every call for a minute. */
const OUTAGE_MS = 60_000;
const VK_INTERNAL_ERROR = 10;

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startFaultRuntime({ emulatorsAt: 'child-process', retryDelaySeconds: 1 });
});
afterAll(() => runtime?.stop());

describe('the VK API failing for a minute while replies are sent', () => {
  it('every acknowledgement is deferred with the responder’s backoff and delivered once after VK is back', async () => {
    // The responder's own backoff (the local poller keeps it) outlasts the outage long before the outbox's
    // receives run out: 10 + 20 + 40 s after the first try, on the fourth of twenty receives.
    let receives = 1;
    for (let waitedSeconds = 0; waitedSeconds * 1000 <= OUTAGE_MS; receives++)
      waitedSeconds += backoffSeconds(receives);
    expect(receives).toBeLessThan(QUEUES.outbox.maxReceiveCount);

    const vk = runtime.vk;
    if (!vk) throw new Error('the runtime runs no stand-in VK');
    const run = 'vk-outage';
    const before = 10;
    const during = 20;
    for (let n = 0; n < before; n++) await deliverAsVk(runtime.url, citizenMessage(run, n));
    // Replies are going out when VK starts failing.
    await eventually(
      async () => deliveredByPeer(runtime).size,
      (delivered) => delivered > 0,
      30_000,
    );
    vk.failFor(VK_INTERNAL_ERROR, OUTAGE_MS);
    for (let n = before; n < before + during; n++) await deliverAsVk(runtime.url, citizenMessage(run, n));

    const sent = before + during;
    await eventually(
      async () => deliveredByPeer(runtime).size,
      (delivered) => delivered >= sent,
      OUTAGE_MS + 60_000,
    );

    // VK did refuse replies; each was tried again until it went through, once.
    expect(vk.calls.filter((call) => call.error === VK_INTERNAL_ERROR).length).toBeGreaterThan(0);
    expect(await outcomeOf(runtime, run)).toEqual(settled(sent));
  });
});
