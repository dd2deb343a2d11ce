import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { classify } from '../../lambdas/adapters/classifier-model.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { toRoutingMessage } from '../../lambdas/classifier/classify-event.js';
import type { RoutingMessage } from '../../lambdas/domain/messages.js';
import { interpretVkEvent } from '../../lambdas/domain/vk/interpret.js';
import { WAITING_SINCE_ATTRIBUTE } from '../../lambdas/router/route-message.js';
import { drainQueue, queueContents, startTestAws, type TestAws } from './aws.js';
import { DEMO_GROUP_ID } from './fixtures.js';
import { localOperatorApi, type OperatorApiCall } from './operator-api.js';
import { sqsEvent } from './sqs-events.js';

export type Consumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** A Lambda context with time enough left for any batch. */
export const routerContext = {
  functionName: 'test',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as Context;

/**
 * The emulators, and the router's own handler wired to them through its environment, as AWS runs it; with a
 * document client and a repository of the same table, to set up and read what it did.
 */
export async function startRouterHandler(): Promise<{
  aws: TestAws;
  router: Consumer;
  documents: DynamoDBDocumentClient;
  repository: DynamoInquiryRepository;
}> {
  const aws = await startTestAws();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const router = (await import('../../lambdas/router/handler.js')).handler as unknown as Consumer;
  const documents = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { aws, router, documents, repository: new DynamoInquiryRepository(documents, aws.tableName) };
}

/**
 * The router's handler as startRouterHandler gives it, its outbox queue the emulators', and the operator API's
 * handler beside it (localOperatorApi): for a test where the citizen writes and an operator answers.
 */
export async function startRouterAndOperatorApi(): Promise<
  Awaited<ReturnType<typeof startRouterHandler>> & { call: OperatorApiCall }
> {
  const started = await startRouterHandler();
  process.env.OUTBOX_QUEUE_URL = started.aws.queues.outbox.url;
  return { ...started, call: await localOperatorApi() };
}

/**
 * A VK event of the demo community, of `type` with `object`, as the classifier hands it on to the router
 * (undefined for one it hands nothing of).
 */
export function handedOn(
  type: string,
  object: Record<string, unknown>,
  eventKey: string,
  receivedAt = new Date(),
): RoutingMessage | undefined {
  const event = { type, group_id: DEMO_GROUP_ID, object };
  const received = { eventKey, groupId: DEMO_GROUP_ID, type, receivedAt: receivedAt.toISOString(), event };
  return toRoutingMessage(received, interpretVkEvent(event), classify);
}

/**
 * A citizen's comment `id` under the demo community's post `postId`, written at `at`, in the thread of their
 * comment `thread` if given, as the classifier hands it on (its event key `<keyPrefix>-<citizen>-<id>`).
 */
export function wallCommentHandedOn(
  comment: { citizen: number; id: number; text: string; at: Date; thread?: number | undefined },
  postId: number,
  keyPrefix: string,
): RoutingMessage {
  const { citizen, id, text, at, thread } = comment;
  const object = {
    id,
    from_id: citizen,
    date: Math.floor(at.getTime() / 1000),
    text,
    post_owner_id: -DEMO_GROUP_ID,
    owner_id: -DEMO_GROUP_ID,
    post_id: postId,
    ...(thread !== undefined && {
      parents_stack: [thread],
      reply_to_comment: thread,
      reply_to_user: citizen,
    }),
  };
  const routed = handedOn('wall_reply_new', object, `${keyPrefix}-${citizen}-${id}`, at);
  if (!routed) throw new Error('the comment hands on nothing');
  return routed;
}

/**
 * Hands `messages` to the router in one batch, as SQS delivers them, marked as waiting since `waitingSince`
 * when they came back after waiting for their message (WAITING_SINCE_ATTRIBUTE).
 */
export const routeWaiting = (router: Consumer, messages: unknown[], waitingSince?: Date) =>
  router(
    sqsEvent(
      messages,
      `batch-${Date.now()}`,
      waitingSince ? { [WAITING_SINCE_ATTRIBUTE]: waitingSince.toISOString() } : {},
    ),
    routerContext,
  );

/**
 * What the router put back on the routing queue to wait, and its dead letters, each parsed and taken off its
 * queue.
 */
export async function routingQueuesTaken(aws: TestAws) {
  const waiting = (await queueContents(aws, aws.queues.routing.url)).map(({ body }) => JSON.parse(body));
  await drainQueue(aws.sqs, aws.queues.routing.url);
  const dead = (await drainQueue(aws.sqs, aws.queues.routing.deadLetterUrl)).map((body) => JSON.parse(body));
  return { waiting, dead };
}
