import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { readConfigFile } from '../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../lambdas/adapters/inquiry-table.js';
import { metricsNamespace } from '../lambdas/adapters/metrics.js';
import { recordingNotifier } from '../lambdas/adapters/notifier.js';
import type { AppConfig } from '../lambdas/domain/config/schema.js';
import type { Clock, DeadlineDigest } from '../lambdas/domain/ports.js';
import type { EscalationRun } from '../lambdas/escalator/escalate.js';
import type { RetentionRun } from '../lambdas/retention/sweep.js';
import { ESCALATOR, QUEUES, type QueueName, RETENTION } from '../lib/resources.js';
import { localOperatorApi, startLocalVk } from './answering.js';
import { failingAfterTimeout } from './calls-after-timeout.js';
import {
  createInquiryTable,
  createQueues,
  type EmulatorPlacement,
  type EmulatorPorts,
  type Emulators,
  LOCAL_AWS,
  localDynamoClient,
  localSqsClient,
  openEmulators,
  type QueueUrls,
} from './emulators.js';
import { ExecutionEnvironment } from './execution-environment.js';
import { freshModulesByTag, taggedWith } from './fresh-modules.js';
import { inEnvironment, ingestFunction } from './http-functions.js';
import { type HttpHandler, type LocalHttpServer, startHttpServer } from './http-server.js';
import { scheduledRuns } from './invocation.js';
import { checkLocalSecrets } from './secrets-check.js';
import { type SqsHandler, SqsPoller, STARTING_BATCHES } from './sqs-poller.js';
import type { VkStandIn } from './vk-stand-in.js';

/** lib/constructs/callback-endpoint.ts's CALLBACK_PATH (not imported: it would load the CDK into the runtime). */
const VK_CALLBACK_PATH = '/vk/callback';

export interface LocalRuntimeOptions extends EmulatorPorts {
  /** HTTP port; 0 picks a free one. */
  port: number;
  configFile: string;
  secretsFile: string;
  /** Seconds before a failed message is retried (see SqsPoller); a message the responder defers keeps its delay. */
  retryDelaySeconds?: number;
  /** Powertools log level of the functions: INFO shows each step, SILENT nothing. */
  logLevel?: string;
  /**
   * How often the escalator runs, in milliseconds, as EventBridge Scheduler runs it in AWS (default 60 000;
   * 0: never on its own, only through `escalator.runOnce()`).
   */
  escalatorIntervalMs?: number;
  /**
   * How often the retention sweep runs, in milliseconds, as EventBridge Scheduler runs it nightly in AWS
   * (default a day; 0: never on its own, only through `retention.runOnce()`).
   */
  retentionIntervalMs?: number;
  /**
   * The clock of the escalator and the retention sweep: a MovableClock lets a test or a demo jump past a
   * deadline, or past the retention period. Default: the system's.
   */
  clock?: Clock;
  /** Print a line for each deadline digest (the stand-in for the SNS topic) to stdout: ids, never words. */
  printNotifications?: boolean;
  onError?: (error: unknown) => void;
  /** The VK API the responder calls (default: a stand-in VK started with the runtime, see `vk`). */
  vkApiBaseUrl?: string;
  /**
   * Where dynalite and fauxqs run (default: in this process). In a child process they get a core of their
   * own; given as endpoints, they are someone else's and are left running on stop.
   */
  emulatorsAt?: EmulatorPlacement;
  /** Feed the queues to the consumers here (default); false when a worker process (local/worker.ts) does. */
  startConsumers?: boolean;
  /**
   * Batches each consumer handles at the same time to start with, never above the queue's maximum
   * concurrency of lib/resources.ts. Default: as Lambda's event source starts, five (STARTING_BATCHES) or
   * the queue's maximum if lower.
   */
  consumerConcurrency?: number;
  /**
   * The most batches each consumer handles at the same time while its queue keeps receives full, never above
   * the queue's maximum concurrency: Lambda's scaling out under a sustained backlog (see SqsPoller). Default:
   * the queue's maximum concurrency, as in AWS; `consumerConcurrency` (no scaling) when that is given.
   */
  consumerMaxConcurrency?: number;
  /**
   * How long a batch a consumer took stays invisible (default: each queue's own). A batch whose consumer died
   * comes back only after it: the fault tests shorten it. Unlike Lambda, which refuses an event source whose
   * queue hides a batch for less than the function's timeout, this takes any: a batch slower than it then goes
   * to a second consumer while the first still runs.
   */
  visibilityTimeoutSeconds?: number;
  /** Told when a consumer is handed a batch and when the batch has been settled (see SqsPoller). */
  onBatch?: (queue: QueueName, stage: 'start' | 'end', size: number) => void;
}

/** What the consumers need to run, here or in a worker process (local/worker.ts). */
export type ConsumerOptions = Pick<
  LocalRuntimeOptions,
  | 'retryDelaySeconds'
  | 'consumerConcurrency'
  | 'consumerMaxConcurrency'
  | 'visibilityTimeoutSeconds'
  | 'onBatch'
  | 'onError'
>;

/** Where the functions find the emulators, table, queues, VK and configuration: their Lambda environment. */
export interface FunctionEnvironment {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  queues: QueueUrls;
  vkApiBaseUrl: string;
  configFile: string;
  secretsFile: string;
  logLevel: string;
}

export interface LocalRuntime {
  url: string;
  config: AppConfig;
  emulators: Emulators;
  queues: QueueUrls;
  tableName: string;
  inquiries: DynamoInquiryRepository;
  pollers: Record<QueueName, SqsPoller>;
  escalator: { runOnce(): Promise<EscalationRun> };
  /** The retention sweep: deletes the finished inquiries past `retention.closedInquiryDays`. */
  retention: { runOnce(): Promise<RetentionRun> };
  /** The deadline digests the escalator would have published to the SNS topic, oldest first. */
  notifications: DeadlineDigest[];
  /** The stand-in VK API the responder answers citizens through (absent when `vkApiBaseUrl` was given). */
  vk?: VkStandIn;
  /** The functions' environment: what a worker process (local/worker.ts) needs to consume the same queues. */
  functionEnvironment: FunctionEnvironment;
  stop(): Promise<void>;
}

/** A clock that can be moved forward: to see the escalator act without waiting hours. */
export class MovableClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }
}

const TABLE_NAME = 'local-inquiries';
const QUEUE_PREFIX = 'local';

/**
 * Points the functions of this process at the emulators, as Lambda's environment points them at AWS. The
 * handlers read it when first imported: set it before importing any of them.
 */
export function setFunctionEnvironment(env: FunctionEnvironment): void {
  Object.assign(process.env, {
    // Locally we run on Node 20 (Lambda runs 22): the SDK's reminder about that would only be noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
    AWS_ENDPOINT_URL_SQS: env.sqsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: env.dynamoEndpoint,
    TABLE_NAME: env.tableName,
    EVENTS_QUEUE_URL: env.queues.events.url,
    ROUTING_QUEUE_URL: env.queues.routing.url,
    ROUTING_DEAD_LETTER_QUEUE_URL: env.queues.routing.deadLetterUrl,
    OUTBOX_QUEUE_URL: env.queues.outbox.url,
    ANSWERS_QUEUE_URL: env.queues.answers.url,
    VK_API_BASE_URL: env.vkApiBaseUrl,
    CONFIG_FILE: env.configFile,
    LOCAL_SECRETS_FILE: env.secretsFile,
    POWERTOOLS_LOG_LEVEL: env.logLevel,
    // CloudWatch metrics (embedded metric format lines) only mean something in AWS.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    // As the stack gives each stage's functions theirs: tests that keep the metrics on read them in it.
    POWERTOOLS_METRICS_NAMESPACE: process.env.POWERTOOLS_METRICS_NAMESPACE ?? metricsNamespace('local'),
  });
}

/**
 * Consumers that give a message they defer its own delay: the responder backs off (10 s, 20 s, 40 s…, an
 * hour for a refused token) with ChangeMessageVisibility. Lambda leaves that delay as it is; so does the
 * poller, instead of shortening it to the local retry delay (which would spend a message's twenty receives
 * within seconds while VK is down). Its other failures come back after the visibility timeout, as in AWS.
 */
const SETS_OWN_RETRY_DELAY: ReadonlySet<QueueName> = new Set(['outbox', 'answers']);

/**
 * The SQS consumers (classifier, router, responder: the last on the outbox and the answers queue), each behind a poller that feeds it its queue as Lambda's
 * event source mapping does; not started. Call setFunctionEnvironment first.
 */
export async function createConsumerPollers(
  sqs: SQSClient,
  queues: QueueUrls,
  options: ConsumerOptions,
): Promise<Record<QueueName, SqsPoller>> {
  freshModulesByTag();
  // One execution environment per function (Lambda keeps one per concurrent invocation: see the README's
  // "Where the local runtime's execution environments still differ"): the responder's serves both its event
  // sources.
  const consumer = async (functionName: string, handlerModule: string) => {
    const environment = new ExecutionEnvironment(
      functionName,
      async (generation) =>
        (await import(taggedWith(new URL(handlerModule, import.meta.url).href, generation)))
          .handler as unknown as SqsHandler,
    );
    await environment.start();
    return {
      functionName,
      handler: ((event, context) => environment.invoke(event, context)) as SqsHandler,
      onTimeout: () => environment.reset(),
    };
  };
  const responder = await consumer('responder', '../lambdas/responder/handler.js');
  // Each named as the function it is (as ingest, the operator API, the escalator and the retention sweep are),
  // not after its queue: its context and so its log lines (Powertools' `function_name`) name the function.
  const consumers: Record<QueueName, Awaited<ReturnType<typeof consumer>>> = {
    events: await consumer('classifier', '../lambdas/classifier/handler.js'),
    routing: await consumer('router', '../lambdas/router/handler.js'),
    // One responder, two pollers, as in AWS one function has two event sources: the operators' answers are
    // not behind the acknowledgements.
    outbox: responder,
    answers: responder,
  };
  const pollers = {} as Record<QueueName, SqsPoller>;
  const mostOf = (name: QueueName): number => QUEUES[name].maxConcurrency ?? Number.POSITIVE_INFINITY;
  for (const name of Object.keys(QUEUES) as QueueName[]) {
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queues[name].url, AttributeNames: ['QueueArn'] }),
    );
    const { onBatch } = options;
    pollers[name] = new SqsPoller({
      name: consumers[name].functionName,
      client: sqs,
      queueUrl: queues[name].url,
      queueArn: attributes.Attributes?.QueueArn ?? name,
      spec: QUEUES[name],
      handler: consumers[name].handler,
      onTimeout: consumers[name].onTimeout,
      ...(!SETS_OWN_RETRY_DELAY.has(name) && { retryDelaySeconds: options.retryDelaySeconds ?? 2 }),
      ...(options.visibilityTimeoutSeconds !== undefined && {
        visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      }),
      // As the event source mapping runs it in AWS, and never more than its maximum concurrency
      // (lib/resources.ts): several batches at a time, as they may be in AWS, meet in the table as they do there.
      concurrency: Math.min(options.consumerConcurrency ?? STARTING_BATCHES, mostOf(name)),
      maxConcurrency: Math.min(
        options.consumerMaxConcurrency ?? options.consumerConcurrency ?? mostOf(name),
        mostOf(name),
      ),
      ...(onBatch && { onBatch: (stage, size) => onBatch(name, stage, size) }),
      ...(options.onError && { onError: options.onError }),
    });
  }
  return pollers;
}

/**
 * The whole pipeline on one machine: the emulators, the table and queues of lib/resources.ts, the functions'
 * own handlers behind a local HTTP server and SQS pollers. Handlers read their environment when first
 * imported, so one process holds one runtime.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  // Validate before starting anything: a bad configuration stops here with the list of its problems, a
  // secrets file that cannot be read or lacks a value the runtime needs with what is wrong.
  const config = readConfigFile(options.configFile);
  await checkLocalSecrets(config, options.secretsFile);
  const onError = options.onError ?? ((error: unknown) => console.error(error));
  const emulators = await openEmulators(options.emulatorsAt ?? 'in-process', options);
  try {
    const sqs = localSqsClient(emulators.sqsEndpoint);
    const dynamo = localDynamoClient(emulators.dynamoEndpoint);
    await createInquiryTable(dynamo, TABLE_NAME);
    const queues = await createQueues(sqs, QUEUE_PREFIX);
    const vk = await startLocalVk(config, options.secretsFile, options.vkApiBaseUrl);

    const functionEnvironment: FunctionEnvironment = {
      dynamoEndpoint: emulators.dynamoEndpoint,
      sqsEndpoint: emulators.sqsEndpoint,
      tableName: TABLE_NAME,
      queues,
      vkApiBaseUrl: vk.baseUrl,
      configFile: options.configFile,
      secretsFile: options.secretsFile,
      logLevel: options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
    };
    setFunctionEnvironment(functionEnvironment);
    freshModulesByTag();
    const ingest = new ExecutionEnvironment(
      'ingest',
      async (generation) =>
        (await import(taggedWith(new URL('../lambdas/ingest/handler.js', import.meta.url).href, generation)))
          .handler as unknown as HttpHandler,
    );
    await ingest.start();

    const notifier = recordingNotifier(options.printNotifications ? (line) => console.log(line) : undefined);
    const clock = options.clock ?? { now: () => new Date() };
    const escalatorEnvironment = new ExecutionEnvironment('escalator', async (generation) => {
      const { createEscalatorHandler } = (await import(
        taggedWith(new URL('../lambdas/escalator/handler.js', import.meta.url).href, generation)
      )) as typeof import('../lambdas/escalator/handler.js');
      const handler = createEscalatorHandler({
        clock,
        notifier: { notify: failingAfterTimeout((digest) => notifier.notify(digest)) },
      });
      return (event: unknown, context: Context) => handler(event, context) as Promise<EscalationRun>;
    });
    await escalatorEnvironment.start();
    // One run at a time here, without waiting on the run lease (which lets a second run do nothing).
    const escalator = scheduledRuns(
      'escalator',
      ESCALATOR.timeoutSeconds,
      (context) => escalatorEnvironment.invoke({}, context),
      options.escalatorIntervalMs ?? 60_000,
      onError,
      () => escalatorEnvironment.reset(),
    );

    const retentionEnvironment = new ExecutionEnvironment('retention', async (generation) => {
      const { createRetentionHandler } = (await import(
        taggedWith(new URL('../lambdas/retention/handler.js', import.meta.url).href, generation)
      )) as typeof import('../lambdas/retention/handler.js');
      const handler = createRetentionHandler({ clock });
      return (event: unknown, context: Context) => handler(event, context) as Promise<RetentionRun>;
    });
    await retentionEnvironment.start();
    const retention = scheduledRuns(
      'retention',
      RETENTION.timeoutSeconds,
      (context) => retentionEnvironment.invoke({}, context),
      options.retentionIntervalMs ?? 24 * 60 * 60 * 1000,
      onError,
      () => retentionEnvironment.reset(),
    );

    const inquiries = new DynamoInquiryRepository(
      DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
      TABLE_NAME,
    );
    const pollers = await createConsumerPollers(sqs, queues, { ...options, onError });
    if (options.startConsumers !== false) for (const poller of Object.values(pollers)) poller.start();

    let http: LocalHttpServer;
    try {
      http = await startHttpServer({
        port: options.port,
        functions: {
          [VK_CALLBACK_PATH]: ingestFunction(inEnvironment(ingest)),
          ...(await localOperatorApi(config, options.secretsFile)),
        },
        tunnelPaths: [VK_CALLBACK_PATH],
        json: async ({ method, path }) => {
          if (method !== 'GET') return undefined;
          if (path === '/health') return { status: 200, body: { status: 'ok' } };
          if (path === '/api/inquiries') return { status: 200, body: await inquiries.listAll() };
          if (path === '/api/notifications') return { status: 200, body: notifier.sent };
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
      await Promise.all([escalator.stop(), retention.stop()]);
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
      escalator,
      retention,
      notifications: notifier.sent,
      ...(vk.standIn && { vk: vk.standIn }),
      functionEnvironment,
      stop: async () => {
        await escalator.stop();
        await retention.stop();
        await http.close();
        await Promise.all(Object.values(pollers).map((poller) => poller.stop()));
        await vk.stop();
        await emulators.stop();
      },
    };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}
