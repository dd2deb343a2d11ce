import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IScheduleTarget } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

export interface ScheduledInvokeProps {
  /** Where the scheduler leaves a run it could not start, once its retries are spent. */
  deadLetterQueue: IQueue;
  /** The dead-letter queue's KMS key. */
  key: IKey;
  /** How long, and how often, the scheduler tries again to start a run: ESCALATOR's or RETENTION's. */
  retry: { attempts: number; maxEventAgeSeconds: number };
}

/**
 * EventBridge Scheduler's call of a function, with its retry policy and its dead-letter queue. The retries
 * are the scheduler's, of a call Lambda refused or failed (throttled, a fault of the service); a run that
 * started and failed is Lambda's to retry (configureAsyncInvoke). CDK grants the scheduler's role
 * `sqs:SendMessage` on the queue; SQS encrypts with a data key of the queue's KMS key on the sender's
 * behalf, so the role may use the key too, for that alone.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
 */
export function scheduledInvoke(fn: IFunction, props: ScheduledInvokeProps): IScheduleTarget {
  const invoke = new LambdaInvoke(fn, {
    deadLetterQueue: props.deadLetterQueue,
    retryAttempts: props.retry.attempts,
    maxEventAge: Duration.seconds(props.retry.maxEventAgeSeconds),
  });
  return {
    bind(schedule) {
      const target = invoke.bind(schedule);
      props.key.grant(target.role, 'kms:GenerateDataKey', 'kms:Decrypt');
      return target;
    },
  };
}
