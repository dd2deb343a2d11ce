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
import { setFunctionEnvironment } from '../../local/runtime.js';

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
  // Unlike the local runtime, tests keep the metrics on: some of them read the counts the functions write.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'false';
  setFunctionEnvironment({
    dynamoEndpoint: emulators.dynamoEndpoint,
    sqsEndpoint: emulators.sqsEndpoint,
    tableName,
    queues,
    // No VK here: a test that sends replies starts the stand-in and points VK_API_BASE_URL at it.
    vkApiBaseUrl: 'http://127.0.0.1:9/method',
    configFile: 'config/local.json',
    secretsFile: 'config/local.secrets.json',
    logLevel: 'SILENT',
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

/**
 * What a queue holds, ready or delayed (fauxqs's inspection, which changes nothing): each message's body and
 * its string message attributes.
 */
export async function queueContents(
  aws: TestAws,
  queueUrl: string,
): Promise<{ body: string; attributes: Record<string, string> }[]> {
  type Held = { body: string; messageAttributes?: Record<string, { StringValue?: string }> };
  const name = queueUrl.slice(queueUrl.lastIndexOf('/') + 1);
  const response = await fetch(`${aws.emulators.sqsEndpoint}/_fauxqs/queues/${name}`);
  const { messages } = (await response.json()) as { messages: { ready: Held[]; delayed: Held[] } };
  return [...messages.ready, ...messages.delayed].map((message) => ({
    body: message.body,
    attributes: Object.fromEntries(
      Object.entries(message.messageAttributes ?? {}).map(([key, value]) => [key, value.StringValue ?? '']),
    ),
  }));
}

/**
 * Records in `calls` the name of every command a client sends, as the SDK names them below the document
 * client (`UpdateItemCommand`, `SendMessageBatchCommand`): what a test counts to see how many round trips
 * its code makes.
 */
export function recordCommands(
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types differ per client
  client: { middlewareStack: { add(middleware: any, options: { name: string; step: 'initialize' }): void } },
  calls: string[],
): void {
  client.middlewareStack.add(
    // biome-ignore lint/suspicious/noExplicitAny: as above
    (next: any, context: { commandName?: string }) => (args: unknown) => {
      calls.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { name: 'recordCommands', step: 'initialize' },
  );
}

/** The environment an ops command run as a process needs to reach this file's emulated table. */
export const opsCommandEnvironment = (aws: TestAws): Record<string, string> => ({
  AWS_ENDPOINT_URL_DYNAMODB: aws.emulators.dynamoEndpoint,
  AWS_REGION: LOCAL_AWS.region,
  AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
});
