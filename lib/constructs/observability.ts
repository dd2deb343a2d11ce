import type { RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Alarm, Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmTopic } from './alarm-topic.js';
import { callbackAlarms } from './callback-alarms.js';
import type { CallbackWatch } from './callback-watch.js';
import { functionAlarms } from './function-alarms.js';
import { operatorApiAlarms } from './operator-api-alarms.js';
import { opsAlarms } from './ops-alarm.js';
import { type DashboardRows, pipelineDashboard } from './pipeline-dashboard.js';
import { mergedProductAlarms, type ProductAlarms, productAlarms } from './product-alarms.js';
import { queueAlarms, type WatchedQueue } from './queue-alarms.js';

export interface ObservabilityProps extends CallbackWatch, DashboardRows {
  stage: string;
  functions: Record<string, IFunction>;
  queues: Record<string, WatchedQueue>;
  /** The operators' HTTP API: its 5xx answers alarm (a 503 the function returns fails no invocation). */
  operatorApi?: IHttpApi;
  /**
   * The product's alarms, each part's defined beside what it watches (escalation.ts, retention.ts,
   * responder.ts, operator-api.ts); their counters are charted in this order.
   */
  product?: ProductAlarms[];
  /** E-mail addresses subscribed to the alarm topic (the on-call). */
  notify?: string[];
  removalPolicy: RemovalPolicy;
}

/**
 * Tells ops when something is wrong before a citizen notices: alarms on every dead-letter queue (new messages:
 * one notification for those within a quarter of an hour of each other; a letter about to expire), on the age of each queue's oldest
 * message, on function errors and throttles, on VK's requests refused and the callback's 5xx answers, on
 * requests WAF's flood rule blocks, on hours without a request answered 200, on the operator API's 5xx
 * answers (queue-alarms.ts, function-alarms.ts, callback-alarms.ts, operator-api-alarms.ts); and on the
 * product's counters (SLA breaches, token errors, replies not delivered, replies late, escalator runs cut
 * short, retention sweeps falling behind), on scheduled functions that stop being invoked and on the runs
 * their schedules could not start (their letters, and letters lost), defined by the part that counts them or
 * owns the schedule (`product`, product-alarms.ts); all to one SNS topic (alarm-topic.ts); and a dashboard of
 * the pipeline's flow (pipeline-dashboard.ts).
 */
export class Observability extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.alarmTopic = alarmTopic(this, props);
    // Each alarm is made in this construct under its own name: a construct between would change every
    // alarm's logical id, and CloudFormation would replace them.
    const alarm = opsAlarms(this, this.alarmTopic, this.alarms);
    queueAlarms(alarm, props.queues);
    functionAlarms(alarm, props.functions);
    callbackAlarms(alarm, props);
    if (props.operatorApi) operatorApiAlarms(alarm, props.operatorApi);
    const product = mergedProductAlarms(props.product ?? []);
    productAlarms(alarm, product);
    this.dashboard = pipelineDashboard(this, props, product);
  }
}
