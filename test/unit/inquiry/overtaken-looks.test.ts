import { describe, expect, it } from 'vitest';
import {
  FIRST_RETRY_DELAY_SECONDS,
  nextLookDelaySeconds,
  OVERTAKEN_RETRY_MS,
  waitIsOver,
} from '../../../lambdas/router/overtaken.js';

/**
 * The router's looks for the message of a change whose message never comes, as the handler makes them: the
 * first when the change arrives (no `waitingSince` yet), each later one when SQS brings back the copy put back
 * `nextLookDelaySeconds` earlier, `latencyMs` after its delay is up (SQS and Lambda's poller are not
 * instant). Ends at the look that finds the wait over.
 */
function looks(latencyMs: number) {
  const start = Date.parse('2026-03-02T06:00:00.000Z');
  let now = new Date(start);
  let waitingSince: string | undefined;
  const at: number[] = [];
  const delays: number[] = [];
  for (;;) {
    at.push(now.getTime() - start);
    if (waitIsOver(waitingSince, now)) return { at, delays };
    waitingSince ??= now.toISOString();
    const delay = nextLookDelaySeconds(waitingSince, now);
    delays.push(delay);
    now = new Date(now.getTime() + delay * 1000 + latencyMs);
    if (at.length > 100) throw new Error('the looks never end');
  }
}

// Lambda stops a chain of a function sending to the queue that invokes it at about its 16th invocation:
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
describe('the looks of a change waiting for its message', () => {
  for (const latencyMs of [0, 40, 1_000, 4_000, 20_000])
    it(`stay well under Lambda's recursion limit and cover the whole window (${latencyMs} ms late each)`, () => {
      const { at, delays } = looks(latencyMs);
      // Every look is one invocation of the router in the same chain.
      expect(at.length).toBeLessThanOrEqual(10);
      // The wait ends at the window's end, not before, and not much after.
      expect(at.at(-1)).toBeGreaterThanOrEqual(OVERTAKEN_RETRY_MS);
      expect(at.at(-1)).toBeLessThanOrEqual(
        OVERTAKEN_RETRY_MS + FIRST_RETRY_DELAY_SECONDS * 1000 + latencyMs,
      );
      // Only the last look finds it over.
      expect(at.slice(0, -1).every((time) => time < OVERTAKEN_RETRY_MS)).toBe(true);
      // A change that overtook its message by seconds is looked at again soon.
      expect(delays[0]).toBe(FIRST_RETRY_DELAY_SECONDS);
      // Each delay within SQS's most (15 minutes).
      expect(delays.every((delay) => delay >= 1 && delay <= 900)).toBe(true);
    });

  it('grow as the change waits: 15 s, 30 s, 60 s, 2 min, 4 min, then the rest of the window', () => {
    expect(looks(0)).toEqual({
      at: [0, 15, 45, 105, 225, 465, 900].map((seconds) => seconds * 1000),
      delays: [15, 30, 60, 120, 240, 435],
    });
  });

  it('take the first delay for a change just put back to wait, or one whose wait is a moment short of its end', () => {
    const now = new Date('2026-03-02T06:00:00.000Z');
    expect(nextLookDelaySeconds(undefined, now)).toBe(FIRST_RETRY_DELAY_SECONDS);
    expect(nextLookDelaySeconds(now.toISOString(), now)).toBe(FIRST_RETRY_DELAY_SECONDS);
    const almost = new Date(now.getTime() - OVERTAKEN_RETRY_MS + 5).toISOString();
    expect(nextLookDelaySeconds(almost, now)).toBe(FIRST_RETRY_DELAY_SECONDS);
    // A mark that is not a date (none of ours) waits as a new one, rather than not at all.
    expect(nextLookDelaySeconds('not a date', now)).toBe(FIRST_RETRY_DELAY_SECONDS);
  });
});
