import { Duration } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { type CallbackWatch, gatewayCounts } from './callback-watch.js';
import type { ProductAlarms } from './product-alarms.js';
import type { WatchedQueue } from './queue-alarms.js';

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

/** The product's rows of the dashboard, beside what the stage's functions, queues and callback show. */
export interface DashboardRows {
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
}

export interface PipelineDashboardProps extends CallbackWatch, DashboardRows {
  stage: string;
  functions: Record<string, IFunction>;
  queues: Record<string, WatchedQueue>;
}

/**
 * The dashboard of the pipeline's flow: VK's requests and what became of them, the product's flow, the
 * queues (the schedules' dead letters with them), the functions' durations, the product's graphs, and its
 * counters, alarmed (`product.counted`) or not.
 */
export function pipelineDashboard(
  scope: Construct,
  props: PipelineDashboardProps,
  product: Required<ProductAlarms>,
): Dashboard {
  const { requests, clientErrors, serverErrors } = gatewayCounts(props.callbackApi);
  const dashboard = new Dashboard(scope, 'Dashboard', {
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
  dashboard.addWidgets(
    new TextWidget({
      markdown: `# VK inquiries (${props.stage})\nVK events in → inquiries routed → replies sent; deadlines; queues; functions. Alarms go to the ops topic.`,
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(
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
      left: labelled(props.flow),
      width: 12,
    }),
  );
  // The runs whose letter never reached a schedule's dead-letter queue: no depth shows them (their alarms,
  // `<name>LettersLost`, read the same counts).
  const scheduleLettersLost = Object.entries(product.deadLetters).flatMap(([name, deadLetters]) =>
    deadLetters.lettersLost ? [withLabel(deadLetters.lettersLost, `${name} letters lost`)] : [],
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Queue depths',
      left: [...queueDepths, ...scheduleDeadLetters],
      right: scheduleLettersLost,
      rightYAxis: { label: 'letters lost (5 min)', min: 0 },
      width: 12,
    }),
    new GraphWidget({
      title: 'Function durations (p99)',
      left: Object.entries(props.functions).map(([name, fn]) =>
        fn.metricDuration({ statistic: 'p99', label: name, period: Duration.minutes(5) }),
      ),
      width: 12,
    }),
  );
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
  if (graphs.length > 0) dashboard.addWidgets(...graphs);
  dashboard.addWidgets(
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
    dashboard.addWidgets(
      wideGraph(
        'Without an alarm: inquiries the escalator could not check, deadlines outside the calendar',
        props.unalarmed,
      ),
    );
  if (props.dropped)
    dashboard.addWidgets(
      wideGraph(
        'Dropped and counted: messages held already, changes of messages that cannot be dead letters, ' +
          "erased citizens' changes and late messages, edits of group chats' talk, replies in VK to group " +
          "chats' talk, replies in VK answering nothing we hold, deadline warnings never told",
        props.dropped,
      ),
    );
  if (props.noted)
    dashboard.addWidgets(
      wideGraph(
        'Noted after the answer or the rejection: replies in VK on settled inquiries and on rejected ' +
          "messages, citizens' edits of answered words (reopened, recorded)",
        props.noted,
      ),
    );
  return dashboard;
}

const withLabel = (metric: IMetric, label: string): IMetric =>
  metric instanceof Metric || metric instanceof MathExpression ? metric.with({ label }) : metric;

/** Each metric with its key as its label. */
const labelled = (metrics: Record<string, IMetric> = {}) =>
  Object.entries(metrics).map(([label, metric]) => withLabel(metric, label));

/** A graph across the dashboard's width of the counts given, each labelled by its key. */
const wideGraph = (title: string, metrics: Record<string, IMetric>) =>
  new GraphWidget({ title, left: labelled(metrics), width: 24 });
