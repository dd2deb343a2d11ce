import { Duration, type Stack, TimeZone } from 'aws-cdk-lib';
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { INQUIRY_TABLE, RETENTION } from '../resources.js';
import { grantTableEncryption } from './data-key.js';
import { type FunctionSettings, HouseFunction } from './house-function.js';
import type { GraphSpec } from './pipeline-dashboard.js';
import type { ProductAlarms } from './product-alarms.js';
import { productMetric } from './product-metric.js';
import { lettersLost, scheduledInvoke, scheduleGroupOf } from './scheduled-invoke.js';
import { scheduledFunctionOutputs } from './scheduled-outputs.js';

export interface RetentionProps {
  /** The configuration's `retention.closedInquiryDays`: how long a finished inquiry is kept. */
  closedInquiryDays: number;
  /**
   * What the sweep is given as every function of the stage (house-function.ts): its metrics namespace is where
   * it counts, and where its alarms read.
   */
  functions: FunctionSettings;
  table: ITableV2;
  key: IKey;
  /** The Stateful stack's queue for the scheduled runs that did not happen, encrypted with `key`. */
  scheduleDeadLetterQueue: IQueue;
}

/**
 * Citizens' data is kept no longer than its purpose needs: once a day, the finished inquiries past the
 * configured period are deleted with everything that names them (lambdas/retention/sweep.ts). The sweep's
 * function and its nightly schedule; its alarms and its graph, for Observability to create.
 *
 * Not a construct of its own, as Escalation (escalation.ts says why): its resources keep the stack's ids.
 */
export class Retention {
  readonly function: IFunction;
  readonly alarms: ProductAlarms;
  readonly graph: GraphSpec;

  constructor(stack: Stack, props: RetentionProps) {
    const { key, table } = props;
    const { metricsNamespace } = props.functions;
    const retentionFunction = new HouseFunction(stack, 'Retention', {
      ...props.functions,
      entry: 'lambdas/retention/handler.ts',
      timeout: Duration.seconds(RETENTION.timeoutSeconds),
      environment: { TABLE_NAME: table.tableName },
    });
    const retention = retentionFunction.function;
    this.function = retention;
    const scheduleGroup = scheduleGroupOf(stack, 'Retention');
    const schedule = new Schedule(stack, 'RetentionSchedule', {
      scheduleGroup,
      description: `Deletes inquiries finished over ${props.closedInquiryDays} days ago, daily`,
      schedule: ScheduleExpression.cron({
        minute: '0',
        hour: String(RETENTION.scheduleHour),
        timeZone: TimeZone.of(RETENTION.scheduleTimeZone),
      }),
      // A night's run the scheduler could not start is tried again for hours (RETENTION.scheduleRetry), one
      // Lambda throttled waits as long; then it is a dead letter, and its alarm tells. A run that started and
      // failed is not retried, as the escalator's: the next night's finds the same inquiries (and finishes
      // what it stopped midway); its record is a dead letter too.
      target: scheduledInvoke(retention, {
        name: 'retention',
        deadLetterQueue: props.scheduleDeadLetterQueue,
        key,
        retry: RETENTION.scheduleRetry,
        asyncMaxEventAgeSeconds: RETENTION.asyncMaxEventAgeSeconds,
      }),
    });
    scheduledFunctionOutputs(stack, 'Retention', retentionFunction, schedule);

    // The retention sweep queries the index of inquiries by opening, reads one inquiry's items and its marks
    // (Query), reads an inquiry by key, writes its mark, and deletes items one by one (conditional) or in
    // batches (the history). It scans that index alone, every 30 days (its census of the departments listed
    // there); never the table. No update.
    retention.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ],
        resources: [table.tableArn],
      }),
    );
    retention.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query', 'dynamodb:Scan'],
        resources: [`${table.tableArn}/index/${INQUIRY_TABLE.indexes.byDepartmentOpened.name}`],
      }),
    );
    grantTableEncryption(retention, key, table);

    const product = (metricName: string) =>
      productMetric(metricsNamespace, metricName, { service: 'retention' });
    // A run a night: a day's sum is that night's (the schedule runs at midnight UTC, 03:00 in Moscow, and the
    // run writes its count minutes later, well inside the UTC day the period is).
    const nightly = { period: Duration.days(1) };
    const runsIncomplete = product('RetentionRunsIncomplete').with(nightly);
    // Alarmed, and charted beside the schedule's dead letters.
    const lost = lettersLost(scheduleGroup, retention, 'retention');
    this.alarms = {
      thresholds: {
        // A night's run that has not the time for everything due leaves the rest to the next night: once (a
        // period shortened, a first night after a long pause) that is the sweep catching up; three nights in
        // a row, it is falling behind, and citizens' data stays stored past its period. Missing data (a night
        // that finished, or whose run timed out before its count: the function's error alarm tells of that)
        // is no such night.
        RetentionRunsIncomplete: {
          metric: runsIncomplete,
          threshold: 1,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          description: `The nightly retention sweep ran out of time three nights in a row (complete: false in its log): finished inquiries past their period are deleted later than it says, and more stay stored every night while it lasts. Look at its log's counts (retention sweep: deleted, failed) and the table's throttling.`,
        },
        // A night whose letter was lost leaves nothing in the queue, and RetentionNotRunning tells only if
        // the schedule invoked nothing for 25 hours (scheduled-invoke.ts, lettersLost).
        RetentionScheduleLettersLost: {
          metric: lost,
          threshold: 1,
          evaluationPeriods: 1,
          description: `The night's retention sweep did not happen and its letter never reached the retention schedule's dead-letter queue, so RetentionScheduleDeadLetters does not tell of it: EventBridge Scheduler could not send its letter (InvocationsFailedToBeSentToDeadLetterCount of the schedule's group, output RetentionScheduleGroupName), or Lambda its record of a run given up (the function's DestinationDeliveryFailures). The queue, its policy, its key or a grant was changed by hand: run the stacks' drift detection, then run the sweep by hand.`,
        },
      },
      scheduled: {
        // A night's run in every 25 hours: the window always holds one night whole, whatever the hour.
        Retention: {
          function: retention,
          period: Duration.hours(1),
          evaluationPeriods: 25,
          description: `The retention sweep has not been invoked for 25 hours (its schedule runs it every night at ${String(RETENTION.scheduleHour).padStart(2, '0')}:00 ${RETENTION.scheduleTimeZone}): finished inquiries past their period stay stored, and no other alarm tells. Check the schedule (EventBridge Scheduler, RetentionSchedule: enabled?) and that its role may invoke the function.`,
        },
      },
      deadLetters: {
        RetentionSchedule: {
          queue: props.scheduleDeadLetterQueue,
          lettersLost: lost,
          description: `The night's retention sweep did not happen: it is a letter in the retention schedule's dead-letter queue (output RetentionScheduleDeadLetterQueueUrl). Either EventBridge Scheduler's, whose call Lambda refused for ${RETENTION.scheduleRetry.maxEventAgeSeconds / 3600} hours (message attributes ERROR_CODE, ERROR_MESSAGE: the scheduler's role, the function gone), or Lambda's on-failure record (a JSON body with requestContext.condition: EventAgeExceeded, throttled for ${RETENTION.asyncMaxEventAgeSeconds / 3600} hours; RetriesExhausted, the run failed, its error in responsePayload). Finished inquiries past their period stay stored until a run. Fix the cause, run the sweep by hand, then delete the letter.`,
        },
      },
    };
    // Each department's deletions, whichever departments there were: the sweep counts them with the
    // department and without (lambdas/adapters/metrics.ts). A search, for the graph only (no alarm reads one).
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-search-expressions.html
    const deletedPerDepartment = new MathExpression({
      expression: `SEARCH('{${metricsNamespace},department,service} MetricName="InquiriesDeleted" service="retention"', 'Sum', ${nightly.period.toSeconds()})`,
      usingMetrics: {},
      period: nightly.period,
    });
    // The sweep counts once a night, minutes after midnight UTC: the dashboard's 6 hours would show it only
    // until about 06:15 UTC, before the working day begins. Two weeks, a night a point.
    this.graph = {
      title: 'Retention, the last 14 nights: inquiries deleted by department, sweeps that ran out of time',
      range: Duration.days(14),
      left: {
        "deleted: ${PROP('Dim.department')}": deletedPerDepartment,
        'deleted in all': product('InquiriesDeleted').with(nightly),
      },
      right: { 'runs incomplete': runsIncomplete },
    };
  }
}
