import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { type ITableV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { metricsNamespace } from '../lambdas/adapters/metrics.js';
import type { AppConfig } from '../lambdas/domain/config/schema.js';
import { CallbackEndpoint } from './constructs/callback-endpoint.js';
import { Escalation } from './constructs/escalation.js';
import { type FunctionSettings, HouseFunction } from './constructs/house-function.js';
import { mailbox } from './constructs/mailbox.js';
import { Observability } from './constructs/observability.js';
import type { OperatorAccounts } from './constructs/operator-accounts.js';
import { OperatorApi } from './constructs/operator-api.js';
import { Pipeline } from './constructs/pipeline.js';
import { productRows } from './constructs/product-rows.js';
import { Responder } from './constructs/responder.js';
import { Retention } from './constructs/retention.js';
import { INQUIRY_TABLE, QUEUES, type QueueName, type ScheduledName } from './resources.js';

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
  /** The runs of each schedule that did not happen (the Stateful stack's, as every queue). */
  scheduleDeadLetterQueues: Record<ScheduledName, Queue>;
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
    // What every function of the stage is given alike (house-function.ts).
    const functions: FunctionSettings = { configFile, logRetention, metricsNamespace: namespace };
    const pipeline = new Pipeline(this, {
      functions,
      table,
      key,
      config,
      queues,
      routingDeadLetterQueue: props.deadLetterQueues.routing,
      ingestReservedConcurrency: props.ingestReservedConcurrency,
    });
    const escalation = new Escalation(this, {
      functions,
      table,
      key,
      stage: props.stage,
      keepData: props.keepData,
      departments: config.departments,
      criticalNotify: config.escalation.criticalNotify,
      scheduleDeadLetterQueue: props.scheduleDeadLetterQueues.escalator,
    });
    this.escalationTopic = escalation.topic;
    const retention = new Retention(this, {
      functions,
      table,
      key,
      closedInquiryDays: config.retention.closedInquiryDays,
      scheduleDeadLetterQueue: props.scheduleDeadLetterQueues.retention,
    });

    const callback = new CallbackEndpoint(this, 'Callback', {
      stage: props.stage,
      ingest: pipeline.ingest.function,
      ingestLogs: pipeline.ingest.logGroup,
      logRetention,
      // VK sends one request per event; a few hundred a second covers a busy region with room to spare.
      rateLimit: 500,
      burstLimit: 1000,
    });
    this.callbackUrl = callback.url;

    // Answering citizens: the router acknowledges through the outbox, operators answer through the answers
    // queue, the responder takes both out (each through an event source of its own) and sends.
    const answering = { functions, table, key, config, answers: queues.answers };
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
      callbackFloodBlocks: callback.blockedByFlood,
      callbackRefusedRetries: callback.refusedRetries,
      callbackThrottledAnswers: callback.throttledAnswers,
      callbackAcceptedRequests: callback.acceptedRequests,
      callbackListedAddresses: callback.countedByReputation,
      // The configuration has at least one community: VK calls every stage.
      callbackSilenceHours: config.alarms.callbackSilenceHours || undefined,
      operatorApi: operatorApi.api,
      // Each part's own alarms, defined beside what they watch.
      product: [escalation.alarms, responder.alarms, operatorApi.alarms, retention.alarms],
      graphs: [
        responder.graph,
        escalation.graph,
        retention.graph,
        operatorApi.graph,
        escalation.calendarGraph,
      ],
      ...productRows({
        namespace,
        delivered: responder.delivered,
        escalation,
        communities: config.communities,
      }),
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.observability.alarmTopic.topicArn,
      description:
        "Every alarm of the stage goes here; the configuration's alarms.notify addresses are subscribed",
    });
  }
}

/**
 * The table the functions use: the Stateful stack's, or the existing one the configuration names (a table
 * restored from point-in-time recovery, which AWS always restores as a new table). It must be encrypted with
 * the stack's key, the only one the functions may use, and have the same indexes, which every grant (here and
 * in the constructs) names by hand.
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
