import {
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { type ITableV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { metricsNamespace } from '../lambdas/adapters/metrics.js';
import type { AppConfig, Department } from '../lambdas/domain/config/schema.js';
import { CallbackEndpoint } from './constructs/callback-endpoint.js';
import { HouseFunction } from './constructs/house-function.js';
import { Observability } from './constructs/observability.js';
import type { OperatorAccounts } from './constructs/operator-accounts.js';
import { OperatorApi } from './constructs/operator-api.js';
import { Responder } from './constructs/responder.js';
import { ESCALATOR, INGEST, INQUIRY_TABLE, QUEUES, type QueueName, RETENTION } from './resources.js';

export interface StatelessStackProps extends StackProps {
  stage: string;
  /** false only for a disposable stage: logs are kept a month, not a year, and the alarm topic's key goes with the stack. */
  keepData: boolean;
  config: AppConfig;
  configFile: string;
  key: IKey;
  /** The Stateful stack's table, unless the configuration's `inquiryTable` names another one to use. */
  table: ITableV2;
  queues: Record<QueueName, Queue>;
  deadLetterQueues: Record<QueueName, Queue>;
  operators: OperatorAccounts;
  /**
   * Concurrency reserved for ingest: VK's events always find room, and a flood of them cannot take the
   * account's whole concurrency from the rest. 0 or unset: none, for accounts with the default low limit.
   */
  ingestReservedConcurrency?: number;
}

/**
 * The functions, the public endpoints (VK's callback, the operator API), the topics, alarms and dashboard, and
 * the wiring between them; no data (its log groups are kept if it is deleted). Deleted and made anew, it comes
 * back with new addresses: new CallbackUrl and OperatorApiUrl (connect each community to VK again, tell the
 * operators' console) and new topics, whose e-mail subscriptions must each be confirmed again.
 */
export class StatelessStack extends Stack {
  readonly callbackUrl: string;
  readonly escalationTopic: Topic;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { key, queues, config, configFile } = props;
    // The stage's own: where its functions count, and all its alarms and its dashboard read.
    const namespace = metricsNamespace(props.stage);
    const table = inquiryTable(this, props);
    new CfnOutput(this, 'InquiryTableName', {
      value: table.tableName,
      description: 'The inquiries table the functions use (for npm run departments:move)',
    });
    const logRetention = props.keepData ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH;
    const fn = (name: string, entry: string, timeout: Duration, environment: Record<string, string>) =>
      new HouseFunction(this, name, {
        entry,
        configFile,
        timeout,
        environment,
        logRetention,
        metricsNamespace: namespace,
      }).function;

    const ingest = new HouseFunction(this, 'Ingest', {
      entry: 'lambdas/ingest/handler.ts',
      configFile,
      // Shorter than the callback's integration timeout, and what ingest budgets its waits in: see INGEST.
      timeout: Duration.seconds(INGEST.timeoutSeconds),
      environment: { EVENTS_QUEUE_URL: queues.events.queueUrl },
      logRetention,
      metricsNamespace: namespace,
      // A reserved concurrency of 0 is Lambda's switch to throttle every call, never "no reservation".
      // https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
      reservedConcurrentExecutions: props.ingestReservedConcurrency || undefined,
      readsSecrets: true,
    }).function;
    const classifier = fn(
      'Classifier',
      'lambdas/classifier/handler.ts',
      Duration.seconds(QUEUES.events.consumerTimeoutSeconds),
      {
        ROUTING_QUEUE_URL: queues.routing.queueUrl,
        TABLE_NAME: table.tableName,
      },
    );
    const router = fn(
      'Router',
      'lambdas/router/handler.ts',
      Duration.seconds(QUEUES.routing.consumerTimeoutSeconds),
      {
        TABLE_NAME: table.tableName,
        ROUTING_QUEUE_URL: queues.routing.queueUrl,
        ROUTING_DEAD_LETTER_QUEUE_URL: props.deadLetterQueues.routing.queueUrl,
      },
    );

    // Departments hear of deadlines near and missed through one encrypted topic; each e-mail subscription
    // takes only its own department's messages (filter on the `department` message attribute).
    this.escalationTopic = new Topic(this, 'EscalationTopic', {
      displayName: `Inquiry deadlines (${props.stage})`,
      masterKey: key,
      enforceSSL: true,
    });
    new CfnOutput(this, 'EscalationTopicArn', {
      value: this.escalationTopic.topicArn,
      description: "Departments' deadline notices: their notify addresses are subscribed, each to its own",
    });
    // An address named by several departments (a deputy head, a shared duty inbox) is one subscription that
    // takes each of theirs: SNS refuses a second subscription of an endpoint with other attributes.
    // https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
    for (const [address, departments] of departmentsByAddress(config.departments))
      this.escalationTopic.addSubscription(
        new EmailSubscription(address, {
          filterPolicy: { department: SubscriptionFilter.stringFilter({ allowlist: departments }) },
        }),
      );
    const escalator = fn(
      'Escalator',
      'lambdas/escalator/handler.ts',
      Duration.seconds(ESCALATOR.timeoutSeconds),
      {
        TABLE_NAME: table.tableName,
        ESCALATION_TOPIC_ARN: this.escalationTopic.topicArn,
      },
    );
    new Schedule(this, 'EscalatorSchedule', {
      description: `Looks for inquiries near or past their deadline every ${ESCALATOR.intervalMinutes} minutes`,
      schedule: ScheduleExpression.rate(Duration.minutes(ESCALATOR.intervalMinutes)),
      // A missed run is not retried: the next one, minutes later, finds the same inquiries.
      target: new LambdaInvoke(escalator, { retryAttempts: 0 }),
    });
    // Nor by Lambda, which retries a failed asynchronous call twice by default: a run that failed on one
    // inquiry (its error alarm tells) would run three times every five minutes.
    // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
    escalator.configureAsyncInvoke({ retryAttempts: 0 });
    // The scheduler's role may invoke the escalator and its versions (`<arn>:*`), nothing else.
    Validations.of(this).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(escalator.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason:
        'EventBridge Scheduler invokes the escalator function; the wildcard covers only its versions and aliases.',
    });

    // Citizens' data is kept no longer than its purpose needs: once a day, the finished inquiries past the
    // configured period are deleted with everything that names them (lambdas/retention/sweep.ts).
    const retention = fn(
      'Retention',
      'lambdas/retention/handler.ts',
      Duration.seconds(RETENTION.timeoutSeconds),
      { TABLE_NAME: table.tableName },
    );
    new Schedule(this, 'RetentionSchedule', {
      description: `Deletes inquiries finished over ${config.retention.closedInquiryDays} days ago, daily`,
      schedule: ScheduleExpression.cron({
        minute: '0',
        hour: String(RETENTION.scheduleHour),
        timeZone: TimeZone.of(RETENTION.scheduleTimeZone),
      }),
      // As the escalator's: a failed run is not retried, the next night's finds the same inquiries (and
      // finishes what it stopped midway).
      target: new LambdaInvoke(retention, { retryAttempts: 0 }),
    });
    retention.configureAsyncInvoke({ retryAttempts: 0 });
    Validations.of(this).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(retention.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason:
        'EventBridge Scheduler invokes the retention function; the wildcard covers only its versions and aliases.',
    });

    // Least privilege, written out: each function gets the actions it calls on the resources it uses.
    grantSend(ingest, queues.events, key);
    grantSend(classifier, queues.routing, key);
    // The classifier keeps a ledger of the VK events it has handed on (items by key, expiring by TTL; the
    // marks of a batch's events written together).
    classifier.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
        resources: [table.tableArn],
      }),
    );
    key.grant(classifier, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    grantSecretsRead(ingest, config, this);
    // The router reads and writes items by key, alone or in batches (and one inquiry's items by Query); it
    // reads no index.
    router.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:Query',
        ],
        resources: [table.tableArn],
      }),
    );
    key.grant(router, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    // The escalator queries the escalation index, and reads and writes inquiries by key.
    escalator.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
        resources: [table.tableArn],
      }),
    );
    escalator.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${INQUIRY_TABLE.indexes.byEscalationDue.name}`],
      }),
    );
    escalator.addToRolePolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [this.escalationTopic.topicArn] }),
    );
    key.grant(escalator, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    // The retention sweep queries the index of inquiries by opening, reads one inquiry's items and its marks
    // (Query), reads an inquiry by key, writes its mark, and deletes items one by one (conditional) or in
    // batches (the history). No scan, no update.
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
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${INQUIRY_TABLE.indexes.byDepartmentOpened.name}`],
      }),
    );
    key.grant(retention, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');

    consume(classifier, queues.events, 'events');
    consume(router, queues.routing, 'routing');
    // A change that overtook its message is put back on the routing queue to wait for it, and kept in the
    // routing dead-letter queue beside its message if it is still missing after that (overtaken.ts).
    grantSend(router, queues.routing, key);
    grantSend(router, props.deadLetterQueues.routing, key);

    const callback = new CallbackEndpoint(this, 'Callback', {
      stage: props.stage,
      ingest,
      logRetention,
      // VK sends one request per event; a few hundred a second covers a busy region with room to spare.
      rateLimit: 500,
      burstLimit: 1000,
    });
    this.callbackUrl = callback.url;

    // Answering citizens: the router acknowledges through the outbox, operators answer through the answers
    // queue, the responder takes both out (each through an event source of its own) and sends.
    router.addEnvironment('OUTBOX_QUEUE_URL', queues.outbox.queueUrl);
    grantSend(router, queues.outbox, key);
    const answering = {
      config,
      configFile,
      logRetention,
      metricsNamespace: namespace,
      table,
      key,
      answers: queues.answers,
    };
    const responder = new Responder(this, 'Answering', { ...answering, outbox: queues.outbox });
    const operatorApi = new OperatorApi(this, 'Operators', {
      ...answering,
      stage: props.stage,
      userPool: props.operators.userPool,
      userPoolClient: props.operators.client,
    });

    // Keep this last in the constructor: it watches every function and queue defined above it.
    const watchedQueue = (name: QueueName, maxAge: Duration) => ({
      queue: queues[name],
      deadLetterQueue: props.deadLetterQueues[name],
      maxAge,
    });
    const product = (metricName: string, dimensions: Record<string, string>) =>
      new Metric({
        namespace,
        metricName,
        dimensionsMap: dimensions,
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    // A first response is counted by the service that recorded it: the router (an admin's reply typed in VK)
    // or the operator API (an answer from the console); so is a deadline outside the calendar. Charted as their
    // sum, each filled with 0 so that a period one of them counted nothing still shows the other's.
    // The ids are the metric's own (and its community's): two expressions of one graph may not give one id to
    // different metrics.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
    const countedByBoth = (metricName: string, dimensions: Record<string, string> = {}) => {
      const id =
        metricName.charAt(0).toLowerCase() + metricName.slice(1) + Object.values(dimensions).join('');
      return new MathExpression({
        expression: `FILL(${id}Router, 0) + FILL(${id}OperatorApi, 0)`,
        usingMetrics: {
          [`${id}Router`]: product(metricName, { service: 'router', ...dimensions }),
          [`${id}OperatorApi`]: product(metricName, { service: 'operator-api', ...dimensions }),
        },
        period: Duration.minutes(5),
      });
    };
    const escalatorRunsStopped = product('EscalatorRunsStoppedForTime', { service: 'escalator' });
    // A run a night: a day's sum is that night's (the schedule runs at midnight UTC, 03:00 in Moscow, and the
    // run writes its count minutes later, well inside the UTC day the period is).
    const nightly = { period: Duration.days(1) };
    const retentionRunsIncomplete = product('RetentionRunsIncomplete', { service: 'retention' }).with(
      nightly,
    );
    // Each department's deletions, whichever departments there were: the sweep counts them with the
    // department and without (lambdas/adapters/metrics.ts). A search, for the graph only (no alarm reads one).
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-search-expressions.html
    const deletedPerDepartment = new MathExpression({
      expression: `SEARCH('{${namespace},department,service} MetricName="InquiriesDeleted" service="retention"', 'Sum', ${nightly.period.toSeconds()})`,
      usingMetrics: {},
      period: nightly.period,
    });
    this.observability = new Observability(this, 'Observability', {
      stage: props.stage,
      removalPolicy: props.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      // Each address once, whatever its case: a second subscription of it would clash with the first.
      notify: [...new Set(config.alarms.notify.map(mailbox))],
      // Every function and every queue of the product: one added later is watched without a change here.
      functions: Object.fromEntries(
        this.node
          .findAll()
          .filter((construct): construct is HouseFunction => construct instanceof HouseFunction)
          .map((house) => [house.node.id, house.function]),
      ),
      queues: Object.fromEntries(
        (Object.keys(QUEUES) as QueueName[]).map((name) => [name, watchedQueue(name, Duration.minutes(5))]),
      ),
      callbackApi: callback.api,
      callbackServerErrorAnswers: callback.serverErrorAnswers,
      callbackBlockedRequests: callback.blockedRequests,
      operatorApi: operatorApi.api,
      // Each part's alarms; the responder's and the operator API's are defined beside them.
      product: [
        {
          counted: { DeadlineBreaches: product('DeadlineBreaches', { service: 'escalator' }) },
          thresholds: {
            // A run cut short fails no invocation: the departments it left wait for the next run, five minutes
            // on, and their notices go out that much later. A run takes up a department's due inquiries for as
            // long as it has time, so a backlog that persists is runs cut short: this is the backlog's alarm, and
            // EscalationChecksLeft on the dashboard its size. Once now and then (a Monday's backlog) that is
            // nothing to wake anyone for; runs cut short one after another mean the work outgrows a run, and
            // warnings and escalations fall behind by more every run. Three of the last four five-minute periods
            // (the schedule's interval): three runs in a row, 15 minutes, or most runs of 20. Not three of three:
            // a run writes its count about 45 s after it starts, a few seconds either side, so a run whose count
            // falls in its neighbour's period would leave one period empty and hold the alarm off while every
            // run is cut short. A run that timed out writes no count: the escalator's error alarm tells of it.
            EscalatorRunsStoppedForTime: {
              metric: escalatorRunsStopped,
              threshold: 1,
              evaluationPeriods: 4,
              datapointsToAlarm: 3,
              description: `Escalator runs keep stopping for time (in 3 of the last 4 runs of every ${ESCALATOR.intervalMinutes} minutes): a backlog of due inquiries outlasts the runs, and deadline warnings and escalations go out late. The escalator's log says what each run left (escalator run stopped for time: departmentsLeft, checksLeft), the dashboard charts EscalationChecksLeft. Look at the table's throttling and the escalator's duration; raise its timeout (ESCALATOR in lib/resources.ts) or its memory. See the runbook.`,
            },
          },
          // A schedule that stops (disabled, deleted, its role or the function's permission changed) fails
          // no invocation and writes no count: only the missing invocations tell.
          scheduled: {
            // Three runs in a row: one missed (a period's boundary between two runs) is no stop.
            Escalator: {
              function: escalator,
              period: Duration.minutes(ESCALATOR.intervalMinutes),
              evaluationPeriods: 3,
              description: `The escalator has not been invoked for ${3 * ESCALATOR.intervalMinutes} minutes (its schedule runs it every ${ESCALATOR.intervalMinutes}): no deadline warnings or escalations go out, and no other alarm tells. Check the schedule (EventBridge Scheduler, EscalatorSchedule: enabled?) and that its role may invoke the function; see the runbook.`,
            },
          },
        },
        responder.alarms,
        operatorApi.alarms,
        {
          thresholds: {
            // A night's run that has not the time for everything due leaves the rest to the next night: once (a
            // period shortened, a first night after a long pause) that is the sweep catching up; three nights in
            // a row, it is falling behind, and citizens' data stays stored past its period. Missing data (a night
            // that finished, or whose run timed out before its count: the function's error alarm tells of that)
            // is no such night.
            RetentionRunsIncomplete: {
              metric: retentionRunsIncomplete,
              threshold: 1,
              evaluationPeriods: 3,
              datapointsToAlarm: 3,
              description: `The nightly retention sweep ran out of time three nights in a row (complete: false in its log): finished inquiries past their period are deleted later than it says, and more stay stored every night while it lasts. Look at its log's counts (retention sweep: deleted, failed) and the table's throttling; see the runbook.`,
            },
          },
          scheduled: {
            // A night's run in every 25 hours: the window always holds one night whole, whatever the hour.
            Retention: {
              function: retention,
              period: Duration.hours(1),
              evaluationPeriods: 25,
              description: `The retention sweep has not been invoked for 25 hours (its schedule runs it every night at ${String(RETENTION.scheduleHour).padStart(2, '0')}:00 ${RETENTION.scheduleTimeZone}): finished inquiries past their period stay stored, and no other alarm tells. Check the schedule (EventBridge Scheduler, RetentionSchedule: enabled?) and that its role may invoke the function; see the runbook.`,
            },
          },
        },
      ],
      graphs: [
        responder.graph,
        {
          title: 'Escalator runs stopped for time, the due inquiries they left, and its longest run (ms)',
          left: {
            'runs stopped for time': escalatorRunsStopped,
            // Summed over the five minutes: a run's count, as the schedule runs one per period.
            'due inquiries left to the next run': product('EscalationChecksLeft', { service: 'escalator' }),
          },
          right: {
            'longest run (ms)': escalator.metricDuration({
              statistic: 'Maximum',
              period: Duration.minutes(5),
            }),
          },
        },
        // The sweep counts once a night, minutes after midnight UTC: the dashboard's 6 hours would show it only
        // until about 06:15 UTC, before the working day begins. Two weeks, a night a point.
        {
          title:
            'Retention, the last 14 nights: inquiries deleted by department, sweeps that ran out of time',
          range: Duration.days(14),
          left: {
            "deleted: ${PROP('Dim.department')}": deletedPerDepartment,
            'deleted in all': product('InquiriesDeleted', { service: 'retention' }).with(nightly),
          },
          right: { 'runs incomplete': retentionRunsIncomplete },
        },
      ],
      flow: {
        'inquiries opened': product('InquiriesOpened', { service: 'router', status: 'routed' }),
        'first responses in time': countedByBoth('FirstResponsesInTime'),
        'first responses late': countedByBoth('FirstResponsesLate'),
        'deadline warnings': product('DeadlineWarnings', { service: 'escalator' }),
      },
      // Counted, with no alarm: the runbook has ops watch them here. A deadline outside the calendar is
      // counted per community only, by the router and the operator API.
      unalarmed: {
        EscalationErrors: product('EscalationErrors', { service: 'escalator' }),
        ...Object.fromEntries(
          config.communities.map((community) => [
            `DeadlinesOutsideCalendar ${community.groupId}`,
            countedByBoth('DeadlinesOutsideCalendar', { community: String(community.groupId) }),
          ]),
        ),
      },
      // Dropped by design, each counted; one that keeps rising says something upstream changed: a second
      // callback server sending the community's events (RepeatedMessagesDropped), say.
      dropped: Object.fromEntries(
        [
          'RepeatedMessagesDropped',
          'ChangesWithoutMessageDropped',
          'ChangesAfterErasureDropped',
          'MessagesAfterErasureDropped',
        ].map((name) => [name, product(name, { service: 'router' })]),
      ),
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.observability.alarmTopic.topicArn,
      description:
        "Every alarm of the stage goes here; the configuration's alarms.notify addresses are subscribed",
    });
  }
}

/**
 * An e-mail address as it is subscribed: in lower case, so that `Head@x.ru` and `head@x.ru` are one mailbox
 * and one subscription (mail systems do not tell them apart; SNS keeps one subscription per endpoint). The
 * address is the subscription's construct id, so an address already in lower case keeps its logical id.
 */
const mailbox = (address: string) => address.toLowerCase();

/**
 * Each e-mail address of the departments' `notify` lists (the configuration's schema lets only e-mail addresses
 * in), with the ids of the departments that name it.
 */
function departmentsByAddress(departments: readonly Department[]): Map<string, string[]> {
  const byAddress = new Map<string, string[]>();
  for (const department of departments)
    for (const target of department.notify) {
      const address = mailbox(target);
      const named = byAddress.get(address) ?? [];
      if (!named.includes(department.id)) named.push(department.id);
      byAddress.set(address, named);
    }
  return byAddress;
}

/**
 * The table the functions use: the Stateful stack's, or the existing one the configuration names (a table
 * restored from point-in-time recovery, which AWS always restores as a new table). It must be encrypted with
 * the stack's key, the only one the functions may use, and have the same indexes, which every grant below
 * names by hand.
 */
function inquiryTable(stack: Stack, props: StatelessStackProps): ITableV2 {
  const name = props.config.inquiryTable;
  if (name === undefined) return props.table;
  return TableV2.fromTableAttributes(stack, 'InquiryTable', {
    tableName: name,
    encryptionKey: props.key,
    globalIndexes: Object.values(INQUIRY_TABLE.indexes).map((index) => index.name),
  });
}

function grantSend(grantee: IGrantable, queue: Queue, key: IKey): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
  // SQS encrypts with a data key from the queue's KMS key on the sender's behalf.
  key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
}

/** An SQS event source that reports partial batch failures, so that only failed messages are retried. */
function consume(fn: import('aws-cdk-lib/aws-lambda').IFunction, queue: Queue, name: QueueName): void {
  const spec = QUEUES[name];
  fn.addEventSource(
    new SqsEventSource(queue, {
      batchSize: spec.batchSize,
      maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowSeconds),
      reportBatchItemFailures: true,
      // A flood of events queues up instead of taking the account's whole concurrency.
      maxConcurrency: spec.maxConcurrency,
    }),
  );
}

function grantSecretsRead(grantee: IGrantable, config: AppConfig, stack: Stack): void {
  const parameters = config.communities.flatMap((community) => [
    community.callbackSecret.parameter,
    ...(community.previousCallbackSecret ? [community.previousCallbackSecret.parameter] : []),
    community.confirmationCode.parameter,
  ]);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['ssm:GetParameter'],
      resources: parameters.map((name) =>
        stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) }),
      ),
    }),
  );
}
