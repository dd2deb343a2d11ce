import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import { receivedVkEventSchema } from '../../lambdas/domain/messages.js';
import type { ReceivedVkEvent } from '../../lambdas/domain/vk/envelope.js';
import { createCallbackAcceptor, MAX_BODY_BYTES } from '../../lambdas/ingest/accept-callback.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import {
  callbackBody,
  DEMO_GROUP_ID,
  DEMO_SECRET,
  DISTRICT_GROUP_ID,
  DISTRICT_SECRET,
  TEST_CONFIG_FILE,
  TEST_SECRETS_FILE,
} from '../support/fixtures.js';

/**
 * Hostile and malformed requests against the ingest handler: every one gets a documented status, nothing
 * throws or rejects unhandled, and only authenticated VK events reach the queue. The large run uses an
 * in-memory stand-in for SQS, for speed; a smaller run goes through the real handler against fauxqs.
 */

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode?: number; body?: string; headers?: Record<string, unknown> }>;

const DOCUMENTED = new Set([200, 400, 403, 405, 413, 503]);
const SECRETS: Record<number, string> = {
  [DEMO_GROUP_ID]: DEMO_SECRET,
  [DISTRICT_GROUP_ID]: DISTRICT_SECRET,
};
const context = {
  functionName: 'ingest',
  awsRequestId: 'property',
  getRemainingTimeInMillis: () => 5000,
} as Context;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

const valid = () => callbackBody('03_message_new__vknet.json');
const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A field of a valid envelope replaced by anything, or removed. */
const mutatedEnvelope = fc
  .record({
    field: fc.constantFrom('type', 'group_id', 'event_id', 'v', 'secret', 'object'),
    value: fc.oneof(fc.anything(), fc.constant(undefined), fc.string({ maxLength: 300 })),
  })
  .map(({ field, value }) => JSON.stringify({ ...valid(), [field]: value }));

const wrongCommunity = fc
  .record({
    groupId: fc.oneof(
      fc.constantFrom(DEMO_GROUP_ID, DISTRICT_GROUP_ID),
      fc.integer({ min: 1, max: 2 ** 31 }),
    ),
    secret: fc.oneof(
      fc.constantFrom(DEMO_SECRET, DISTRICT_SECRET, '', DEMO_SECRET.slice(1)),
      fc.string({ maxLength: 60 }),
    ),
    type: fc.constantFrom('message_new', 'confirmation', 'group_join', 'wall_reply_new'),
  })
  .map(({ groupId, secret, type }) => JSON.stringify({ ...valid(), type, group_id: groupId, secret }));

/** Authenticated events with objects of any shape: accepted, as VK's own would be (see accept-callback.ts). */
const authenticatedOddObject = fc
  .record({
    object: fc.anything({ maxDepth: 4 }),
    eventId: fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(undefined)),
  })
  .map(({ object, eventId }) => JSON.stringify({ ...valid(), object, event_id: eventId }));

const huge = fc
  .integer({ min: MAX_BODY_BYTES - 200, max: MAX_BODY_BYTES + 2000 })
  .map((size) => JSON.stringify({ ...valid(), pad: 'я'.repeat(Math.ceil(size / 2)) }));

// Bodies around the 4 MiB limit are rare among the others: each costs as much as a thousand small ones.
const body = fc.oneof(
  { arbitrary: fc.string({ maxLength: 500 }), weight: 30 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 20 },
  { arbitrary: fc.json({ maxDepth: 5 }), weight: 30 },
  { arbitrary: mutatedEnvelope, weight: 60 },
  { arbitrary: wrongCommunity, weight: 40 },
  { arbitrary: authenticatedOddObject, weight: 30 },
  { arbitrary: fc.integer({ min: 90, max: 5000 }).map(deep), weight: 10 },
  { arbitrary: huge, weight: 1 },
  { arbitrary: fc.constant(undefined), weight: 10 },
);

const request = fc.record({
  method: fc.oneof(
    { arbitrary: fc.constant('POST'), weight: 8 },
    { arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', ''), weight: 1 },
  ),
  body,
  base64: fc.boolean(),
  retryCounter: fc.option(fc.oneof(fc.integer({ min: 0, max: 6 }).map(String), fc.string({ maxLength: 20 }))),
});
type GeneratedRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

const toEvent = (generated: GeneratedRequest): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    headers: generated.retryCounter === null ? {} : { 'x-retry-counter': generated.retryCounter },
    requestContext: { http: { method: generated.method, path: '/vk/callback' } },
    body:
      generated.body === undefined || !generated.base64
        ? generated.body
        : Buffer.from(generated.body, 'utf8').toString('base64'),
    isBase64Encoded: generated.base64 && generated.body !== undefined,
  }) as unknown as APIGatewayProxyEventV2;

/** An oracle written apart from the handler: whether VK's protocol says this request is an event to store. */
function isAuthenticatedEvent(generated: GeneratedRequest): boolean {
  if (generated.method !== 'POST' || generated.body === undefined) return false;
  if (Buffer.byteLength(generated.body) > MAX_BODY_BYTES) return false;
  let json: unknown;
  try {
    json = JSON.parse(generated.body.replace(/^\uFEFF/, ''));
  } catch {
    return false;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const { type, group_id: groupId, secret, event_id: eventId, v } = json as Record<string, unknown>;
  const optional = (value: unknown, ok: (value: unknown) => boolean) => value === undefined || ok(value);
  return (
    typeof type === 'string' &&
    type.length >= 1 &&
    type.length <= 64 &&
    type !== 'confirmation' &&
    typeof groupId === 'number' &&
    SECRETS[groupId] !== undefined &&
    secret === SECRETS[groupId] &&
    optional(eventId, (id) => typeof id === 'number' || (typeof id === 'string' && id.length <= 128)) &&
    optional(v, (version) => typeof version === 'string' && version.length <= 16)
  );
}

async function checkHandler(handler: Handler, generated: GeneratedRequest) {
  const response = await handler(toEvent(generated), context);
  const status = response.statusCode ?? 0;
  expect(DOCUMENTED.has(status), `status ${status}`).toBe(true);
  expect(response.headers?.['content-type']).toBe('text/plain; charset=utf-8');
  const accepted = status === 200 && response.body === 'ok';
  expect(accepted).toBe(isAuthenticatedEvent(generated));
  if (status === 503) expect(Number(response.headers?.['retry-after'])).toBeGreaterThan(0);
  return accepted;
}

function checkQueued(queued: unknown[], acceptedCount: number) {
  expect(queued).toHaveLength(acceptedCount);
  for (const message of queued) {
    expect(receivedVkEventSchema.safeParse(message).success).toBe(true);
    const text = JSON.stringify(message);
    expect(text).not.toContain(DEMO_SECRET);
    expect(text).not.toContain(DISTRICT_SECRET);
  }
}

describe('ingest under hostile requests', () => {
  it('answers 10,000 generated requests with documented statuses and queues only authenticated events (in-memory queue)', async () => {
    const { createIngestHandler } = await import('../../lambdas/ingest/http-handler.js');
    const config = parseAppConfig(JSON.parse(readFileSync(TEST_CONFIG_FILE, 'utf8')), TEST_CONFIG_FILE);
    const secrets = JSON.parse(readFileSync(TEST_SECRETS_FILE, 'utf8')) as Record<string, string>;
    const queued: ReceivedVkEvent[] = [];
    const handler = createIngestHandler(
      createCallbackAcceptor({
        config,
        secrets: { get: async (name) => secrets[name] },
        // A copy through JSON, as SQS would hold it.
        queue: { send: async (message) => void queued.push(JSON.parse(JSON.stringify(message))) },
        clock: { now: () => new Date('2026-03-02T06:00:00Z') },
      }),
    ) as unknown as Handler;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        if (await checkHandler(handler, generated)) accepted++;
      }),
      { numRuns: 10_000 },
    );
    checkQueued(queued, accepted);
    expect(accepted).toBeGreaterThan(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });

  describe('through the real handler against fauxqs', () => {
    let aws: TestAws;
    beforeAll(async () => {
      aws = await startTestAws();
      Object.assign(process.env, { CONFIG_FILE: TEST_CONFIG_FILE, LOCAL_SECRETS_FILE: TEST_SECRETS_FILE });
    });
    afterAll(() => aws?.stop());

    it('answers 300 generated requests the same way, and the events queue holds exactly the accepted ones', async () => {
      const handler = (await import('../../lambdas/ingest/handler.js')).handler as unknown as Handler;
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(request, async (generated) => {
          if (await checkHandler(handler, generated)) accepted++;
        }),
        { numRuns: 300 },
      );
      const queued = (await drainQueue(aws.sqs, aws.queues.events.url)).map((text) => JSON.parse(text));
      checkQueued(queued, accepted);
      expect(unhandled).toEqual([]);
    });
  });
});
