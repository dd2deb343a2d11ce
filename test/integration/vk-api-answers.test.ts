import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES, VkAnswerUnreadable, VkApiClient } from '../../lambdas/adapters/vk-api-client.js';
import type { DeliveryPlan } from '../../lambdas/domain/outbox/delivery-plan.js';
import { VkApiError } from '../../lambdas/domain/vk-api/errors.js';
import { callVkOnce } from '../../lambdas/responder/vk-call.js';

/**
 * What the responder makes of an answer that is not one the VK API gives (a proxy's error page, a body of
 * another shape, one too large): never a delivery, never a reason longer than the history can hold.
 */
let server: Server;
let baseUrl = '';
/**
 * The next answer: `status` 200 unless given; `stated`, a Content-Length sent with the start of the body only,
 * the rest never coming.
 */
let answer: { type: string; body: string; status?: number; stated?: number } = {
  type: 'application/json',
  body: '{}',
};
/** Bytes of the last answer sent before the client stopped reading it. */
let written = 0;
/** The form of the last call. */
let form = new URLSearchParams();

beforeAll(async () => {
  server = createServer(async (request, response) => {
    written = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const stated = answer.stated;
    response.writeHead(answer.status ?? 200, {
      'content-type': answer.type,
      ...(stated !== undefined && { 'content-length': stated }),
    });
    if (stated !== undefined) return void response.write(answer.body);
    const chunk = 64 * 1024;
    const send = () => {
      while (written < answer.body.length) {
        const part = answer.body.slice(written, written + chunk);
        written += part.length;
        if (!response.write(part)) return void response.once('drain', send);
      }
      response.end();
    };
    response.on('error', () => {});
    send();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(
  () =>
    new Promise<void>((closed) => {
      server.closeAllConnections();
      server.close(() => closed());
    }),
);

const plan = { kind: 'call', method: 'messages.send', token: 'community' } as Extract<
  DeliveryPlan,
  { kind: 'call' }
>;
const vk = (token: string, method: string, params: Record<string, string | number | boolean | undefined>) =>
  new VkApiClient(token, { baseUrl }).call(method, params);
const send = () =>
  callVkOnce(
    { limiter: { acquire: async () => {} }, vk },
    plan,
    { peer_id: 1, message: 'x' },
    'token',
    'line',
  );
const answering = (
  body: string,
  type = 'application/json',
  more: { status?: number; stated?: number } = {},
) => {
  answer = { type, body, ...more };
};

describe("the VK API client and the responder, on an answer that is not VK's", () => {
  it.each([
    ['neither response nor error', '{}'],
    ['a null error and no response', '{"error":null}'],
    ['an error that is not an object', '{"error":"flood"}'],
    ['an error with no numeric code', '{"error":{"error_code":"901","error_msg":"x"}}'],
    ['JSON that is no object', 'null'],
  ])('takes %s for no answer: tried again, never counted delivered', async (_what, body) => {
    answering(body);
    await expect(vk('token', 'messages.send', {})).rejects.toBeInstanceOf(VkAnswerUnreadable);
    expect(await send()).toMatchObject({
      kind: 'retry',
      code: 0,
      reason: 'no answer from VK: VkAnswerUnreadable',
    });
  });

  it('takes an HTML error page served with 200 for no answer', async () => {
    answering('<html><body>502 Bad Gateway</body></html>', 'text/html');
    await expect(vk('token', 'messages.send', {})).rejects.toBeInstanceOf(VkAnswerUnreadable);
    expect(await send()).toMatchObject({ kind: 'retry', code: 0 });
  });

  it('stops reading an answer past 1 MiB, rather than holding all of it', async () => {
    answering(`{"response":"${'x'.repeat(8 * 1024 * 1024)}"}`);
    await expect(vk('token', 'messages.send', {})).rejects.toThrow(/larger than 1048576 bytes/);
    expect(written).toBeLessThan(8 * 1024 * 1024);
  });

  it('reads an answer of exactly 1 MiB whole', async () => {
    const padding = MAX_ANSWER_BYTES - '{"response":""}'.length;
    answering(`{"response":"${'x'.repeat(padding)}"}`);
    expect(await vk('token', 'messages.send', {})).toHaveLength(padding);
  });

  it('refuses an answer whose stated length is past 1 MiB before reading its body', async () => {
    answering('{"response":"', 'application/json', { stated: 2 * MAX_ANSWER_BYTES });
    const client = new VkApiClient('token', { baseUrl, timeoutMs: 5_000 });
    await expect(client.call('messages.send', {})).rejects.toThrow(/larger than 1048576 bytes/);
  });

  it("takes an HTTP error status for VK's internal error, tried again, whatever the body says", async () => {
    answering('{"response":4711}', 'application/json', { status: 503 });
    const error = await vk('token', 'messages.send', {}).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(VkApiError);
    expect(error).toMatchObject({ code: 10, vkMessage: 'HTTP 503' });
    expect(await send()).toMatchObject({ kind: 'retry', code: 10 });
  });

  it('sends the API version and its parameters as a form, yes and no as 1 and 0, none left out', async () => {
    answering('{"response":1}');
    await vk('token', 'messages.send', {
      peer_id: 7,
      dont_parse_links: true,
      disable_mentions: false,
      x: undefined,
    });
    expect([...form]).toEqual([
      ['v', '5.199'],
      ['peer_id', '7'],
      ['dont_parse_links', '1'],
      ['disable_mentions', '0'],
    ]);
  });

  it("keeps VK's error message to 500 characters, as the history records it", async () => {
    answering(JSON.stringify({ error: { error_code: 901, error_msg: 'x'.repeat(100_000) } }));
    const error = await vk('token', 'messages.send', {}).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(VkApiError);
    expect((error as VkApiError).vkMessage).toHaveLength(500);
    const outcome = await send();
    expect(outcome).toMatchObject({ kind: 'undeliverable', code: 901 });
    expect(JSON.stringify(outcome).length).toBeLessThan(1000);
  });

  it("still reads VK's answers and errors as VK gives them", async () => {
    answering('{"response":4711}');
    expect(await send()).toEqual({ kind: 'delivered', method: 'messages.send', vkId: 4711 });
    answering('{"error":{"error_code":901,"error_msg":"Can\'t send messages for users without permission"}}');
    expect(await send()).toMatchObject({ kind: 'undeliverable', code: 901 });
    answering('{"error":{"error_code":9}}');
    expect(await send()).toMatchObject({ kind: 'retry', code: 9 });
    // An error with no message: none, not the word "undefined".
    await expect(vk('token', 'messages.send', {})).rejects.toMatchObject({ code: 9, vkMessage: '' });
  });
});
