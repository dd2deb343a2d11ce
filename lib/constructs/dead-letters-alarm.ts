import { Duration } from 'aws-cdk-lib';
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { AddAlarm } from './ops-alarm.js';

/**
 * Each new dead letter, not any: CloudWatch notifies only when an alarm changes state, so an alarm on
 * the queue's depth stays in ALARM, silent, while one letter is kept there (events the classifier
 * cannot read are, by design, for up to 14 days) and tells nothing of the next ones. DIFF: each
 * minute's count less the one before. The count takes in those out of sight, so that a dry run of
 * dlq:replay (which hides them while it counts) is no growth. An empty queue untouched for six hours is
 * inactive and reports no data: REPEAT bridges a gap in the data, then 0 stands for the minutes before
 * its first point, so that the first dead letter of an inactive queue is growth too. Over a quarter of
 * an hour: a burst of dead letters is one notification, and a queue that was inactive may report its
 * first minutes late.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
 */
export function deadLettersAlarm(
  alarm: AddAlarm,
  name: string,
  deadLetterQueue: IQueue,
  label: string,
  description: string,
  section = `${name}DeadLetters`,
): void {
  const perMinute = { period: Duration.minutes(1), statistic: 'Maximum' };
  alarm(
    `${name}DeadLetters`,
    new MathExpression({
      expression: 'DIFF(FILL(FILL(visible + hidden, REPEAT), 0))',
      usingMetrics: {
        visible: deadLetterQueue.metricApproximateNumberOfMessagesVisible(perMinute),
        hidden: deadLetterQueue.metricApproximateNumberOfMessagesNotVisible(perMinute),
      },
      label,
      period: Duration.minutes(1),
    }),
    1,
    description,
    { evaluationPeriods: 15, section },
  );
}
