import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
import {
  DEAD_LETTER_RETENTION_DAYS,
  deadLetterName,
  INQUIRY_TABLE,
  QUEUES,
  type QueueName,
} from '../lib/resources.js';

/** Credentials and region the emulators accept; nothing here reaches AWS. */
export const LOCAL_AWS = { region: 'eu-central-1', accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface Emulators {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  stopDynamo(): Promise<void>;
  stopSqs(): Promise<void>;
  /** Starts SQS again on the same port after stopSqs (queues and messages start empty). */
  restartSqs(): Promise<void>;
  stop(): Promise<void>;
}

export interface EmulatorPorts {
  dynamoPort?: number;
  sqsPort?: number;
}

/** dynalite (DynamoDB) and fauxqs (SQS), in this process, on 127.0.0.1 only. */
export async function startEmulators(ports: EmulatorPorts = {}): Promise<Emulators> {
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(ports.dynamoPort ?? 0, '127.0.0.1', () => resolve());
  });
  const dynamoPort = (dynamo.address() as AddressInfo).port;
  let sqs = await startFauxqs({ port: ports.sqsPort ?? 0, host: '127.0.0.1', logger: false });
  const sqsPort = sqs.port;
  let sqsRunning = true;

  const stopDynamo = () => new Promise<void>((resolve) => dynamo.close(() => resolve()));
  const stopSqs = async () => {
    if (sqsRunning) await sqs.stop();
    sqsRunning = false;
  };
  return {
    dynamoEndpoint: `http://127.0.0.1:${dynamoPort}`,
    sqsEndpoint: `http://127.0.0.1:${sqsPort}`,
    stopDynamo,
    stopSqs,
    restartSqs: async () => {
      sqs = await startFauxqs({ port: sqsPort, host: '127.0.0.1', logger: false });
      sqsRunning = true;
    },
    stop: async () => {
      await Promise.all([stopSqs(), stopDynamo().catch(() => undefined)]);
    },
  };
}

export type EmulatorCommand = 'stopDynamo' | 'stopSqs' | 'restartSqs' | 'stop';

/**
 * The same emulators in a child process (local/emulator-process.ts): they get a core of their own instead of
 * sharing the functions' event loop, and survive a consumer process being killed.
 */
export async function startEmulatorsInChildProcess(ports: EmulatorPorts = {}): Promise<Emulators> {
  const child = fork(new URL('./emulator-process.ts', import.meta.url).pathname, [], {
    // dynalite encodes and decodes every item as JSON: larger semi-spaces (64 MiB) let most of that garbage
    // die young, and took about a tenth off the emulators' CPU under the pipeline benchmark.
    // https://nodejs.org/api/cli.html#--max-semi-space-sizesize-in-mib
    execArgv: ['--max-semi-space-size=64', '--import', 'tsx'],
    env: { ...process.env, EMULATOR_PORTS: JSON.stringify(ports) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const endpoints = await new Promise<{ dynamoEndpoint: string; sqsEndpoint: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`the emulator process ended (${code}) before it was ready`)),
    );
    child.once('message', (message) => resolve((message as { ready: typeof endpoints }).ready));
  });
  child.removeAllListeners('exit');
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const run = (command: EmulatorCommand) =>
    new Promise<void>((resolve, reject) => {
      if (child.exitCode !== null || !child.connected) return resolve();
      const id = nextId++;
      const onReply = (message: { id?: number; error?: string }) => {
        if (message.id !== id) return;
        child.off('message', onReply);
        if (message.error) reject(new Error(message.error));
        else resolve();
      };
      child.on('message', onReply);
      child.send({ id, command });
    });
  return {
    ...endpoints,
    stopDynamo: () => run('stopDynamo'),
    stopSqs: () => run('stopSqs'),
    restartSqs: () => run('restartSqs'),
    stop: async () => {
      await run('stop').catch(() => child.kill('SIGKILL'));
      await exited;
    },
  };
}

/** Where the local runtime finds its emulators: in its own process, in a child process, or running elsewhere. */
export type EmulatorPlacement =
  | 'in-process'
  | 'child-process'
  | { dynamoEndpoint: string; sqsEndpoint: string };

export async function openEmulators(placement: EmulatorPlacement, ports: EmulatorPorts): Promise<Emulators> {
  if (placement === 'in-process') return startEmulators(ports);
  if (placement === 'child-process') return startEmulatorsInChildProcess(ports);
  // Someone else's emulators: they start and stop them.
  const notOurs = async () => {
    throw new Error('the emulators run elsewhere: stop or restart them where they were started');
  };
  return { ...placement, stopDynamo: notOurs, stopSqs: notOurs, restartSqs: notOurs, stop: async () => {} };
}

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: LOCAL_AWS.region,
  credentials: { accessKeyId: LOCAL_AWS.accessKeyId, secretAccessKey: LOCAL_AWS.secretAccessKey },
});

export const localSqsClient = (endpoint: string) =>
  new SQSClient({ ...clientConfig(endpoint), useQueueUrlAsEndpoint: false });
export const localDynamoClient = (endpoint: string) => new DynamoDBClient(clientConfig(endpoint));

/** Creates the inquiry table, as lib/resources.ts describes it, under the given name. */
export async function createInquiryTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { partitionKey, sortKey, indexes } = INQUIRY_TABLE;
  const keyNames = [
    partitionKey,
    sortKey,
    ...Object.values(indexes).flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: Object.values(indexes).map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await waitUntilTableExists(
    { client, maxWaitTime: 30, minDelay: 0.1, maxDelay: 0.5 },
    { TableName: tableName },
  );
}

export type QueueUrls = Record<QueueName, { url: string; deadLetterUrl: string }>;

/** Creates every queue of lib/resources.ts with its dead-letter queue and redrive policy. */
export async function createQueues(client: SQSClient, prefix: string): Promise<QueueUrls> {
  const urls: Partial<QueueUrls> = {};
  for (const [name, spec] of Object.entries(QUEUES) as [QueueName, (typeof QUEUES)[QueueName]][]) {
    const deadLetter = await client.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-${deadLetterName(spec)}`,
        Attributes: { MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_DAYS * 86_400) },
      }),
    );
    const deadLetterUrl = deadLetter.QueueUrl as string;
    const attributes = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }),
    );
    const queue = await client.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-${spec.logicalName}`,
        Attributes: {
          VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: attributes.Attributes?.QueueArn,
            maxReceiveCount: spec.maxReceiveCount,
          }),
        },
      }),
    );
    urls[name] = { url: queue.QueueUrl as string, deadLetterUrl };
  }
  return urls as QueueUrls;
}
