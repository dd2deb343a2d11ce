import { PurgeQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  createInquiryTable,
  createQueues,
  type Emulators,
  LOCAL_AWS,
  localDynamoClient,
  localSqsClient,
  type QueueUrls,
  startEmulators,
} from '../../local/emulators.js';

export interface TestAws {
  emulators: Emulators;
  sqs: SQSClient;
  queues: QueueUrls;
  tableName: string;
  dynamo: ReturnType<typeof localDynamoClient>;
  stop(): Promise<void>;
}

/**
 * Real dynalite and fauxqs for a test file, with the table and queues of lib/resources.ts, and the
 * environment the functions read set to them. Import handlers only after this has run.
 */
export async function startTestAws(): Promise<TestAws> {
  const emulators = await startEmulators();
  const sqs = localSqsClient(emulators.sqsEndpoint);
  const dynamo = localDynamoClient(emulators.dynamoEndpoint);
  const tableName = 'test-inquiries';
  await createInquiryTable(dynamo, tableName);
  const queues = await createQueues(sqs, 'test');
  Object.assign(process.env, {
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
    AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: tableName,
    EVENTS_QUEUE_URL: queues.events.url,
    ROUTING_QUEUE_URL: queues.routing.url,
    CONFIG_FILE: 'config/local.json',
    LOCAL_SECRETS_FILE: 'config/local.secrets.json',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  return { emulators, sqs, queues, tableName, dynamo, stop: () => emulators.stop() };
}

/** Everything waiting in a queue, removed from it. */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!received.Messages?.length) break;
    bodies.push(...received.Messages.map((message) => message.Body ?? ''));
  }
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
  return bodies;
}
