import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SqsSendError } from '../../../lambdas/adapters/sqs-signed-queue.js';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import type { ReceivedVkEvent } from '../../../lambdas/domain/vk/envelope.js';
import {
  createCallbackAcceptor,
  MAX_BODY_BYTES,
  TRIM_ABOVE_BYTES,
} from '../../../lambdas/ingest/accept-callback.js';
import {
  callbackBody,
  DEMO_CONFIRMATION,
  DEMO_GROUP_ID,
  DEMO_SECRET,
  DISTRICT_CONFIRMATION,
  DISTRICT_GROUP_ID,
  DISTRICT_SECRET,
  recordedCallbackBody,
  TEST_CONFIG_FILE,
  TEST_SECRETS_FILE,
} from '../../support/fixtures.js';
import { LARGE_SHAPES } from '../../support/large-events.js';

const config = parseAppConfig(JSON.parse(readFileSync(TEST_CONFIG_FILE, 'utf8')), TEST_CONFIG_FILE);
const secrets = JSON.parse(readFileSync(TEST_SECRETS_FILE, 'utf8')) as Record<string, string>;

function acceptor(queueFails = false, secretValues: Record<string, string> = secrets, storeFails = false) {
  const sent: ReceivedVkEvent[] = [];
  const accept = createCallbackAcceptor({
    config,
    secrets: {
      get: async (name) => {
        if (storeFails) throw new Error('SSM unavailable');
        return secretValues[name];
      },
    },
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
      // The clock's time, where the inquiry's deadline starts.
      receivedAt: '2026-03-02T06:00:00.000Z',
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
    ['a group id of zero', { ...callbackBody('03_message_new__vknet.json'), group_id: 0 }, 400],
  ])('refuses %s and enqueues nothing', async (_case, body, status) => {
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

  it.each(Object.entries(LARGE_SHAPES))(
    'takes a message with %s, and queues it trimmed to what the product reads',
    async (_shape, make) => {
      const { accept, sent } = acceptor();
      const body = JSON.stringify(make('large'));
      expect(Buffer.byteLength(body)).toBeGreaterThan(TRIM_ABOVE_BYTES);
      expect(await accept(post(body))).toMatchObject({ status: 200, body: 'ok', eventKey: 'e:large' });
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ eventKey: 'e:large', type: 'message_new', trimmed: true });
      expect(Buffer.byteLength(JSON.stringify(sent[0]))).toBeLessThan(64 * 1024);
    },
  );

  it('queues an event of up to 256 KiB as it came, unmarked', async () => {
    const { accept, sent } = acceptor();
    const body = callbackBody('03_message_new__vknet.json');
    const object = body.object as { message: Record<string, unknown> };
    const event = { ...body, object: { ...object, message: { ...object.message, text: 'я'.repeat(4096) } } };
    expect(await accept(post(event))).toMatchObject({ status: 200 });
    const { secret: _secret, ...sentAsIs } = event as Record<string, unknown>;
    expect(sent[0]?.event).toEqual(sentAsIs);
    expect(sent[0]).not.toHaveProperty('trimmed');
  });

  it('takes a body just under the limit and refuses one just over it, by its UTF-8 bytes', async () => {
    const { accept } = acceptor();
    const sized = (bytes: number) => {
      const envelope = JSON.stringify({ ...callbackBody('03_message_new__vknet.json'), pad: '' });
      const room = bytes - Buffer.byteLength(envelope);
      return envelope.replace(
        '"pad":""',
        `"pad":"${'я'.repeat(Math.floor(room / 2))}${'x'.repeat(room % 2)}"`,
      );
    };
    expect(Buffer.byteLength(sized(MAX_BODY_BYTES))).toBe(MAX_BODY_BYTES);
    expect((await accept(post(sized(MAX_BODY_BYTES)))).status).toBe(200);
    expect(await accept(post(sized(MAX_BODY_BYTES + 1)))).toMatchObject({
      status: 413,
      body: 'body too large',
    });
  });

  it('asks VK to retry later when the queue cannot take the event', async () => {
    const { accept } = acceptor(true);
    const answer = await accept(post(callbackBody('03_message_new__vknet.json')));
    expect(answer).toMatchObject({ status: 503, outcome: 'unavailable' });
    expect(answer.status === 503 && answer.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('answers each community with its own secret and code', async () => {
    const { accept, sent } = acceptor();
    const confirm = (groupId: number, secret: string) =>
      accept(post({ type: 'confirmation', group_id: groupId, secret }));
    expect(await confirm(DISTRICT_GROUP_ID, DISTRICT_SECRET)).toMatchObject({ body: DISTRICT_CONFIRMATION });
    expect((await confirm(DISTRICT_GROUP_ID, DEMO_SECRET)).status).toBe(403);
    expect((await confirm(DEMO_GROUP_ID, DISTRICT_SECRET)).status).toBe(403);
    expect(await accept(post(recordedCallbackBody('vknet/WallReplyNewTest.json')))).toMatchObject({
      status: 200,
      body: 'ok',
    });
    expect(sent.map((event) => event.groupId)).toEqual([DISTRICT_GROUP_ID]);
  });

  it('takes a body with a byte order mark, which VK does not send but some proxies add', async () => {
    const { accept, sent } = acceptor();
    const answer = await accept(post(`\uFEFF${JSON.stringify(callbackBody('03_message_new__vknet.json'))}`));
    expect(answer).toMatchObject({ status: 200, body: 'ok' });
    expect(sent).toHaveLength(1);
  });

  it('refuses JSON nested deeper than any VK event with 400, before anything recursive reads it', async () => {
    const { accept, sent } = acceptor();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect((await accept(post(deep))).status).toBe(400);
    const envelope = JSON.stringify({ ...callbackBody('03_message_new__vknet.json'), object: 0 });
    const nested = envelope.replace('"object":0', `"object":${deep}`);
    expect((await accept(post(nested))).status).toBe(400);
    expect(sent).toHaveLength(0);
  });

  it('checks the community and its secret before walking a body: a forged one is refused 403 however deep or odd', async () => {
    const { accept, sent } = acceptor();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const envelope = JSON.stringify({ ...callbackBody('03_message_new__vknet.json'), object: 0 });
    // Deeper than any VK event, and no envelope at all (no type): signed wrong, it is the secret that is named.
    const forged = envelope
      .replace('"object":0', `"object":${deep}`)
      .replace(`"secret":"${DEMO_SECRET}"`, '"secret":"forged"')
      .replace(/"type":"[^"]*",?/, '');
    expect(forged).not.toContain(DEMO_SECRET);
    expect(await accept(post(forged))).toMatchObject({ status: 403, reason: 'wrong secret' });
    expect(await accept(post(forged.replace(`"group_id":${DEMO_GROUP_ID}`, '"group_id":1')))).toMatchObject({
      status: 403,
      reason: 'unknown community',
    });
    // An `_edit` of 200,000 keys, without event_id: its trace is read from the top-level fields alone.
    const object = Object.fromEntries(Array.from({ length: 200_000 }, (_, key) => [`k${key}`, key]));
    const edit = { type: 'wall_reply_edit', group_id: DEMO_GROUP_ID, secret: 'forged', object };
    const refused = await accept(post(edit));
    expect(refused).toMatchObject({ status: 403, reason: 'wrong secret', type: 'wall_reply_edit' });
    expect(refused).not.toHaveProperty('eventKey');
    // Signed, the same depth is refused for what it is.
    expect(
      await accept(post(forged.replace('"secret":"forged"', `"secret":"${DEMO_SECRET}"`))),
    ).toMatchObject({ status: 400, reason: 'nested too deeply' });
    expect(sent).toHaveLength(0);
  });

  it.each(['remove', 'version 5.199', ' Remove '])(
    'never answers a confirmation code that VK would read as a command (%j)',
    async (code) => {
      const parameter = config.communities[0]?.confirmationCode.parameter as string;
      const { accept } = acceptor(false, { ...secrets, [parameter]: code });
      const answer = await accept(
        post({ type: 'confirmation', group_id: DEMO_GROUP_ID, secret: DEMO_SECRET }),
      );
      expect(answer.status).toBe(503);
      expect(answer.body).not.toContain(code.trim());
    },
  );

  it('takes an event signed with the secret VK had before a rotation, where the community names one', async () => {
    const { accept, sent } = acceptor();
    const signedWith = (secret: string, groupId = DISTRICT_GROUP_ID) =>
      accept(post(recordedCallbackBody('vknet/WallReplyNewTest.json', { secret, group_id: groupId })));
    expect(await signedWith('district-secret-before-rotation')).toMatchObject({ status: 200, body: 'ok' });
    expect(await signedWith(DISTRICT_SECRET)).toMatchObject({ status: 200, body: 'ok' });
    expect(await signedWith('district-secret-before')).toMatchObject({ status: 403, reason: 'wrong secret' });
    // The demo community names no previous secret: only its own is taken.
    expect((await signedWith('district-secret-before-rotation', DEMO_GROUP_ID)).status).toBe(403);
    expect(sent).toHaveLength(2);
  });

  it('reads the previous secret only when the current one does not match, and refuses if it cannot be read (never stored)', async () => {
    const previous = config.communities[1]?.previousCallbackSecret?.parameter as string;
    const reads: string[] = [];
    const failing = createCallbackAcceptor({
      config,
      secrets: {
        get: async (name) => {
          reads.push(name);
          // As the extension answers for a parameter never stored.
          if (name === previous) throw new Error('ParameterNotFound');
          return secrets[name];
        },
      },
      queue: { send: async () => undefined },
      clock: { now: () => new Date('2026-03-02T06:00:00Z') },
    });
    const body = (secret: string) =>
      post(recordedCallbackBody('vknet/WallReplyNewTest.json', { secret, group_id: DISTRICT_GROUP_ID }));
    expect((await failing(body(DISTRICT_SECRET))).status).toBe(200);
    expect(reads).not.toContain(previous);
    expect(await failing(body('district-secret-before-rotation'))).toMatchObject({
      status: 403,
      reason: 'wrong secret',
    });
    expect(reads.filter((name) => name === previous)).toHaveLength(1);
    // A flood of wrong secrets makes no flood of reads: an unreadable one is taken for none for a while.
    for (let request = 0; request < 5; request++) expect((await failing(body('forged'))).status).toBe(403);
    expect(reads.filter((name) => name === previous)).toHaveLength(1);
  });

  it.each([
    ['callback secret', 'callbackSecret', callbackBody('03_message_new__vknet.json')],
    [
      'confirmation code',
      'confirmationCode',
      { type: 'confirmation', group_id: DEMO_GROUP_ID, secret: DEMO_SECRET },
    ],
  ] as const)(
    'asks VK to come back while the community’s %s is not set, never answering ok',
    async (what, field, body) => {
      const parameter = config.communities[0]?.[field].parameter as string;
      const { [parameter]: _unset, ...stored } = secrets;
      const { accept, sent } = acceptor(false, stored);
      expect(await accept(post(body))).toMatchObject({
        status: 503,
        body: 'unavailable',
        reason: `${what} not set`,
      });
      expect(sent).toHaveLength(0);
    },
  );

  it('asks VK to come back when the secret store cannot be read, rather than refusing or failing', async () => {
    const { accept, sent } = acceptor(false, secrets, true);
    const answer = await accept(post(callbackBody('03_message_new__vknet.json')));
    expect(answer).toMatchObject({ status: 503, outcome: 'unavailable', reason: 'secret store unavailable' });
    expect(sent).toHaveLength(0);
  });

  it('names the event a refusal is about: its type, and its key only when VK’s event_id makes it', async () => {
    const { accept } = acceptor();
    const withId = { ...callbackBody('03_message_new__vknet.json'), secret: 'nope' };
    expect(await accept(post(withId))).toMatchObject({
      status: 403,
      type: 'message_new',
      eventKey: 'e:evt-03_message_new__vknet.json',
    });
    // Without event_id the key is built from the ids the event carries, the citizen's among them: left out.
    // The docs' example gives event_id as a number.
    expect(await accept(post({ ...withId, event_id: 1234 }))).toMatchObject({
      status: 403,
      eventKey: 'e:1234',
    });
    const refused = await accept(post({ ...withId, event_id: undefined }));
    expect(refused).toMatchObject({ status: 403, type: 'message_new' });
    expect(refused).not.toHaveProperty('eventKey');
    // A type that is no VK word is not repeated.
    const odd = await accept(post({ ...withId, type: 'слова жителя' }));
    expect(odd.status).toBe(403);
    expect(odd).not.toHaveProperty('type');
  });

  it('names the error that kept an event out by its kind, never by its message', async () => {
    const rejecting = (error: Error) =>
      createCallbackAcceptor({
        config,
        secrets: { get: async (name) => secrets[name] },
        queue: {
          send: async () => {
            throw error;
          },
        },
        clock: { now: () => new Date('2026-03-02T06:00:00Z') },
      });
    const kmsDenied = new SqsSendError(
      'KmsAccessDenied',
      'SQS refused SendMessage (400 KmsAccessDenied): The ciphertext refers to a key that does not exist',
      400,
      false,
    );
    const answer = await rejecting(kmsDenied)(post(callbackBody('03_message_new__vknet.json')));
    expect(answer).toEqual({
      status: 503,
      body: 'unavailable',
      outcome: 'unavailable',
      reason: 'queue unavailable',
      retryAfterSeconds: expect.any(Number),
      groupId: DEMO_GROUP_ID,
      error: { name: 'SqsSendError', code: 'KmsAccessDenied', status: 400 },
      type: 'message_new',
      eventKey: 'e:evt-03_message_new__vknet.json',
    });
    // An error's name that is no identifier may quote what was sent: it is named only as an error.
    const quoting = Object.assign(new Error('queue down'), { name: 'Error for "слова жителя"' });
    expect(await rejecting(quoting)(post(callbackBody('03_message_new__vknet.json')))).toMatchObject({
      error: { name: 'Error' },
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2773'), { code: 'ECONNREFUSED' });
    const { accept } = acceptor(false, secrets, true);
    expect(await accept(post(callbackBody('03_message_new__vknet.json')))).toMatchObject({
      reason: 'secret store unavailable',
      error: { name: 'Error' },
    });
    const unreadable = createCallbackAcceptor({
      config,
      secrets: {
        get: async () => {
          throw refused;
        },
      },
      queue: { send: async () => undefined },
      clock: { now: () => new Date('2026-03-02T06:00:00Z') },
    });
    const confirmation = { type: 'confirmation', group_id: DEMO_GROUP_ID, secret: DEMO_SECRET };
    expect(await unreadable(post(confirmation))).toMatchObject({
      status: 503,
      reason: 'secret store unavailable',
      error: { name: 'Error', code: 'ECONNREFUSED' },
      type: 'confirmation',
    });
  });

  it('accepts an authenticated event whatever its object, so that VK never pauses the server over one', async () => {
    const { accept, sent } = acceptor();
    const answer = await accept(post(callbackBody('03_message_new__vknet.json', { object: { message: 5 } })));
    expect(answer).toMatchObject({ status: 200, body: 'ok' });
    expect(sent).toHaveLength(1);
  });
});
