import { ArnFormat, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { describedAlarm } from './alarm-page.js';

export interface WatchedQueue {
  queue: IQueue;
  deadLetterQueue: IQueue;
  /** A message older than this means the consumer is not keeping up or keeps failing. */
  maxAge: Duration;
}

/** An alarm on a product metric with a threshold of its own. */
export interface ThresholdAlarm {
  metric: IMetric;
  /** Alarms at or above it. */
  threshold: number;
  /** Periods looked at: the alarm fires when one of them (or `datapointsToAlarm`) reaches the threshold. */
  evaluationPeriods: number;
  /**
   * Periods of those that must reach the threshold for the alarm to fire (1 unless given): it clears when
   * fewer do. For what must last, not happen once.
   */
  datapointsToAlarm?: number;
  /** What it means, for the alarm's e-mail: Observability ends it with its section of docs/alarms.md. */
  description: string;
}

/** A graph of the dashboard: labelled series on the left axis and, optionally, the right. */
export interface GraphSpec {
  title: string;
  left: Record<string, IMetric>;
  right?: Record<string, IMetric>;
  /**
   * The time it shows, up to now, whatever the dashboard's range: for what is written once a night, which the
   * dashboard's default 6 hours leave out for most of the day.
   */
  range?: Duration;
}

/**
 * A function a schedule invokes: alarmed when it has gone uninvoked for `evaluationPeriods` periods in a row
 * (a schedule disabled or deleted, the scheduler's role or the function's permission changed). Lambda writes
 * no Invocations then, and every other alarm stays OK, so missing data counts as no run.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
export interface ScheduledFunction {
  function: IFunction;
  /** Each holds at least one run while the schedule runs. */
  period: Duration;
  evaluationPeriods: number;
  /** What it means, for the alarm's e-mail: Observability ends it with its section of docs/alarms.md. */
  description: string;
}

/**
 * A dead-letter queue of no queue of ours: a schedule's, where EventBridge Scheduler leaves the runs it could
 * not start. Alarmed on each new letter as the queues' own are (`<name>DeadLetters`), and charted with them.
 */
export interface DeadLetters {
  queue: IQueue;
  /** What it means, for the alarm's e-mail: Observability ends it with its section of docs/alarms.md. */
  description: string;
}

/**
 * A part of the product's alarms on what its functions count, declared beside them and created by
 * Observability with every other alarm, to the one topic. A name is the alarm's: one part's only.
 */
/** A counter alarmed at one or more in five minutes, and what one means to the on-call reading its e-mail. */
export interface CountedAlarm {
  metric: IMetric;
  /** A sentence for the alarm's e-mail: what happened, to whom. */
  meaning: string;
}

export interface ProductAlarms {
  /**
   * Counters to alarm on and chart (deadline breaches, token errors, replies not delivered); each alarms at
   * one or more in five minutes, its meaning told in its e-mail and in its section of docs/alarms.md.
   */
  counted?: Record<string, CountedAlarm>;
  /** Metrics to alarm on at thresholds of their own (how late replies to citizens are). */
  thresholds?: Record<string, ThresholdAlarm>;
  /** Functions run by a schedule, each alarmed when it stops being invoked (`<name>NotRunning`). */
  scheduled?: Record<string, ScheduledFunction>;
  /** Dead-letter queues of the part's schedules, each alarmed on every new letter (`<name>DeadLetters`). */
  deadLetters?: Record<string, DeadLetters>;
}

export interface ObservabilityProps {
  stage: string;
  functions: Record<string, IFunction>;
  queues: Record<string, WatchedQueue>;
  callbackApi: RestApi;
  /** The callback's answers with a 5xx status, by its access log (the gateway's own 503s among them). */
  callbackServerErrorAnswers: IMetric;
  /** Requests WAF blocked in front of the callback, by every rule: charted. */
  callbackBlockedRequests: IMetric;
  /** Requests blocked by the rule that cuts off an address over the flood limit: alarmed on each. */
  callbackFloodBlocks: Metric;
  /** Requests ingest refused that VK was sending again (its retry counter): alarmed on each. */
  callbackRefusedRetries: IMetric;
  /** Requests the callback answered 429 (the stage's throttle, WAF's rate rules): alarmed on each. */
  callbackThrottledAnswers: IMetric;
  /** Requests the callback answered 200, VK's: alarmed when there are none for `callbackSilenceHours`. */
  callbackAcceptedRequests: Metric;
  /** POSTs to VK's route from addresses on AWS's IP reputation list, counted and not blocked: charted. */
  callbackListedAddresses?: IMetric;
  /**
   * Hours without a request to the callback after which ops are told (`alarms.callbackSilenceHours`);
   * unset, no such alarm.
   */
  callbackSilenceHours?: number;
  /** The operators' HTTP API: its 5xx answers alarm (a 503 the function returns fails no invocation). */
  operatorApi?: IHttpApi;
  /**
   * The product's alarms, each part's defined beside what it watches (escalation.ts, retention.ts,
   * responder.ts, operator-api.ts); their counters are charted in this order.
   */
  product?: ProductAlarms[];
  /** Product counters to chart on the dashboard's flow row. */
  flow?: Record<string, IMetric>;
  /** More graphs of product metrics, each a row's half, after the function durations. */
  graphs?: GraphSpec[];
  /** Product counters without an alarm, charted on a row of their own for ops to watch (docs/runbook.md). */
  unalarmed?: Record<string, IMetric>;
  /**
   * What the router and the escalator drop on purpose and count, charted on a row of their own: ordinary,
   * unless one keeps rising.
   */
  dropped?: Record<string, IMetric>;
  /**
   * What the router notes of what came after an answer or a rejection and counts (a reply typed in VK kept as
   * a note, no clock changed; a citizen's edit of answered words, which may reopen the inquiry), charted on
   * the last row: ordinary, unless one keeps rising.
   */
  noted?: Record<string, IMetric>;
  /** E-mail addresses subscribed to the alarm topic (the on-call). */
  notify?: string[];
  removalPolicy: RemovalPolicy;
}

/**
 * Requests the flood rule blocks in a quarter of an hour from which ops are told: one. Its limit is far above
 * what the stage takes (perAddressLimitFor), so no scanner reaches it: a block is a real flood, or VK's
 * address cut off with every community's events behind it.
 */
export const FLOOD_BLOCKS = 1;

/**
 * Tells ops when something is wrong before a citizen notices: alarms on every dead-letter queue (new messages:
 * one notification for those within a quarter of an hour of each other), on the age of each queue's oldest
 * message, on function errors and throttles, on VK's requests refused and the callback's 5xx answers, on
 * requests WAF's flood rule blocks, on hours without a request answered 200, on the operator API's 5xx
 * answers, all defined here; and on the product's counters (SLA
 * breaches, token errors, replies not delivered, replies late, escalator runs cut short, retention sweeps
 * falling behind), on scheduled functions that stop being invoked and on the runs their schedules could not
 * start (their letters, and letters lost), defined by the part that counts them or owns the schedule
 * (`product`); all to one SNS topic; and a
 * dashboard of the pipeline's flow.
 */
export class Observability extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    // CloudWatch must be able to use the key to publish alarms to an encrypted topic; AWS-managed SNS keys
    // don't allow it, hence a key of our own.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
    const key = new Key(this, 'AlarmTopicKey', {
      description: `Encrypts the ops alarm topic (${props.stage})`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `VK inquiries alarms (${props.stage})`,
      masterKey: key,
      enforceSSL: true,
    });
    // The topic's policy (enforceSSL's Deny) replaces SNS's default one, and CloudWatch publishes an alarm's
    // actions as its service principal, not as a role of the account: without this Allow every alarm's
    // notification is refused. Only this account's alarms of this region may publish (confused deputy).
    // https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
    // https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
    const stack = Stack.of(this);
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    for (const address of props.notify ?? []) this.alarmTopic.addSubscription(new EmailSubscription(address));
    const action = new SnsAction(this.alarmTopic);
    const alarm = (
      name: string,
      metric: IMetric,
      threshold: number,
      description: string,
      // Over several periods: in ALARM while any of them (or `datapointsToAlarm` of them) reaches the threshold.
      // Below it instead, for a count that must not stop; missing data is then a period below it. `section`:
      // where docs/alarms.md tells of it, the alarm's own name unless it is one of a family.
      {
        evaluationPeriods = 1,
        datapointsToAlarm = 1,
        below = false,
        section = name,
      }: { evaluationPeriods?: number; datapointsToAlarm?: number; below?: boolean; section?: string } = {},
    ) => {
      const created = new Alarm(this, name, {
        alarmDescription: describedAlarm(description, section),
        metric,
        threshold,
        evaluationPeriods,
        datapointsToAlarm,
        comparisonOperator: below
          ? ComparisonOperator.LESS_THAN_THRESHOLD
          : ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: below ? TreatMissingData.BREACHING : TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    // Each new dead letter, not any: CloudWatch notifies only when an alarm changes state, so an alarm on
    // the queue's depth stays in ALARM, silent, while one letter is kept there (events the classifier
    // cannot read are, by design, for up to 14 days) and tells nothing of the next ones. DIFF: each
    // minute's count less the one before. The count takes in those out of sight, so that a dry run of
    // dlq:replay (which hides them while it counts) is no growth. An empty queue untouched for six hours is
    // inactive and reports no data: REPEAT bridges a gap in the data, then 0 stands for the minutes before
    // its first point, so that the first dead letter of an inactive queue is growth too. Over a quarter of
    // an hour: a burst of dead letters is one notification, and a queue that was inactive may report its
    // first minutes late.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
    const deadLettersAlarm = (
      name: string,
      deadLetterQueue: IQueue,
      label: string,
      description: string,
      section = `${name}DeadLetters`,
    ) => {
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
    };
    for (const [name, watched] of Object.entries(props.queues)) {
      deadLettersAlarm(
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
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(
        `${name}Errors`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        1,
        `The ${name} function failed. See its log group.`,
        { section: '<function>Errors' },
      );
      alarm(
        `${name}Throttles`,
        fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        1,
        `The ${name} function was throttled: its concurrency limit or the account's is reached.`,
        { section: '<function>Throttles' },
      );
    }

    const api = props.callbackApi;
    const requests = api.metricCount({ period: Duration.minutes(5), statistic: 'Sum' });
    const clientErrors = api.metricClientError({ period: Duration.minutes(5), statistic: 'Sum' });
    const serverErrors = api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' });
    // Refusals VK can have met, never a scanner's: API Gateway's 4XXError counts every probe of the stage (a
    // GET, a body that is no JSON, a path it does not serve) and would wake the on-call for them. VK sends an
    // event it got no `ok` for again 10 s later with its retry counter, so one refused event is counted within
    // the minute; and a 429 is the stage or WAF turning requests away on VK's route, which VK's share.
    alarm(
      'CallbackClientErrorRate',
      new MathExpression({
        expression: 'FILL(retried, 0) + FILL(throttled, 0)',
        usingMetrics: { retried: props.callbackRefusedRetries, throttled: props.callbackThrottledAnswers },
        label: "VK's requests refused (retried refusals and 429s)",
        period: Duration.minutes(5),
      }),
      1,
      "VK's requests to the callback were refused in the last five minutes: ingest refused (4xx) an event VK was sending again (its X-Retry-Counter: a secret rotated in VK but not in SSM or the other way round, a community missing from the configuration), or the stage or WAF answered 429 (throttled, an address over WAF's limits). VK retries for about 1 h 43 min, then loses the event. Ingest's `callback not accepted` lines with `retryCounter` and the access log's 429s say which.",
    );
    // API Gateway's 5XXError has ingest's own 503s but not the gateway's (ingest crashed, timed out or was not
    // invoked: a changed gateway response status counts as 4xx); the access log's count has both. The larger
    // of the two, so that either one missing its data does not silence the alarm, and no answer counts twice.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
    alarm(
      'CallbackServerErrors',
      new MathExpression({
        expression: 'IF(FILL(logged, 0) > FILL(counted, 0), FILL(logged, 0), FILL(counted, 0))',
        usingMetrics: { counted: serverErrors, logged: props.callbackServerErrorAnswers },
        label: 'VK requests answered 5xx',
        period: Duration.minutes(5),
      }),
      1,
      "The VK callback answered 5xx: ingest's 503 when the events queue refused events or the secret store could not be read, or API Gateway's 503 when ingest failed, timed out or could not be invoked. VK retries, but pauses a server that keeps failing.",
    );
    // WAF refuses VK's events in silence: ingest never sees them, and API Gateway counts none of them. The
    // flood rule's blocks on their own alarm, as the one that can cut off VK's address with every community's
    // events behind it.
    alarm(
      'CallbackFirewallFloodBlocks',
      props.callbackFloodBlocks.with({ statistic: 'Sum', period: Duration.minutes(15) }),
      FLOOD_BLOCKS,
      "WAF's flood rule (flood-per-address) blocked POSTs to /vk/callback in the last quarter of an hour: an address sent more than twice what the stage takes. If it is one of VK's, every community's events from it are refused (429) until its rate falls, and lost after VK's last retry. Check the web ACL's sampled requests and the source address.",
    );
    // VK stops sending to a server after several failures in a row (its status turns `failed`): then no
    // event comes, nothing fails, and every other alarm stays OK. Hours without a request answered 200 (only
    // VK's are: a scanner's requests, which keep coming, are refused), each missing hour counting as none,
    // as EscalatorNotRunning takes missing invocations for no run.
    if (props.callbackSilenceHours !== undefined) {
      const hours = props.callbackSilenceHours;
      alarm(
        'CallbackNoRequests',
        props.callbackAcceptedRequests.with({ period: Duration.hours(1), statistic: 'Sum' }),
        1,
        `No request to the VK callback has been answered 200 for ${hours} hours (alarms.callbackSilenceHours): VK may have paused the server after repeated failures, or a community's server was removed or its URL changed. Requests refused (scanners', forged ones) do not count. See each community's server status with npm run vk:connect -- --stage <stage> --group-id <id> --status.`,
        { evaluationPeriods: hours, datapointsToAlarm: hours, below: true },
      );
    }
    if (props.operatorApi)
      // The function's own answers (500, and 503 when a saved change's message was not queued) and API
      // Gateway's (the function timed out or failed): only the former count as the function's errors.
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
      alarm(
        'OperatorApiServerErrors',
        props.operatorApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
        1,
        "The operator API answered 5xx: operators' requests failed (the function failed or timed out, or a saved answer was not queued: see OperatorMessagesNotQueued). The operator API's log group names each request that failed.",
      );
    const product = merged(props.product ?? []);
    for (const [name, deadLetters] of Object.entries(product.deadLetters))
      deadLettersAlarm(name, deadLetters.queue, `new dead letters of ${name}`, deadLetters.description);
    for (const [name, { metric, meaning }] of Object.entries(product.counted)) {
      alarm(name, metric, 1, `${meaning} One or more in five minutes.`);
    }
    for (const [name, spec] of Object.entries(product.thresholds)) {
      alarm(name, spec.metric, spec.threshold, spec.description, {
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm,
      });
    }
    // Every period of the window without a run. CloudWatch evaluates at most a day of periods under an hour,
    // seven days of longer ones.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
    for (const [name, spec] of Object.entries(product.scheduled)) {
      alarm(
        `${name}NotRunning`,
        spec.function.metricInvocations({ period: spec.period, statistic: 'Sum' }),
        1,
        spec.description,
        {
          evaluationPeriods: spec.evaluationPeriods,
          datapointsToAlarm: spec.evaluationPeriods,
          below: true,
        },
      );
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `vk-inquiries-${props.stage}`,
      defaultInterval: Duration.hours(6),
    });
    const queueDepths = Object.entries(props.queues).flatMap(([name, watched]) => [
      watched.queue.metricApproximateNumberOfMessagesVisible({
        label: `${name} waiting`,
        period: Duration.minutes(1),
      }),
      // Out of sight: being handled, or given back to wait (the outbox's backoff while VK fails).
      watched.queue.metricApproximateNumberOfMessagesNotVisible({
        label: `${name} in flight or waiting to be retried`,
        period: Duration.minutes(1),
      }),
      watched.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        label: `${name} dead letters`,
        period: Duration.minutes(1),
      }),
    ]);
    const scheduleDeadLetters = Object.entries(product.deadLetters).map(([name, deadLetters]) =>
      deadLetters.queue.metricApproximateNumberOfMessagesVisible({
        label: `${name} dead letters`,
        period: Duration.minutes(1),
      }),
    );
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# VK inquiries (${props.stage})\nVK events in → inquiries routed → replies sent; deadlines; queues; functions. Alarms go to the ops topic.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'VK events in (requests) and refusals',
        left: [
          requests.with({ label: 'requests' }),
          withLabel(
            props.callbackAcceptedRequests.with({ period: Duration.minutes(5) }),
            'answered 200 (VK’s)',
          ),
          clientErrors.with({ label: '4xx' }),
          withLabel(props.callbackRefusedRetries, 'refused while VK retried'),
          withLabel(props.callbackThrottledAnswers, '429 (throttled, WAF’s rate rules)'),
          serverErrors.with({ label: '5xx (ingest)' }),
          withLabel(props.callbackServerErrorAnswers, '5xx (access log: with the gateway’s 503s)'),
          withLabel(props.callbackBlockedRequests, 'blocked by WAF'),
          ...(props.callbackListedAddresses
            ? [withLabel(props.callbackListedAddresses, 'on AWS’s IP reputation list (counted only)')]
            : []),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Pipeline flow',
        left: Object.entries(props.flow ?? {}).map(([label, metric]) => withLabel(metric, label)),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Queue depths', left: [...queueDepths, ...scheduleDeadLetters], width: 12 }),
      new GraphWidget({
        title: 'Function durations (p99)',
        left: Object.entries(props.functions).map(([name, fn]) =>
          fn.metricDuration({ statistic: 'p99', label: name, period: Duration.minutes(5) }),
        ),
        width: 12,
      }),
    );
    const labelled = (metrics: Record<string, IMetric> = {}) =>
      Object.entries(metrics).map(([label, metric]) => withLabel(metric, label));
    const graphs = (props.graphs ?? []).map(
      (graph) =>
        new GraphWidget({
          title: graph.title,
          left: labelled(graph.left),
          right: labelled(graph.right),
          width: 12,
          ...(graph.range && { start: `-${graph.range.toIsoString()}` }),
        }),
    );
    if (graphs.length > 0) this.dashboard.addWidgets(...graphs);
    this.dashboard.addWidgets(
      // Each summed over the dashboard's whole range: without it, a single value is the last period that had
      // any, an error of hours ago looking current.
      new SingleValueWidget({
        title:
          "Deadline breaches, deadline e-mails not delivered, token errors, replies not delivered (the dashboard's range)",
        metrics: Object.entries(product.counted).map(([label, { metric }]) => withLabel(metric, label)),
        setPeriodToTimeRange: true,
        width: 24,
      }),
    );
    if (props.unalarmed)
      this.dashboard.addWidgets(
        new GraphWidget({
          title: 'Without an alarm: inquiries the escalator could not check, deadlines outside the calendar',
          left: Object.entries(props.unalarmed).map(([label, metric]) => withLabel(metric, label)),
          width: 24,
        }),
      );
    if (props.dropped)
      this.dashboard.addWidgets(
        new GraphWidget({
          title:
            'Dropped and counted: messages held already, changes of messages that cannot be dead letters, ' +
            "erased citizens' changes and late messages, edits of group chats' talk, replies in VK to group " +
            "chats' talk, replies in VK answering nothing we hold, deadline warnings never told",
          left: Object.entries(props.dropped).map(([label, metric]) => withLabel(metric, label)),
          width: 24,
        }),
      );
    if (props.noted)
      this.dashboard.addWidgets(
        new GraphWidget({
          title:
            'Noted after the answer or the rejection: replies in VK on settled inquiries and on rejected ' +
            "messages, citizens' edits of answered words (reopened, recorded)",
          left: Object.entries(props.noted).map(([label, metric]) => withLabel(metric, label)),
          width: 24,
        }),
      );
  }
}

/**
 * The parts' alarms together, each kind in the parts' order. A name given twice fails the synth, rather than
 * one part's alarm silently taking the other's place.
 */
function merged(parts: readonly ProductAlarms[]): Required<ProductAlarms> {
  const all: Required<ProductAlarms> = { counted: {}, thresholds: {}, scheduled: {}, deadLetters: {} };
  for (const part of parts)
    for (const kind of ['counted', 'thresholds', 'scheduled', 'deadLetters'] as const)
      for (const [name, spec] of Object.entries(part[kind] ?? {})) {
        if (name in all[kind]) throw new Error(`The product alarm ${name} is defined twice`);
        Object.assign(all[kind], { [name]: spec });
      }
  return all;
}

const withLabel = (metric: IMetric, label: string): IMetric =>
  metric instanceof Metric || metric instanceof MathExpression ? metric.with({ label }) : metric;
