import { describe, expect, it } from 'vitest';
import {
  ERASED_CITIZEN_DAYS,
  erasedMessage,
  pastComing,
  pastReplaying,
  REPLAYABLE_DAYS,
} from '../../../lambdas/domain/inquiry/erased-citizen.js';
import { DEAD_LETTER_RETENTION_DAYS, QUEUE_RETENTION_DAYS } from '../../../lib/resources.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('a change of a message not held, of a citizen erased lately', () => {
  const erasedAt = '2026-03-10T12:00:00.000Z';

  it('is of the data erased when VK dates its message at or before the erasure', () => {
    expect(erasedMessage('2026-03-09T08:00:00.000Z', erasedAt)).toBe('written_before');
    expect(erasedMessage(erasedAt, erasedAt)).toBe('written_before');
  });

  it('is of a new message when written after it, and cannot tell when VK gives no date', () => {
    expect(erasedMessage('2026-03-10T12:00:01.000Z', erasedAt)).toBeUndefined();
    expect(erasedMessage(undefined, erasedAt)).toBe('undated');
  });

  it('is nothing of the kind when the citizen was not erased lately', () => {
    expect(erasedMessage('2026-03-09T08:00:00.000Z', undefined)).toBeUndefined();
    expect(erasedMessage(undefined, undefined)).toBeUndefined();
  });
});

describe("the erasure's mark", () => {
  it('outlasts the latest a message written before the erasure can reach the router', () => {
    // VK sends an event at most about 1 h 43 min after it was written (its retries). Its events dead letter
    // is kept DEAD_LETTER_RETENTION_DAYS from ingest; replayed on its last day, the event may wait
    // QUEUE_RETENTION_DAYS in the events queue before the classifier hands it on; the routing message is a new
    // one, whose dead letter is kept DEAD_LETTER_RETENTION_DAYS from then (a standard queue counts a dead
    // letter's days from its first send to the queue it came from).
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
    const latest =
      2 * HOUR + (DEAD_LETTER_RETENTION_DAYS + QUEUE_RETENTION_DAYS + DEAD_LETTER_RETENTION_DAYS) * DAY;
    expect(ERASED_CITIZEN_DAYS * DAY).toBeGreaterThanOrEqual(latest);
  });

  it("outlasts the oldest dead letter dlq:replay moves, and VK's hours before ingest queued it", () => {
    // One replay of each dead-letter queue: the events one's days from ingest, the events queue's wait, the
    // routing one's days from the classifier's send.
    expect(REPLAYABLE_DAYS * DAY).toBe(
      (DEAD_LETTER_RETENTION_DAYS + QUEUE_RETENTION_DAYS + DEAD_LETTER_RETENTION_DAYS) * DAY,
    );
    expect(ERASED_CITIZEN_DAYS * DAY).toBeGreaterThanOrEqual(REPLAYABLE_DAYS * DAY + 2 * HOUR);
    const now = new Date('2026-04-20T12:00:00.000Z');
    const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
    expect(pastReplaying(ago(REPLAYABLE_DAYS * DAY), now)).toBe(false);
    expect(pastReplaying(ago(REPLAYABLE_DAYS * DAY + 1000), now)).toBe(true);
    // A message may still come as long as the mark lasts; its change waits for it until then.
    expect(pastComing(ago(ERASED_CITIZEN_DAYS * DAY), now)).toBe(false);
    expect(pastComing(ago(ERASED_CITIZEN_DAYS * DAY + 1000), now)).toBe(true);
  });
});
