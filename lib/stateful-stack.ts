import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Department, OperatorMail } from '../lambdas/domain/config/schema.js';
import { OperatorAccounts } from './constructs/operator-accounts.js';
import {
  DEAD_LETTER_RETENTION_DAYS,
  deadLetterName,
  INQUIRY_TABLE,
  QUEUE_RETENTION_DAYS,
  QUEUES,
  type QueueName,
  SCHEDULE_DEAD_LETTERS,
  type ScheduledName,
} from './resources.js';

export interface StatefulStackProps extends StackProps {
  stage: string;
  /**
   * false only for a stage whose configuration declares it disposable: its data goes with the stack. true:
   * the key, table, queues and user pool are retained, the table and the pool deletion-protected.
   */
  keepData: boolean;
  /** Each has its operators' group in the user pool. */
  departments: readonly Department[];
  /** Omitted: the pool mails operators through Cognito's own sender. */
  operatorMail?: OperatorMail;
}

/**
 * What holds data and must outlive any deployment: the inquiry table and the queues, encrypted with one
 * customer-managed key (rotated yearly) so that access to citizens' data can be revoked in one place; and the
 * operators' accounts.
 */
export class StatefulStack extends Stack {
  readonly key: Key;
  readonly table: TableV2;
  readonly queues: Record<QueueName, Queue>;
  readonly deadLetterQueues: Record<QueueName, Queue>;
  /** The runs of each scheduled function that did not happen (SCHEDULE_DEAD_LETTERS). */
  readonly scheduleDeadLetterQueues: Record<ScheduledName, Queue>;
  readonly operators: OperatorAccounts;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const keep = props.keepData;
    const removalPolicy = keep ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.key = new Key(this, 'DataKey', {
      description: `Encrypts inquiries and queued events (${props.stage})`,
      enableKeyRotation: true,
      removalPolicy,
    });

    const { partitionKey, sortKey, indexes } = INQUIRY_TABLE;
    this.table = new TableV2(this, 'Inquiries', {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Short-lived bookkeeping items (the ledger of handed-on VK events) carry their own expiry.
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: keep,
      removalPolicy,
      globalSecondaryIndexes: Object.values(indexes).map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      })),
    });

    // This stack's table; the Stateless stack's output of the same name is the one the functions use (another
    // one after a restore from point-in-time recovery).
    new CfnOutput(this, 'InquiryTableName', {
      value: this.table.tableName,
      description: 'The inquiries table of this stack',
    });

    const queues = {} as Record<QueueName, Queue>;
    const deadLetterQueues = {} as Record<QueueName, Queue>;
    const common = {
      // SQS's most, 1 MiB, said outright rather than left to the default, which was 256 KiB until 2025:
      // ingest queues events of up to 256 KiB as they came and trims larger ones well below this.
      // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
      maxMessageSizeBytes: 1024 * 1024,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      removalPolicy,
    };
    for (const [name, spec] of Object.entries(QUEUES) as [QueueName, (typeof QUEUES)[QueueName]][]) {
      deadLetterQueues[name] = new Queue(this, `${pascal(deadLetterName(spec))}`, {
        ...common,
        retentionPeriod: Duration.days(DEAD_LETTER_RETENTION_DAYS),
      });
      queues[name] = new Queue(this, pascal(spec.logicalName), {
        ...common,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(QUEUE_RETENTION_DAYS),
        deadLetterQueue: { queue: deadLetterQueues[name], maxReceiveCount: spec.maxReceiveCount },
      });
      // What npm run dlq:replay is given: the queues' names are generated.
      new CfnOutput(this, `${pascal(name)}QueueUrl`, {
        value: queues[name].queueUrl,
        description: `The ${name} queue`,
      });
      new CfnOutput(this, `${pascal(name)}DeadLetterQueueUrl`, {
        value: deadLetterQueues[name].queueUrl,
        description: `The ${name} queue's dead letters (alarm ${name}DeadLetters)`,
      });
    }
    this.queues = queues;
    this.deadLetterQueues = deadLetterQueues;

    // As the queues' own: encrypted with the data key, kept 14 days (a letter is the only record of why a
    // scheduled run did not happen, and must outlast a long holiday), retained with the data.
    const scheduleDeadLetterQueues = {} as Record<ScheduledName, Queue>;
    for (const [name, spec] of Object.entries(SCHEDULE_DEAD_LETTERS) as [
      ScheduledName,
      (typeof SCHEDULE_DEAD_LETTERS)[ScheduledName],
    ][]) {
      const queue = new Queue(this, pascal(spec.logicalName), {
        ...common,
        retentionPeriod: Duration.days(DEAD_LETTER_RETENTION_DAYS),
      });
      Validations.of(queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `The dead-letter queue of the ${name}'s schedule (EventBridge Scheduler's, not an SQS redrive's).`,
      });
      new CfnOutput(this, `${pascal(name)}ScheduleDeadLetterQueueUrl`, {
        value: queue.queueUrl,
        description: `The runs of the ${name} that did not happen (alarm ${pascal(name)}ScheduleDeadLetters)`,
      });
      scheduleDeadLetterQueues[name] = queue;
    }
    this.scheduleDeadLetterQueues = scheduleDeadLetterQueues;

    this.operators = new OperatorAccounts(this, 'OperatorAccounts', {
      stage: props.stage,
      departments: props.departments,
      mail: props.operatorMail,
      removalPolicy,
      deletionProtection: keep,
    });
  }
}

const pascal = (name: string) =>
  name
    .split(/[-_]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
