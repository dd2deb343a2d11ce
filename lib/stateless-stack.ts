import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { type ITableV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { metricsNamespace } from '../lambdas/adapters/metrics.js';
import type { AppConfig } from '../lambdas/domain/config/schema.js';
import { CallbackEndpoint } from './constructs/callback-endpoint.js';
import { consumeQueue, grantSend, grantTableEncryption } from './constructs/data-key.js';
import { Escalation } from './constructs/escalation.js';
import { HouseFunction } from './constructs/house-function.js';
import { mailbox } from './constructs/mailbox.js';
import { Observability } from './constructs/observability.js';
import type { OperatorAccounts } from './constructs/operator-accounts.js';
import { OperatorApi } from './constructs/operator-api.js';
import { grantParametersRead } from './constructs/parameter-grants.js';
import { productRows } from './constructs/product-rows.js';
import { Responder } from './constructs/responder.js';
import { Retention } from './constructs/retention.js';
import { INGEST, INQUIRY_TABLE, QUEUES, type QueueName, type ScheduledName } from './resources.js';

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
    const fn = (name: string, entry: string, timeout: Duration, environment: Record<string, string>) =>
      new HouseFunction(this, name, {
        entry,
        configFile,
        timeout,
        environment,
        logRetention,
        metricsNamespace: namespace,
      }).function;

    const ingestFunction = new HouseFunction(this, 'Ingest', {
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
    });
    const ingest = ingestFunction.function;
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

    // What every part's functions are given alike.
    const parts = { configFile, logRetention, metricsNamespace: namespace, table, key };
    const escalation = new Escalation(this, {
      ...parts,
      stage: props.stage,
      keepData: props.keepData,
      departments: config.departments,
      criticalNotify: config.escalation.criticalNotify,
      scheduleDeadLetterQueue: props.scheduleDeadLetterQueues.escalator,
    });
    this.escalationTopic = escalation.topic;
    const retention = new Retention(this, {
      ...parts,
      closedInquiryDays: config.retention.closedInquiryDays,
      scheduleDeadLetterQueue: props.scheduleDeadLetterQueues.retention,
    });

    // Least privilege, written out: each function gets the actions it calls on the resources it uses, and the
    // data key only through the services that hold its data (data-key.ts): ingest through SQS alone.
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
    grantTableEncryption(classifier, key, table);
    grantSecretsRead(ingest, config, this);
    // The router reads and writes items by key, alone or in batches (and one inquiry's items by Query); it
    // reads no index. DeleteItem: the history entries of a write refused on its version, each on the
    // condition that the router wrote it last (inquiry-writes.ts); a new inquiry's opening mark once it is
    // stored, and what an earlier try left of one a message of an erased citizen will never open
    // (unopened-inquiries.ts).
    router.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:Query',
        ],
        resources: [table.tableArn],
      }),
    );
    grantTableEncryption(router, key, table);

    consumeQueue(classifier, queues.events, key, QUEUES.events);
    consumeQueue(router, queues.routing, key, QUEUES.routing);
    // A change that overtook its message is put back on the routing queue to wait for it, and kept in the
    // routing dead-letter queue beside its message if it is still missing after that (overtaken.ts).
    grantSend(router, queues.routing, key);
    grantSend(router, props.deadLetterQueues.routing, key);

    const callback = new CallbackEndpoint(this, 'Callback', {
      stage: props.stage,
      ingest,
      ingestLogs: ingestFunction.logGroup,
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
    const answering = { ...parts, config, answers: queues.answers };
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
      graphs: [responder.graph, escalation.graph, retention.graph, operatorApi.graph],
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

/** Ingest reads each community's callback secret (the previous one too, while rotated) and confirmation code. */
function grantSecretsRead(grantee: IGrantable, config: AppConfig, stack: Stack): void {
  const parameters = config.communities.flatMap((community) => [
    community.callbackSecret.parameter,
    ...(community.previousCallbackSecret ? [community.previousCallbackSecret.parameter] : []),
    community.confirmationCode.parameter,
  ]);
  grantParametersRead(stack, grantee, parameters);
}
