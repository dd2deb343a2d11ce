import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import type { ReceivedVkEvent } from '../../../lambdas/domain/vk/envelope.js';
import { createCallbackAcceptor, MAX_BODY_BYTES } from '../../../lambdas/ingest/accept-callback.js';
import { callbackBody, DEMO_CONFIRMATION, DEMO_GROUP_ID, DEMO_SECRET } from '../../support/fixtures.js';

const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'local');
const secrets = JSON.parse(readFileSync('config/local.secrets.json', 'utf8')) as Record<string, string>;

function acceptor(queueFails = false) {
  const sent: ReceivedVkEvent[] = [];
  const accept = createCallbackAcceptor({
    config,
    secrets: { get: async (name) => secrets[name] },
    queue: {
      send: async (message) => {
        if (queueFails) throw new Error('queue down');
        sent.push(message);
      },
    },
    clock: { now: () => new Date('2026-03-02T06:00:00Z') },
  });
  return { accept, sent };
}
const post = (body: unknown) => ({
  method: 'POST',
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('acceptCallback', () => {
  it('answers confirmation with the community code and enqueues nothing', async () => {
    const { accept, sent } = acceptor();
    const answer = await accept(post({ type: 'confirmation', group_id: DEMO_GROUP_ID, secret: DEMO_SECRET }));
    expect(answer).toMatchObject({ status: 200, body: DEMO_CONFIRMATION });
    expect(sent).toHaveLength(0);
  });

  it('hands an event to the queue without its secret, then answers ok', async () => {
    const { accept, sent } = acceptor();
    const answer = await accept(post(callbackBody('03_message_new__vknet.json')));
    expect(answer).toMatchObject({ status: 200, body: 'ok' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      eventKey: 'e:evt-03_message_new__vknet.json',
      groupId: DEMO_GROUP_ID,
      type: 'message_new',
    });
    expect(JSON.stringify(sent[0])).not.toContain(DEMO_SECRET);
  });

  it.each([
    ['a wrong secret', { ...callbackBody('03_message_new__vknet.json'), secret: 'nope' }, 403],
    ['no secret', { ...callbackBody('03_message_new__vknet.json'), secret: undefined }, 403],
    ['an unknown community', { ...callbackBody('03_message_new__vknet.json'), group_id: 777 }, 403],
    ['malformed JSON', '{"type": ', 400],
    ['JSON that is not an event', [1, 2, 3], 400],
    [
      'a group id that is a string',
      { ...callbackBody('03_message_new__vknet.json'), group_id: '123456789' },
      400,
    ],
  ])('refuses %s with %i and enqueues nothing', async (_case, body, status) => {
    const { accept, sent } = acceptor();
    expect((await accept(post(body))).status).toBe(status);
    expect(sent).toHaveLength(0);
  });

  it('refuses other methods with 405 and bodies over the limit with 413', async () => {
    const { accept } = acceptor();
    expect((await accept({ method: 'GET', body: undefined })).status).toBe(405);
    const huge = JSON.stringify({
      ...callbackBody('03_message_new__vknet.json'),
      pad: 'x'.repeat(MAX_BODY_BYTES),
    });
    expect((await accept(post(huge))).status).toBe(413);
  });

  it('asks VK to retry later when the queue cannot take the event', async () => {
    const { accept } = acceptor(true);
    const answer = await accept(post(callbackBody('03_message_new__vknet.json')));
    expect(answer).toMatchObject({ status: 503, outcome: 'unavailable' });
    expect(answer.status === 503 && answer.retryAfterSeconds).toBeGreaterThan(0);
  });
});
