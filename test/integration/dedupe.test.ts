import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { callbackBody, fixture, TEST_CONFIG_FILE, TEST_SECRETS_FILE } from '../support/fixtures.js';
import { sqsEvent } from '../support/sqs-events.js';
import { callbackRequest, type HttpFunction, lambdaContext, type SqsFunction } from './ingest-requests.js';

let aws: TestAws;
let ingest: HttpFunction;
let classifier: SqsFunction;
let router: SqsFunction;
let inquiries: DynamoInquiryRepository;

beforeAll(async () => {
  aws = await startTestAws();
  Object.assign(process.env, {
    CONFIG_FILE: TEST_CONFIG_FILE,
    LOCAL_SECRETS_FILE: TEST_SECRETS_FILE,
    // Counts are checked in fixtures.test.ts; here they would only be noise.
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  ingest = (await import('../../lambdas/ingest/handler.js')).handler as unknown as HttpFunction;
  classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction;
  router = (await import('../../lambdas/router/handler.js')).handler as unknown as SqsFunction;
  inquiries = new DynamoInquiryRepository(DynamoDBDocumentClient.from(aws.dynamo), aws.tableName);
});
afterAll(() => aws?.stop());

/** A citizen's direct message in a dialogue of its own, so that no other test's inquiry can take it in. */
function citizenMessage(peerId: number, overrides: Record<string, unknown> = {}) {
  const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
  return callbackBody('03_message_new__vknet.json', {
    object: {
      message: {
        ...message,
        peer_id: peerId,
        from_id: peerId,
        conversation_message_id: 1,
        text: 'Во дворе дома 12 третий день не вывозят мусор, контейнеры переполнены',
      },
    },
    ...overrides,
  });
}

/** VK's first delivery and its five retries, each retry with the X-Retry-Counter VK sets on it. */
async function deliverSixTimes(body: Record<string, unknown>): Promise<void> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const headers: Record<string, string> = attempt > 0 ? { 'x-retry-counter': String(attempt) } : {};
    const response = await ingest(callbackRequest(body, { headers }), lambdaContext);
    expect(response).toMatchObject({ statusCode: 200, body: 'ok' });
  }
}

/** Feeds the events queue to the classifier, the first record once more as SQS may redeliver it. */
async function classifyAll(prefix: string): Promise<string[]> {
  const queued = await drainQueue(aws.sqs, aws.queues.events.url);
  expect(queued).toHaveLength(6);
  const [first = '', ...rest] = queued;
  for (const batch of [[first], rest, [first]]) {
    const result = await classifier(sqsEvent(batch, prefix), lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
  }
  return drainQueue(aws.sqs, aws.queues.routing.url);
}

async function inquiriesOf(authorId: number) {
  const all = (await inquiries.listAll()).filter((inquiry) => inquiry.authorId === authorId);
  const histories = await Promise.all(all.map((inquiry) => inquiries.get(inquiry.id)));
  const messages = histories
    .flatMap((found) => found?.history ?? [])
    .filter((entry) => entry.kind === 'message');
  return { all, messages };
}

describe('one VK event makes one citizen message, whatever arrives twice', () => {
  it.each([
    ['with event_id', 7_000_001, {}],
    [
      'without event_id (older traffic): the key comes from the event ids',
      7_000_002,
      { event_id: undefined },
    ],
  ])('six deliveries by VK and a redelivery by SQS, %s', async (_case, peerId, overrides) => {
    await deliverSixTimes(citizenMessage(peerId, overrides));
    const routed = await classifyAll(`peer-${peerId}`);
    expect(routed).toHaveLength(1);

    // The router gets its message twice too (SQS at least once): still one inquiry with one message.
    const result = await router(
      sqsEvent([routed[0] ?? '', routed[0] ?? ''], `route-${peerId}`),
      lambdaContext,
    );
    expect(result.batchItemFailures).toEqual([]);
    const { all, messages } = await inquiriesOf(peerId);
    expect(all).toHaveLength(1);
    expect(messages).toHaveLength(1);
  });

  it('keeps two different edits of one comment apart, and a retried edit one change', async () => {
    const edit = fixture('vknet/WallReplyEditTest.json');
    const object = edit.object as Record<string, unknown>;
    const first = { ...edit, secret: 'district-secret', event_id: undefined };
    const second = { ...first, object: { ...object, text: 'исправленный текст' } };
    for (const body of [first, first, second, second]) {
      const response = await ingest(callbackRequest(body), lambdaContext);
      expect(response).toMatchObject({ statusCode: 200, body: 'ok' });
    }
    const queued = await drainQueue(aws.sqs, aws.queues.events.url);
    await classifier(sqsEvent(queued, 'edits'), lambdaContext);
    const changes = (await drainQueue(aws.sqs, aws.queues.routing.url)).map((body) => JSON.parse(body));
    expect(changes.map((change) => [change.kind, change.text])).toEqual([
      ['message_changed', 'test1'],
      ['message_changed', 'исправленный текст'],
    ]);
  });
});
