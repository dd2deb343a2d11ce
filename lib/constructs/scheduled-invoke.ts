import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IMetric, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IDestination, IFunction } from 'aws-cdk-lib/aws-lambda';
import { type IScheduleGroup, type IScheduleTarget, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { grantQueueEncryption } from './data-key.js';

export interface ScheduledInvokeProps {
  /** What the function is called in the findings' reasons: `escalator`, `retention`. */
  name: string;
  /** Where a run that never started, or failed, is left: the scheduler's letters and Lambda's records. */
  deadLetterQueue: IQueue;
  /** The dead-letter queue's KMS key. */
  key: IKey;
  /** How long, and how often, the scheduler tries again to start a run: ESCALATOR's or RETENTION's. */
  retry: { attempts: number; maxEventAgeSeconds: number };
  /** How long a run Lambda took may wait in Lambda's own queue (throttled) before it is given up. */
  asyncMaxEventAgeSeconds: number;
}

/**
 * EventBridge Scheduler's call of a function, and what becomes of a run that never started or failed.
 *
 * The scheduler invokes Lambda asynchronously: its retry policy and its dead-letter queue see only a call
 * Lambda refused (the role may not invoke, the function is gone, a fault of the service). A call Lambda took
 * waits in Lambda's own queue, throttled runs retried there for up to six hours by default and then dropped
 * unseen; a run that started and failed is Lambda's to retry. So the function's asynchronous settings bound
 * that wait (`asyncMaxEventAgeSeconds`), retry no failed run (the next run finds the same work), and send the
 * record of a run given up to the same dead-letter queue (its on-failure destination): one queue and one
 * alarm for every run that did not happen.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export function scheduledInvoke(fn: IFunction, props: ScheduledInvokeProps): IScheduleTarget {
  const { deadLetterQueue, key } = props;
  fn.configureAsyncInvoke({
    retryAttempts: 0,
    maxEventAge: Duration.seconds(props.asyncMaxEventAgeSeconds),
    onFailure: onFailureTo(deadLetterQueue, key),
  });
  const invoke = new LambdaInvoke(fn, {
    deadLetterQueue,
    retryAttempts: props.retry.attempts,
    maxEventAge: Duration.seconds(props.retry.maxEventAgeSeconds),
  });
  // The scheduler's role may invoke the function and its versions (`<arn>:*`), nothing else.
  const stack = Stack.of(fn);
  Validations.of(stack).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>:*]`,
    reason: `EventBridge Scheduler invokes the ${props.name} function; the wildcard covers only its versions and aliases.`,
  });
  return {
    bind(schedule) {
      // CDK grants the scheduler's role `sqs:SendMessage` on the queue, and nothing on its key.
      const target = invoke.bind(schedule);
      grantQueueEncryption(target.role, deadLetterQueue, key);
      return target;
    },
  };
}

/**
 * Lambda's on-failure destination: the queue, where Lambda sends its record with the function's role. Not
 * aws-lambda-destinations' SqsDestination, which would also grant the role `kms:Encrypt`, `kms:ReEncrypt*` and
 * `kms:GenerateDataKey*` on the whole data key, for any use.
 */
function onFailureTo(queue: IQueue, key: IKey): IDestination {
  return {
    bind(_scope, fn) {
      fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
      grantQueueEncryption(fn, queue, key);
      return { destination: queue.queueArn };
    },
  };
}

/**
 * A schedule group of one schedule's own. EventBridge Scheduler counts by schedule group only: in the account's
 * default group its counts would be every schedule's there, another stage's or another project's, and their
 * failures would raise this stage's alarm. Deleting a group deletes its schedules, which hold nothing: it goes
 * with the stack.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/monitoring-cloudwatch.html
 */
export function scheduleGroupOf(stack: Stack, name: string): ScheduleGroup {
  return new ScheduleGroup(stack, `${name}ScheduleGroup`, { removalPolicy: RemovalPolicy.DESTROY });
}

/**
 * Runs that did not happen and whose letter never reached the dead-letter queue, which its alarm would have
 * told of: the scheduler's letters it could not send there (`InvocationsFailedToBeSentToDeadLetterCount`, of
 * the schedule's own group), and the records of given-up runs Lambda could not (`DestinationDeliveryFailures`):
 * the queue, its policy, its key or a grant changed by hand. Each is a run that did not happen with no letter to
 * tell of it.
 * Not the scheduler's `InvocationDroppedCount` (every run it gave up, each also a letter or a letter lost), nor
 * `TargetErrorCount` (each refused attempt, most retried into a run that happens).
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/monitoring-cloudwatch.html
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
export function lettersLost(group: IScheduleGroup, fn: IFunction, name: string): IMetric {
  const period = Duration.minutes(5);
  // Ids of the schedule's own (`escalatorScheduler`): a graph that charts two schedules' takes no id twice.
  const [scheduler, lambda] = [`${name}Scheduler`, `${name}Lambda`];
  return new MathExpression({
    expression: `FILL(${scheduler}, 0) + FILL(${lambda}, 0)`,
    usingMetrics: {
      [scheduler]: group.metricFailedToBeSentToDLQ(undefined, { period, statistic: 'Sum' }),
      [lambda]: fn.metric('DestinationDeliveryFailures', { period, statistic: 'Sum' }),
    },
    label: 'letters of runs that did not happen, lost',
    period,
  });
}
