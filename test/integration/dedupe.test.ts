import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import { applyEvent, type InquiryEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import testConfig from '../fixtures/config/two-communities.json';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { callbackBody, fixture } from '../support/fixtures.js';
import { sqsEvent } from '../support/sqs-events.js';
import {
  callbackRequest,
  type HttpFunction,
  lambdaContext,
  pipelineHandlers,
  type SqsFunction,
} from './ingest-requests.js';

let aws: TestAws;
let ingest: HttpFunction;
let classifier: SqsFunction;
let router: SqsFunction;
let inquiries: DynamoInquiryRepository;

beforeAll(async () => {
  aws = await startTestAws();
  ({ ingest, classifier, router } = await pipelineHandlers());
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

describe('one citizen message makes one message of its inquiry, under whichever VK events it comes', () => {
  const HOUR_MS = 3_600_000;

  /** The same message (one id, one conversation_message_id) as VK sends it under each event_id. */
  async function routingMessagesOf(peerId: number, eventIds: string[]): Promise<string[]> {
    for (const eventId of eventIds) {
      const response = await ingest(
        callbackRequest(citizenMessage(peerId, { event_id: eventId })),
        lambdaContext,
      );
      expect(response).toMatchObject({ statusCode: 200, body: 'ok' });
    }
    const queued = await drainQueue(aws.sqs, aws.queues.events.url);
    expect((await classifier(sqsEvent(queued, `events-${peerId}`), lambdaContext)).batchItemFailures).toEqual(
      [],
    );
    const routed = await drainQueue(aws.sqs, aws.queues.routing.url);
    expect(routed).toHaveLength(eventIds.length);
    return routed;
  }

  async function route(bodies: string[], prefix: string): Promise<void> {
    const result = await router(sqsEvent(bodies, prefix), lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
  }

  /** The acknowledgements put on the outbox, by the inquiries they are for, taken off it. */
  async function acknowledgements(): Promise<string[]> {
    const outbox = (await drainQueue(aws.sqs, aws.queues.outbox.url)).map((body) => JSON.parse(body));
    return outbox
      .filter((message) => message.purpose === 'acknowledgement')
      .map((message) => message.inquiryId);
  }

  /** The citizen's one inquiry, holding their message once, with its acknowledgements. */
  async function expectOneMessage(peerId: number) {
    const { all, messages } = await inquiriesOf(peerId);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ messageCount: 1, reopenCount: 0 });
    expect(messages).toHaveLength(1);
    return all[0] as Inquiry;
  }

  /** An operator's answer, and closing if asked, of the inquiry `hoursAgo` hours ago, as the operator API stores them. */
  async function settle(inquiry: Inquiry, how: 'answered' | 'closed', hoursAgo: number) {
    const calendar = parseAppConfig(testConfig, 'test').communities.find(
      (community) => community.groupId === inquiry.groupId,
    )?.calendar;
    if (!calendar) throw new Error(`no calendar for ${inquiry.groupId}`);
    const at = new Date(Date.now() - hoursAgo * HOUR_MS).toISOString();
    const context = { calendar, warnAtFraction: 0.8, now: new Date(at) };
    const answer: InquiryEvent = {
      type: 'final_answer',
      cause: `op:answer:${inquiry.id}`,
      at,
      operatorId: 9,
      text: 'Вывезли',
      via: 'console',
    };
    const close: InquiryEvent = {
      type: 'close',
      cause: `op:close:${inquiry.id}`,
      at,
      reason: 'done',
      operatorId: 9,
    };
    const events = how === 'closed' ? [answer, close] : [answer];
    let current = inquiry;
    for (const event of events) {
      const settled = applyEvent(current, event, context);
      if (settled.outcome !== 'changed') throw new Error(settled.outcome);
      await inquiries.update(settled.inquiry, current.version, settled.history);
      current = settled.inquiry;
    }
    expect(current.status).toBe(how);
    return current;
  }

  it('takes the message once when it comes under a second event_id later', async () => {
    const peerId = 7_000_101;
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    const [first = '', second = ''] = await routingMessagesOf(peerId, [
      'evt-first-server',
      'evt-second-server',
    ]);
    await route([first], 'first-server');
    await route([second], 'second-server');
    const inquiry = await expectOneMessage(peerId);
    expect(await acknowledgements()).toEqual([inquiry.id]);
  });

  it('takes the message once when both events are routed side by side', async () => {
    const peerId = 7_000_102;
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    const routed = await routingMessagesOf(peerId, ['evt-side-1', 'evt-side-2']);
    await route(routed, 'side-by-side');
    const inquiry = await expectOneMessage(peerId);
    expect(await acknowledgements()).toEqual([inquiry.id]);
  });

  it.each([
    ['answered an hour ago: it would reopen the inquiry', 7_000_103, 'answered', 1],
    ['closed an hour ago: it would reopen the inquiry', 7_000_104, 'closed', 1],
    [
      'answered four days ago, past reopenClosedWithinHours: it would open a second inquiry',
      7_000_105,
      'answered',
      96,
    ],
  ] as const)(
    'leaves the inquiry as it is when the message comes again after it was %s',
    async (_case, peerId, how, hoursAgo) => {
      await drainQueue(aws.sqs, aws.queues.outbox.url);
      const [first = '', second = ''] = await routingMessagesOf(peerId, [
        `evt-${peerId}-a`,
        `evt-${peerId}-b`,
      ]);
      await route([first], `settled-${peerId}-a`);
      const [opened] = (await inquiriesOf(peerId)).all;
      if (!opened) throw new Error('no inquiry');
      expect(await acknowledgements()).toEqual([opened.id]);
      await settle(opened, how, hoursAgo);
      // As stored: the repository adds what it keeps beside the domain's fields (who has had it).
      const settled = await expectOneMessage(peerId);

      await route([second], `settled-${peerId}-b`);
      const inquiry = await expectOneMessage(peerId);
      expect(inquiry).toEqual(settled);
      expect(await acknowledgements()).toEqual([]);
    },
  );
});
