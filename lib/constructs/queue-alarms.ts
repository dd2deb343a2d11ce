import { Duration } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DEAD_LETTER_EXPIRING_DAYS, DEAD_LETTER_RETENTION_DAYS, QUEUE_RETENTION_DAYS } from '../resources.js';
import { deadLettersAlarm } from './dead-letters-alarm.js';
import type { AddAlarm } from './ops-alarm.js';

export interface WatchedQueue {
  queue: IQueue;
  deadLetterQueue: IQueue;
  /** A message older than this means the consumer is not keeping up or keeps failing. */
  maxAge: Duration;
}

/**
 * Each queue's new dead letters, its dead letters about to expire, and the age of its oldest message. The new
 * ones' alarm tells once of a burst: one seen and left for later must be told again while it can still be
 * replayed (DEAD_LETTER_EXPIRING_DAYS), or SQS deletes it in silence.
 */
export function queueAlarms(alarm: AddAlarm, queues: Record<string, WatchedQueue>): void {
  for (const [name, watched] of Object.entries(queues)) {
    deadLettersAlarm(
      alarm,
      name,
      watched.deadLetterQueue,
      `new dead letters of the ${name} queue`,
      `New messages of the ${name} queue failed every attempt and wait in its dead-letter queue (back to OK a quarter of an hour after the last; those kept there do not hold it in ALARM). More that come while it is in ALARM send no mail: list them all with npm run dlq:replay and --dry-run, again before closing. Find the cause in the consumer's logs, fix it, then replay with npm run dlq:replay, or remove what is not worth replaying.`,
      '<queue>DeadLetters',
    );
    const left = DEAD_LETTER_RETENTION_DAYS - QUEUE_RETENTION_DAYS - DEAD_LETTER_EXPIRING_DAYS;
    alarm(
      `${name}DeadLettersExpiring`,
      watched.deadLetterQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.hours(1),
        statistic: 'Maximum',
      }),
      Duration.days(DEAD_LETTER_EXPIRING_DAYS).toSeconds(),
      `A dead letter of the ${name} queue has waited ${DEAD_LETTER_EXPIRING_DAYS} days: SQS deletes it ${DEAD_LETTER_RETENTION_DAYS} days after it was first queued, in ${left} days or more (${DEAD_LETTER_RETENTION_DAYS - DEAD_LETTER_EXPIRING_DAYS} at most). List them with npm run dlq:replay and --dry-run, which prints each one's last day; replay them or remove them before then.`,
      { section: '<queue>DeadLettersExpiring' },
    );
    alarm(
      `${name}OldestMessage`,
      watched.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      watched.maxAge.toSeconds(),
      `The oldest message of the ${name} queue is older than ${watched.maxAge.toHumanString()}: its consumer is failing, throttled or too slow. Citizens' inquiries are waiting.`,
      { section: '<queue>OldestMessage' },
    );
  }
}
