import { Duration, type Stack } from 'aws-cdk-lib';
import { MathExpression, type Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { ESCALATOR, INQUIRY_TABLE } from '../resources.js';
import { grantTableEncryption, grantTopicEncryption } from './data-key.js';
import { type EscalationTopicProps, escalationTopic } from './escalation-topic.js';
import { type FunctionSettings, HouseFunction } from './house-function.js';
import type { GraphSpec } from './pipeline-dashboard.js';
import type { ProductAlarms } from './product-alarms.js';
import { productMetric } from './product-metric.js';
import { lettersLost, scheduledInvoke, scheduleGroupOf } from './scheduled-invoke.js';
import { scheduledFunctionOutputs } from './scheduled-outputs.js';

export interface EscalationProps extends EscalationTopicProps {
  /**
   * What the escalator is given as every function of the stage (house-function.ts): its metrics namespace is
   * where it counts, and where its alarms read.
   */
  functions: FunctionSettings;
  table: ITableV2;
  /** The Stateful stack's queue for the scheduled runs that did not happen, encrypted with `key`. */
  scheduleDeadLetterQueue: IQueue;
}

/**
 * Deadlines near and missed: the escalator, which EventBridge Scheduler runs every few minutes, and the topic
 * it tells departments through (escalation-topic.ts); its alarms and its graph, for Observability to create.
 *
 * Not a construct of its own: its resources are the stack's, under the ids they had before they were drawn
 * out of it. A construct's path is part of its resources' logical ids, and a new one would have CloudFormation
 * replace the topic (every e-mail subscription to confirm again), the schedule and the function's role.
 */
export class Escalation {
  readonly topic: Topic;
  readonly function: IFunction;
  readonly alarms: ProductAlarms;
  readonly graph: GraphSpec;
  /** Inquiries warned of their deadline near, for the dashboard's flow. */
  readonly deadlineWarnings: Metric;
  /** Critical inquiries told to their department (new, raised or reopened), for the dashboard's flow. */
  readonly criticalNotices: Metric;
  /** Inquiries a run could not check (counted, not alarmed: the runbook has ops watch them). */
  readonly errors: Metric;
  /** Deadline warnings held back and then never told (counted, not alarmed: dropped on purpose). */
  readonly warningsDropped: Metric;
  /** The days left before deadlines reach a year the production calendar does not list, and its alarm's line. */
  readonly calendarGraph: GraphSpec;

  constructor(stack: Stack, props: EscalationProps) {
    const { key, table } = props;
    const { metricsNamespace } = props.functions;
    const product = (metricName: string) =>
      productMetric(metricsNamespace, metricName, { service: 'escalator' });

    this.topic = escalationTopic(stack, props);
    const escalatorFunction = new HouseFunction(stack, 'Escalator', {
      ...props.functions,
      entry: 'lambdas/escalator/handler.ts',
      timeout: Duration.seconds(ESCALATOR.timeoutSeconds),
      environment: {
        TABLE_NAME: table.tableName,
        ESCALATION_TOPIC_ARN: this.topic.topicArn,
      },
    });
    const escalator = escalatorFunction.function;
    this.function = escalator;
    const scheduleGroup = scheduleGroupOf(stack, 'Escalator');
    const schedule = new Schedule(stack, 'EscalatorSchedule', {
      scheduleGroup,
      description: `Looks for inquiries near or past their deadline every ${ESCALATOR.intervalMinutes} minutes`,
      schedule: ScheduleExpression.rate(Duration.minutes(ESCALATOR.intervalMinutes)),
      // A run the scheduler could not start is tried again for two minutes at most, one Lambda throttled
      // waits three at most: the next one, minutes later, finds the same inquiries. A run that failed is not
      // retried (Lambda would run it three times every five minutes). Each is then a dead letter, and its
      // alarm tells.
      target: scheduledInvoke(escalator, {
        name: 'escalator',
        deadLetterQueue: props.scheduleDeadLetterQueue,
        key,
        retry: ESCALATOR.scheduleRetry,
        asyncMaxEventAgeSeconds: ESCALATOR.asyncMaxEventAgeSeconds,
      }),
    });
    scheduledFunctionOutputs(stack, 'Escalator', escalatorFunction, schedule);

    // The escalator queries the escalation index, and reads and writes inquiries by key (a digest's notices
    // read again before it goes, and reads that start in the same turn, as the re-reads of the notices it
    // clears together, go in BatchGetItem calls: dynamo-batch-get.ts); it deletes the history entries of a
    // write refused on its version, each on the condition that it wrote them last.
    escalator.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ],
        resources: [table.tableArn],
      }),
    );
    escalator.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${INQUIRY_TABLE.indexes.byEscalationDue.name}`],
      }),
    );
    // And reads all open work for the inquiries under a department no longer configured, which no Query of a
    // configured one finds (escalator/unconfigured-departments.ts).
    escalator.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Scan'],
        resources: [`${table.tableArn}/index/${INQUIRY_TABLE.indexes.byDepartmentDeadline.name}`],
      }),
    );
    escalator.addToRolePolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );
    grantTableEncryption(escalator, key, table);
    grantTopicEncryption(escalator, key, this.topic);

    this.deadlineWarnings = product('DeadlineWarnings');
    this.criticalNotices = product('CriticalNotices');
    this.errors = product('EscalationErrors');
    this.warningsDropped = product('DeadlineWarningsDropped');
    const runsStopped = product('EscalatorRunsStoppedForTime');
    // A level, not a count: the fewest days a run found, over the hour. Written by every run while fewer than
    // writtenBelowDays are left, and by none the rest of the year (escalator/calendar-watch.ts).
    const calendarDaysLeft = product('CalendarDaysLeft').with({
      statistic: 'Minimum',
      period: Duration.hours(1),
    });
    const { alarmBelowDays, writtenBelowDays } = ESCALATOR.calendar;
    // Alarmed, and charted beside the schedule's dead letters.
    const lost = lettersLost(scheduleGroup, escalator, 'escalator');
    // Counted by the router (a citizen's message to such an inquiry) and the escalator (its open work), each
    // filled with 0 so that a period one of them counted nothing still alarms on the other's.
    const movedFromUnconfigured = new MathExpression({
      expression: 'FILL(router, 0) + FILL(escalator, 0)',
      usingMetrics: Object.fromEntries(
        ['router', 'escalator'].map((service) => [
          service,
          productMetric(metricsNamespace, 'InquiriesMovedFromUnconfiguredDepartments', { service }),
        ]),
      ),
      period: Duration.minutes(5),
    });
    this.alarms = {
      counted: {
        DeadlineBreaches: {
          metric: product('DeadlineBreaches'),
          meaning:
            "Inquiries passed their deadline; each department's head has the escalator's e-mail naming them. At night or at the weekend it is most likely a critical inquiry no one answered within its hour.",
        },
        // The escalator knows only that SNS took a digest; SNS gives an e-mail up (an address that bounces, a
        // mailbox full, SNS's own failure) with no word to it. For an e-mail endpoint SNS counts a message
        // once, when it stops trying. Not counted: an address that never confirmed its subscription, which SNS
        // sends nothing (the runbook's check after each deploy lists them).
        // https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html
        DeadlineEmailsFailed: {
          metric: this.topic.metricNumberOfNotificationsFailed({
            period: Duration.minutes(5),
            statistic: 'Sum',
          }),
          meaning:
            'SNS gave up delivering a deadline e-mail: a department or the duty officer was not told of warnings, breaches or critical inquiries it named, and they are not listed again. The escalator log line of each digest published names its department and SNS message id.',
        },
      },
      thresholds: {
        // One is enough: each is work no one saw, and the rest of its old department is still unseen.
        InquiriesMovedFromUnconfiguredDepartments: {
          metric: movedFromUnconfigured,
          threshold: 1,
          evaluationPeriods: 1,
          description:
            "Inquiries were found under a department the configuration no longer names (renamed, merged or removed before departments:move moved them all) and were moved to their community's triage department, where its operators see them: every open one by the escalator, any other a citizen's message or edit changed by the router. The old department's finished inquiries are still under its id, unseen. The router's and the escalator's warning lines name each inquiry and its old department.",
        },
        // A run cut short fails no invocation: the departments it left wait for the next run, five minutes
        // on, and their notices go out that much later. A run takes up a department's due inquiries for as
        // long as it has time, so a backlog that persists is runs cut short: this is the backlog's alarm, and
        // EscalationChecksLeft on the dashboard its size. Once now and then (a Monday's backlog) that is
        // nothing to wake anyone for; runs cut short one after another mean the work outgrows a run, and
        // warnings and escalations fall behind by more every run. Three of the last four five-minute periods
        // (the schedule's interval): three runs in a row, 15 minutes, or most runs of 20. Not three of three:
        // a run cut short writes its count about 60 s after it starts (it stops for time 30 s before its 90 s
        // timeout: ESCALATOR in lib/resources.ts), a few seconds either side, so a run whose count falls in
        // its neighbour's period would leave one period empty and hold the alarm off while every run is cut
        // short. A run that timed out writes no count: the escalator's error alarm tells of it.
        EscalatorRunsStoppedForTime: {
          metric: runsStopped,
          threshold: 1,
          evaluationPeriods: 4,
          datapointsToAlarm: 3,
          description: `Escalator runs keep stopping for time (in 3 of the last 4 runs of every ${ESCALATOR.intervalMinutes} minutes): a backlog of due inquiries outlasts the runs, and deadline warnings and escalations go out late. The escalator's log says what each run left (escalator run stopped for time: departmentsLeft, checksLeft), the dashboard charts EscalationChecksLeft. Look at the table's throttling and the escalator's duration; raise its timeout (ESCALATOR in lib/resources.ts) or its memory.`,
        },
        // The stage's calendar is the one it was bundled with: a stage nobody deploys reaches the new year
        // without it, and then counts every deadline across the year's holidays. Below the threshold in any
        // hour of the last three: a run or two missed (the lease, a deploy) does not clear it, and it clears
        // three hours after the deploy that adds the year, whose runs write nothing. No data the rest of the
        // year is no trouble; an escalator that stops running has EscalatorNotRunning.
        CalendarRunningOut: {
          metric: calendarDaysLeft,
          threshold: alarmBelowDays,
          below: true,
          evaluationPeriods: 3,
          datapointsToAlarm: 1,
          description: `The production calendar this stage was deployed with runs out in fewer than ${alarmBelowDays} days: deadlines counted in working hours from then on may end in a year it does not list, and would ignore that year's holidays (the first week of January). Until the days left reach 0 (the escalator's warning and the dashboard give them), nothing is counted wrongly. That warning, 'escalator: the production calendar runs out', names the communities and the year. Add the year to config/calendars (its README, "Yearly update") and deploy the stage.`,
        },
        // A run whose letter was lost leaves nothing in the queue for EscalatorScheduleDeadLetters to tell of,
        // and EscalatorNotRunning tells only of three runs in a row (scheduled-invoke.ts, lettersLost).
        EscalatorScheduleLettersLost: {
          metric: lost,
          threshold: 1,
          evaluationPeriods: 1,
          description: `Escalator runs did not happen and their letters never reached the escalator schedule's dead-letter queue, so EscalatorScheduleDeadLetters does not tell of them: EventBridge Scheduler could not send its letter (InvocationsFailedToBeSentToDeadLetterCount of the schedule's group, output EscalatorScheduleGroupName), or Lambda its record of a run given up (the function's DestinationDeliveryFailures). The queue, its policy, its key or a grant was changed by hand: run the stacks' drift detection. Warnings and escalations wait for the next run that starts.`,
        },
      },
      scheduled: {
        // Three runs in a row: one missed (a period's boundary between two runs) is no stop.
        Escalator: {
          function: escalator,
          period: Duration.minutes(ESCALATOR.intervalMinutes),
          evaluationPeriods: 3,
          description: `The escalator has not been invoked for ${3 * ESCALATOR.intervalMinutes} minutes (its schedule runs it every ${ESCALATOR.intervalMinutes}): no deadline warnings or escalations go out, and no other alarm tells. Check the schedule (EventBridge Scheduler, EscalatorSchedule: enabled?) and that its role may invoke the function.`,
        },
      },
      deadLetters: {
        EscalatorSchedule: {
          queue: props.scheduleDeadLetterQueue,
          lettersLost: lost,
          description: `Escalator runs did not happen: each is a letter in the escalator schedule's dead-letter queue (output EscalatorScheduleDeadLetterQueueUrl). Either EventBridge Scheduler's, whose call Lambda refused for ${ESCALATOR.scheduleRetry.maxEventAgeSeconds / 60} minutes (message attributes ERROR_CODE, ERROR_MESSAGE: the scheduler's role, the function gone), or Lambda's on-failure record (a JSON body with requestContext.condition: EventAgeExceeded, throttled for ${ESCALATOR.asyncMaxEventAgeSeconds / 60} minutes; RetriesExhausted, the run failed, its error in responsePayload). Warnings and escalations wait for the next run that starts. Fix the cause, then delete the letters: nothing to replay.`,
        },
      },
    };
    this.calendarGraph = {
      title: `Production calendar: days left before deadlines reach a year it does not list (written from ${writtenBelowDays}, alarmed below ${alarmBelowDays})`,
      left: { 'days left (fewest of the communities)': calendarDaysLeft },
      // Written every run for weeks, then not at all once the year is added: a month shows the countdown.
      range: Duration.days(30),
    };
    this.graph = {
      title: 'Escalator runs stopped for time, the due inquiries they left, and its longest run (ms)',
      left: {
        'runs stopped for time': runsStopped,
        // Summed over the five minutes: a run's count, as the schedule runs one per period.
        'due inquiries left to the next run': product('EscalationChecksLeft'),
      },
      right: {
        'longest run (ms)': escalator.metricDuration({
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
      },
    };
  }
}
