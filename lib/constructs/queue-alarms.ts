import { Duration } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { deadLettersAlarm } from './dead-letters-alarm.js';
import type { AddAlarm } from './ops-alarm.js';

export interface WatchedQueue {
  queue: IQueue;
  deadLetterQueue: IQueue;
  /** A message older than this means the consumer is not keeping up or keeps failing. */
  maxAge: Duration;
}

/** Each queue's new dead letters, and the age of its oldest message. */
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
