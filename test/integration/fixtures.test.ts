import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RoutingMessage } from '../../lambdas/domain/messages.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import {
  allFixtureNames,
  DEMO_CONFIRMATION,
  fixture,
  recordedCallbackBody,
  TEST_CONFIG_FILE,
  TEST_SECRETS_FILE,
} from '../support/fixtures.js';
import { sqsEvent } from '../support/sqs-events.js';
import { EXPECTED, type Expected } from './fixtures-expected.js';
import { callbackRequest, type HttpFunction, lambdaContext, type SqsFunction } from './ingest-requests.js';

let aws: TestAws;
let ingest: HttpFunction;
let classifier: SqsFunction;
/** The counts the classifier wrote in CloudWatch's embedded metric format, by metric name. */
const metricLines: string[] = [];

beforeAll(async () => {
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
    if (!String(chunk).includes('"CloudWatchMetrics"')) return write(chunk, ...(rest as []));
    metricLines.push(String(chunk));
    return true;
  });
  aws = await startTestAws();
  Object.assign(process.env, { CONFIG_FILE: TEST_CONFIG_FILE, LOCAL_SECRETS_FILE: TEST_SECRETS_FILE });
  ingest = (await import('../../lambdas/ingest/handler.js')).handler as unknown as HttpFunction;
  classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction;
});
afterAll(() => aws?.stop());

/** The routing message's part that the expectations name. */
function shapeOf(message: RoutingMessage): Record<string, unknown> {
  switch (message.kind) {
    case 'citizen_message': {
      const { channel, replyTo, messageRef } = message.message;
      return { kind: message.kind, channel, replyTo, messageRef };
    }
    case 'message_changed':
      return {
        kind: message.kind,
        change: message.change,
        channel: message.channel,
        messageRef: message.messageRef,
      };
    case 'messaging_permission':
      return { kind: message.kind, userId: message.userId, allowed: message.allowed };
    case 'operator_reply_in_vk':
      return {
        kind: message.kind,
        peerId: message.peerId,
        adminId: message.adminId,
        messageRef: message.messageRef,
      };
  }
}

describe('every recorded VK payload, through ingest and the classifier against fauxqs and dynalite', () => {
  it.each(allFixtureNames())('%s', async (name) => {
    const expected = EXPECTED[name] as Expected;
    const response = await ingest(callbackRequest(recordedCallbackBody(name)), lambdaContext);
    expect(response.headers?.['content-type']).toBe('text/plain; charset=utf-8');
    if (expected.kind === 'confirmation') {
      expect(response).toMatchObject({ statusCode: 200, body: DEMO_CONFIRMATION });
      expect(await drainQueue(aws.sqs, aws.queues.events.url)).toEqual([]);
      return;
    }
    expect(response).toMatchObject({ statusCode: 200, body: 'ok' });

    const queued = await drainQueue(aws.sqs, aws.queues.events.url);
    expect(queued).toHaveLength(1);
    const result = await classifier(sqsEvent(queued, name), lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
    const routed = (await drainQueue(aws.sqs, aws.queues.routing.url)).map(
      (body) => JSON.parse(body) as RoutingMessage,
    );
    if (expected.kind === 'own_words' || expected.kind === 'service') {
      expect(routed).toEqual([]);
      const type = String(fixture(name).type);
      const metric = expected.kind === 'own_words' ? `own_words.${type}` : type;
      expect(metricLines.at(-1)).toContain(`"Name":"${metric}"`);
    } else {
      expect(routed).toHaveLength(1);
      expect(JSON.parse(JSON.stringify(shapeOf(routed[0] as RoutingMessage)))).toEqual(expected);
    }
  });

  it('refuses the recorded payloads as they are, for communities this deployment does not serve', async () => {
    for (const name of ['01_confirmation__vksdk_test.json', '02_group_join__vk_docs_example.json']) {
      const response = await ingest(callbackRequest(fixture(name)), lambdaContext);
      expect(response.statusCode).toBe(403);
    }
    expect(await drainQueue(aws.sqs, aws.queues.events.url)).toEqual([]);
  });

  it('carries the citizen words, author, time and attachments of a message into the citizen message', async () => {
    const body = recordedCallbackBody('vknet/MessageNewTemplateTest.json', { event_id: 'template-words' });
    await ingest(callbackRequest(body), lambdaContext);
    await classifier(sqsEvent(await drainQueue(aws.sqs, aws.queues.events.url), 'template'), lambdaContext);
    const [routed] = (await drainQueue(aws.sqs, aws.queues.routing.url)).map(
      (body) => JSON.parse(body) as RoutingMessage,
    );
    expect(routed).toMatchObject({
      kind: 'citizen_message',
      message: {
        authorId: 123456789,
        text: 'f',
        sentAt: new Date(1572809816_000).toISOString(),
        attachments: [],
      },
    });
  });
});
