import { Aws, Duration, Names, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

/**
 * The data key encrypts the citizens' data (the table, the queues, the deadline topic) and its key policy
 * leaves its use to IAM: a role may use it only through the service that holds the data, and only for the
 * table, queue or topic it was granted (the encryption context each service sends), never call KMS on it
 * itself (no kms:Decrypt of what it could read otherwise, from a function that faces the internet, say).
 * Every grant on the key goes through here; CDK's own grants on an encrypted table, queue or topic add
 * unconditioned ones, so none of them is used on these resources.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
function grantDataKeyVia(
  grantee: IGrantable,
  key: IKey,
  service: 'dynamodb' | 'sns' | 'sqs',
  actions: string[],
  encryptionContext: Record<string, string> = {},
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions,
      resources: [key.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': `${service}.${Stack.of(key).region}.amazonaws.com`,
          ...encryptionContext,
        },
      },
    }),
  );
}

/**
 * DynamoDB uses the table's key for the caller's reads and writes of it (its cached table key). Only for the
 * inquiry table of this account: DynamoDB names the table and the account in the encryption context of every
 * KMS call it makes, so the grant reaches no other table the key might encrypt.
 * https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html#dynamodb-encryption-context
 */
export function grantTableEncryption(grantee: IGrantable, key: IKey, table: ITableV2): void {
  grantDataKeyVia(grantee, key, 'dynamodb', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], {
    'kms:EncryptionContext:aws:dynamodb:tableName': table.tableName,
    'kms:EncryptionContext:aws:dynamodb:subscriberId': Aws.ACCOUNT_ID,
  });
}

/**
 * A publisher to a topic encrypted with our key: SNS asks KMS for a data key, and may decrypt one it reused,
 * on the publisher's behalf. Only for this topic: SNS names the topic's ARN in the encryption context.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
 * https://docs.aws.amazon.com/sns/latest/dg/sns-enable-encryption-for-topic.html
 */
export function grantTopicEncryption(grantee: IGrantable, key: IKey, topic: ITopic): void {
  grantDataKeyVia(grantee, key, 'sns', ['kms:GenerateDataKey', 'kms:Decrypt'], {
    'kms:EncryptionContext:aws:sns:topicArn': topic.topicArn,
  });
}

/**
 * What a sender to a queue encrypted with our key needs of the key: SQS asks KMS for a data key, and may
 * decrypt one it reused, on the sender's behalf (a receiver needs the decrypt alone). Only through SQS in the
 * stack's region, and only for this queue (SQS names the queue's ARN in the encryption context), not the
 * key's other uses (the table, the topic, the other queues).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
 */
export function grantQueueEncryption(
  grantee: IGrantable,
  queue: IQueue,
  key: IKey,
  actions: string[] = ['kms:GenerateDataKey', 'kms:Decrypt'],
): void {
  grantDataKeyVia(grantee, key, 'sqs', actions, { 'kms:EncryptionContext:aws:sqs:arn': queue.queueArn });
}

/** May send to the queue, encrypted with our key. */
export function grantSend(grantee: IGrantable, queue: IQueue, key: IKey): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
  grantQueueEncryption(grantee, queue, key);
}

/**
 * An SQS event source that reports partial batch failures, so that only failed messages are retried: what
 * aws-lambda-event-sources' SqsEventSource makes, under the same id (a new id would replace the mapping), but
 * its read of the messages encrypted with our key only through SQS, for this queue. SqsEventSource would
 * also grant kms:Decrypt on the whole key, for any use.
 */
export function consumeQueue(
  fn: IFunction,
  queue: IQueue,
  key: IKey,
  spec: { batchSize: number; maxBatchingWindowSeconds: number; maxConcurrency?: number },
): void {
  fn.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(queue.node)}`, {
    eventSourceArn: queue.queueArn,
    batchSize: spec.batchSize,
    maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowSeconds),
    reportBatchItemFailures: true,
    // A flood of events queues up instead of taking the account's whole concurrency.
    maxConcurrency: spec.maxConcurrency,
  });
  // Lambda's poller receives and deletes the messages and reads the queue's attributes with the function's
  // role, and needs nothing else (SqsEventSource would add sqs:ChangeMessageVisibility and sqs:GetQueueUrl,
  // which neither it nor the functions call: a function that puts a message off grants it itself).
  // https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
  queue.grant(fn, 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes');
  grantQueueEncryption(fn, queue, key, ['kms:Decrypt']);
}
