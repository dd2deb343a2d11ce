import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readConfigFile } from '../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import type { AppConfig } from '../lambdas/domain/config/schema.js';
import { QUEUES, type QueueName } from '../lib/resources.js';
import {
  createInquiryTable,
  createQueues,
  type EmulatorPorts,
  type Emulators,
  LOCAL_AWS,
  localDynamoClient,
  localSqsClient,
  type QueueUrls,
  startEmulators,
} from './emulators.js';
import { type HttpHandler, type LocalHttpServer, startHttpServer } from './http-server.js';
import { type SqsHandler, SqsPoller } from './sqs-poller.js';

export interface LocalRuntimeOptions extends EmulatorPorts {
  /** HTTP port; 0 picks a free one. */
  port: number;
  configFile: string;
  secretsFile: string;
  /** Seconds before a failed message is retried (see SqsPoller). */
  retryDelaySeconds?: number;
  /** Powertools log level of the functions: INFO shows each step, SILENT nothing. */
  logLevel?: string;
  onError?: (error: unknown) => void;
}

export interface LocalRuntime {
  url: string;
  config: AppConfig;
  emulators: Emulators;
  queues: QueueUrls;
  tableName: string;
  inquiries: DynamoInquiryRepository;
  pollers: Record<QueueName, SqsPoller>;
  stop(): Promise<void>;
}

const TABLE_NAME = 'local-inquiries';
const QUEUE_PREFIX = 'local';

/**
 * The whole pipeline on one machine: the emulators, the table and queues of lib/resources.ts, the functions'
 * own handlers behind a local HTTP server and SQS pollers. Handlers read their environment when first
 * imported, so one process holds one runtime.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  // Validate before starting anything: a bad configuration stops here with the list of its problems.
  const config = readConfigFile(options.configFile);
  // Locally we run on Node 20 (Lambda runs 22): the SDK's reminder about that would only be noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const onError = options.onError ?? ((error: unknown) => console.error(error));
  const emulators = await startEmulators(options);
  try {
    const sqs = localSqsClient(emulators.sqsEndpoint);
    const dynamo = localDynamoClient(emulators.dynamoEndpoint);
    await createInquiryTable(dynamo, TABLE_NAME);
    const queues = await createQueues(sqs, QUEUE_PREFIX);

    Object.assign(process.env, {
      AWS_REGION: LOCAL_AWS.region,
      AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
      AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoEndpoint,
      TABLE_NAME,
      EVENTS_QUEUE_URL: queues.events.url,
      ROUTING_QUEUE_URL: queues.routing.url,
      CONFIG_FILE: options.configFile,
      LOCAL_SECRETS_FILE: options.secretsFile,
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
    });
    const ingest = (await import('../lambdas/ingest/handler.js')).handler as unknown as HttpHandler;
    const consumers: Record<QueueName, SqsHandler> = {
      events: (await import('../lambdas/classifier/handler.js')).handler as unknown as SqsHandler,
      routing: (await import('../lambdas/router/handler.js')).handler as unknown as SqsHandler,
    };

    const inquiries = new DynamoInquiryRepository(
      DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
      TABLE_NAME,
    );
    const pollers = {} as Record<QueueName, SqsPoller>;
    for (const name of Object.keys(QUEUES) as QueueName[]) {
      const attributes = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queues[name].url, AttributeNames: ['QueueArn'] }),
      );
      pollers[name] = new SqsPoller({
        name,
        client: sqs,
        queueUrl: queues[name].url,
        queueArn: attributes.Attributes?.QueueArn ?? name,
        spec: QUEUES[name],
        handler: consumers[name],
        retryDelaySeconds: options.retryDelaySeconds ?? 2,
        onError,
      });
      pollers[name].start();
    }

    let http: LocalHttpServer;
    try {
      http = await startHttpServer({
        port: options.port,
        functions: { '/vk/callback': ingest },
        json: async ({ method, path }) => {
          if (method !== 'GET') return undefined;
          if (path === '/health') return { status: 200, body: { status: 'ok' } };
          if (path === '/api/inquiries') return { status: 200, body: await inquiries.listAll() };
          const match = /^\/api\/inquiries\/([\w-]+)$/.exec(path);
          if (match?.[1]) {
            const found = await inquiries.get(match[1]);
            return found
              ? { status: 200, body: found }
              : { status: 404, body: { message: 'no such inquiry' } };
          }
          return undefined;
        },
        onError,
      });
    } catch (error) {
      await Promise.all(Object.values(pollers).map((poller) => poller.stop()));
      throw error;
    }

    return {
      url: http.url,
      config,
      emulators,
      queues,
      tableName: TABLE_NAME,
      inquiries,
      pollers,
      stop: async () => {
        await http.close();
        await Promise.all(Object.values(pollers).map((poller) => poller.stop()));
        await emulators.stop();
      },
    };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}
