import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';
import { QUEUES } from '../../lib/resources.js';
import { unbundledApp } from '../support/cdk-app.js';

/**
 * A dead letter goes by itself when its dead-letter queue's retention has passed since it was first sent to its
 * queue (a standard queue keeps that timestamp when it moves the message), while the dead-letter queue's
 * ApproximateAgeOfOldestMessage counts from the move:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
 * The new-dead-letters alarm tells only of a letter's coming: one seen and left must be told again before SQS
 * deletes it. Held to prod's templates.
 */
let stateful: Template;
let stateless: Template;
beforeAll(() => {
  const app = buildApp(unbundledApp({ stage: 'prod' }));
  app.synth();
  const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  const named = (suffix: string) =>
    Template.fromStack(stacks.find((stack) => stack.stackName.endsWith(suffix)) as Stack);
  stateful = named('Stateful');
  stateless = named('Stateless');
}, 180_000);

const DAY = 24 * 3600;

describe('dead letters about to expire', () => {
  it("alarms on each queue's dead letters while at least three days are left to replay them", () => {
    const queues = stateful.findResources('AWS::SQS::Queue');
    const alarms = stateless.findResources('AWS::CloudWatch::Alarm');
    for (const name of Object.keys(QUEUES)) {
      const [queueId, ...more] = Object.keys(queues).filter((id) =>
        new RegExp(`^${name}[0-9A-F]{8}$`, 'i').test(id),
      );
      expect(more, name).toEqual([]);
      const queue = queues[queueId as string]?.Properties;
      const deadLetterId = queue?.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0] as string;
      const deadLetters = queues[deadLetterId]?.Properties;
      // The longest a letter can have spent in its queue before it moved, taken from what it keeps.
      const keptAsDeadLetter = deadLetters?.MessageRetentionPeriod - queue?.MessageRetentionPeriod;

      const [alarmId, ...others] = Object.keys(alarms).filter((id) =>
        new RegExp(`^Observability${name}DeadLettersExpiring[0-9A-F]{8}$`).test(id),
      );
      expect(others, name).toEqual([]);
      const alarm = alarms[alarmId as string]?.Properties;
      expect(alarm, `${name}DeadLettersExpiring`).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        AlarmActions: [expect.anything()],
      });
      expect(JSON.stringify(alarm.Dimensions)).toContain(`Att${deadLetterId}QueueName`);
      expect(alarm.Threshold + alarm.Period, name).toBeLessThanOrEqual(keptAsDeadLetter - 3 * DAY);
      // Not so early that a letter a day old raises it.
      expect(alarm.Threshold, name).toBeGreaterThanOrEqual(3 * DAY);
      // Its mail tells how long is left: from a letter that spent its queue's whole retention there before it
      // moved, to one that moved at once.
      const least = (keptAsDeadLetter - alarm.Threshold) / DAY;
      const most = (deadLetters?.MessageRetentionPeriod - alarm.Threshold) / DAY;
      expect(alarm.AlarmDescription, name).toContain(
        `has waited ${alarm.Threshold / DAY} days: SQS deletes it ${deadLetters?.MessageRetentionPeriod / DAY} days after it was first queued, in ${least} days or more (${most} at most)`,
      );
    }
  });
});
