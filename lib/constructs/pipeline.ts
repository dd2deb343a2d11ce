import { Duration, type Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import { INGEST, QUEUES, type QueueName } from '../resources.js';
import { consumeQueue, grantSend, grantTableEncryption } from './data-key.js';
import { type FunctionSettings, HouseFunction } from './house-function.js';
import { grantParametersRead } from './parameter-grants.js';

export interface PipelineProps {
  config: AppConfig;
  /** What its functions are given as every function of the stage (house-function.ts). */
  functions: FunctionSettings;
  table: ITableV2;
  key: IKey;
  queues: Record<QueueName, IQueue>;
  /** Where the router keeps a change whose message never came, beside its message (overtaken.ts). */
  routingDeadLetterQueue: IQueue;
  /**
   * Concurrency reserved for ingest: VK's events always find room, and a flood of them cannot take the
   * account's whole concurrency from the rest. 0 or unset: none, for accounts with the default low limit.
   */
  ingestReservedConcurrency?: number;
}

/**
 * From VK's events to routed inquiries: ingest, which the callback invokes and which queues each event it
 * accepts; the classifier, which takes them off the events queue and hands on what may be an inquiry; the
 * router, which opens, threads and routes inquiries. Their functions and what each may do.
 *
 * Not a construct of its own, as Escalation (escalation.ts says why): its resources keep the stack's ids.
 */
export class Pipeline {
  /** Ingest, with its log group: the callback counts VK's refused retries from it. */
  readonly ingest: HouseFunction;
  readonly classifier: IFunction;
  readonly router: IFunction;

  constructor(stack: Stack, props: PipelineProps) {
    const fn = (name: string, entry: string, timeout: Duration, environment: Record<string, string>) =>
      new HouseFunction(stack, name, { ...props.functions, entry, timeout, environment }).function;

    this.ingest = new HouseFunction(stack, 'Ingest', {
      ...props.functions,
      entry: 'lambdas/ingest/handler.ts',
      // Shorter than the callback's integration timeout, and what ingest budgets its waits in: see INGEST.
      timeout: Duration.seconds(INGEST.timeoutSeconds),
      environment: { EVENTS_QUEUE_URL: props.queues.events.queueUrl },
      // A reserved concurrency of 0 is Lambda's switch to throttle every call, never "no reservation".
      // https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
      reservedConcurrentExecutions: props.ingestReservedConcurrency || undefined,
      readsSecrets: true,
    });
    const ingest = this.ingest.function;
    const classifier = fn(
      'Classifier',
      'lambdas/classifier/handler.ts',
      Duration.seconds(QUEUES.events.consumerTimeoutSeconds),
      {
        ROUTING_QUEUE_URL: props.queues.routing.queueUrl,
        TABLE_NAME: props.table.tableName,
      },
    );
    const router = fn(
      'Router',
      'lambdas/router/handler.ts',
      Duration.seconds(QUEUES.routing.consumerTimeoutSeconds),
      {
        TABLE_NAME: props.table.tableName,
        ROUTING_QUEUE_URL: props.queues.routing.queueUrl,
        ROUTING_DEAD_LETTER_QUEUE_URL: props.routingDeadLetterQueue.queueUrl,
      },
    );

    this.classifier = classifier;
    this.router = router;

    // Least privilege, written out: each function gets the actions it calls on the resources it uses, and the
    // data key only through the services that hold its data (data-key.ts): ingest through SQS alone.
    grantSend(ingest, props.queues.events, props.key);
    grantSend(classifier, props.queues.routing, props.key);
    // The classifier keeps a ledger of the VK events it has handed on (items by key, expiring by TTL; the
    // marks of a batch's events written together).
    classifier.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
        resources: [props.table.tableArn],
      }),
    );
    grantTableEncryption(classifier, props.key, props.table);
    grantSecretsRead(ingest, props.config, stack);
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
        resources: [props.table.tableArn],
      }),
    );
    grantTableEncryption(router, props.key, props.table);

    consumeQueue(classifier, props.queues.events, props.key, QUEUES.events);
    consumeQueue(router, props.queues.routing, props.key, QUEUES.routing);
    // A change that overtook its message is put back on the routing queue to wait for it, and kept in the
    // routing dead-letter queue beside its message if it is still missing after that (overtaken.ts).
    grantSend(router, props.queues.routing, props.key);
    grantSend(router, props.routingDeadLetterQueue, props.key);

    // Answering citizens: the router acknowledges through the outbox, which the responder takes out
    // (responder.ts).
    router.addEnvironment('OUTBOX_QUEUE_URL', props.queues.outbox.queueUrl);
    grantSend(router, props.queues.outbox, props.key);
  }
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
