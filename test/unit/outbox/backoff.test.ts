import { describe, expect, it } from 'vitest';
import {
  backoffSeconds,
  limitBackoffSeconds,
  TOKEN_HOLD_SECONDS,
} from '../../../lambdas/responder/backoff.js';
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

  // The last try comes after the delays of the receives before it; the delay given back after that last
  // try only ends in the dead-letter queue. docs/answering-citizens.md and docs/runbook.md state this total.
  it('tries a reply for the last time 6 h 12 min 30 s after its first try', () => {
    const beforeLastTry = schedule(backoffSeconds).slice(0, -1);
    expect(total(beforeLastTry)).toBe(22_350);
    // Well past VK's own retries of a callback (about 1 h 43 min): an outbox outlasts a VK outage of hours.
    expect(total(beforeLastTry)).toBeGreaterThan(6 * 3600);
  });

  it('holds a message whose token VK refused for an hour a receive: its last try 19 hours after the first', () => {
    expect(total(schedule(() => TOKEN_HOLD_SECONDS).slice(0, -1))).toBe(19 * 3600);
  });

  it('holds a message VK refused for a limit ten minutes at least: its last try 7 h 2 min after the first', () => {
    // Refused again on its second receive, it is older than the late-replies alarm's 10 minutes.
    expect(schedule(limitBackoffSeconds).slice(0, 7)).toEqual([600, 600, 600, 600, 600, 600, 640]);
    expect(total(schedule(limitBackoffSeconds).slice(0, -1))).toBe(25_320);
  });

  it('never asks SQS for more than its 12-hour visibility limit', () => {
    for (const delay of [...schedule(backoffSeconds), ...schedule(limitBackoffSeconds)])
      expect(delay).toBeLessThanOrEqual(43_200);
  });
});
