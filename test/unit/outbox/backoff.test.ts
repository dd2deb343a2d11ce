import { describe, expect, it } from 'vitest';
import { backoffSeconds, TOKEN_HOLD_SECONDS } from '../../../lambdas/responder/deliver-message.js';
import { QUEUES } from '../../../lib/resources.js';

/** The delays a message is given back with on each of its receives, until SQS moves it to the dead letters. */
const schedule = (delayOf: (receiveCount: number) => number) =>
  Array.from({ length: QUEUES.outbox.maxReceiveCount }, (_, index) => delayOf(index + 1));
const total = (delays: number[]) => delays.reduce((sum, delay) => sum + delay, 0);

describe('the outbox retry schedule', () => {
  it('backs off from 10 s, doubling, to 30 minutes', () => {
    expect(schedule(backoffSeconds)).toEqual([
      10, 20, 40, 80, 160, 320, 640, 1280, 1800, 1800, 1800, 1800, 1800, 1800, 1800, 1800, 1800, 1800, 1800,
      1800,
    ]);
  });

  // SQS moves a message to the dead-letter queue when it would be received once more than maxReceiveCount,
  // so the delay after the last receive counts too. README.md and docs/runbook.md state this total.
  it('rides out a VK outage of 6 h 42 min 30 s before a reply goes to the dead-letter queue', () => {
    expect(total(schedule(backoffSeconds))).toBe(24_150);
    // Well past VK's own retries of a callback (about 1 h 40 min): an outbox outlasts a VK outage of hours.
    expect(total(schedule(backoffSeconds))).toBeGreaterThan(6 * 3600);
  });

  it('holds a message whose token VK refused for an hour a receive: 20 hours for a person to act', () => {
    expect(total(schedule(() => TOKEN_HOLD_SECONDS))).toBe(20 * 3600);
  });

  it('never asks SQS for more than its 12-hour visibility limit', () => {
    for (const delay of schedule(backoffSeconds)) expect(delay).toBeLessThanOrEqual(43_200);
  });
});
