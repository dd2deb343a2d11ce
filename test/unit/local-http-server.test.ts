import { request } from 'node:http';
import { connect } from 'node:net';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type LocalHttpServer, startHttpServer } from '../../local/http-server.js';

/** The local stand-in for API Gateway hands functions the event API Gateway would: checked field by field. */
let server: LocalHttpServer;
const seen: APIGatewayProxyEventV2[] = [];
const contexts: Context[] = [];
let slowEnded = false;
/** Times the slow function's execution environment was reset. */
let slowResets = 0;
/** Holds the slow function until the test lets it go: its answer can only come from the timeout. */
let releaseSlow: () => void = () => {};
const slowReleased = new Promise<void>((resolve) => {
  releaseSlow = resolve;
});
const errors: unknown[] = [];

beforeAll(async () => {
  server = await startHttpServer({
    port: 0,
    functions: {
      '/echo': {
        name: 'echo',
        timeoutSeconds: 5,
        handler: async (event, context) => {
          seen.push(event);
          contexts.push(context);
          return { statusCode: 202, headers: { 'x-answer': 'yes' }, body: 'done' };
        },
        failed: { statusCode: 503, body: 'unavailable' },
      },
      // Runs past its timeout, then answers.
      '/slow': {
        name: 'slow',
        timeoutSeconds: 0.2,
        handler: async () => {
          await slowReleased;
          slowEnded = true;
          return { statusCode: 200, body: 'late' };
        },
        failed: { statusCode: 503, headers: { 'retry-after': '10' }, body: 'unavailable' },
        onTimeout: () => slowResets++,
      },
      // A function whose invocation fails: its init threw, or its handler did.
      '/broken': {
        name: 'broken',
        timeoutSeconds: 5,
        handler: async () => {
          throw new Error('init failed');
        },
        failed: { statusCode: 503, headers: { 'retry-after': '10' }, body: 'unavailable' },
      },
      // As the operator API: a function that checks a token, which the README prints for the local one.
      '/api/v1/*': {
        name: 'api',
        timeoutSeconds: 10,
        handler: async (event) => {
          seen.push(event);
          return { statusCode: 200, body: '[{"text":"the citizen’s words"}]' };
        },
        failed: { statusCode: 500, body: '{"message":"Internal Server Error"}' },
      },
    },
    tunnelPaths: ['/echo'],
    json: async ({ path }) =>
      path === '/api/inquiries' ? { status: 200, body: [{ text: 'the citizen’s words' }] } : undefined,
    onError: (error) => errors.push(error),
  });
});
afterAll(() => server.close());

/** A raw request, so that a header can be sent twice. */
function send(rawHeaders: string[], body: Buffer) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      // Raw headers leave Host and Content-Length to us.
      const headers = [
        ...rawHeaders,
        'Host',
        new URL(server.url).host,
        'Content-Length',
        String(body.length),
      ];
      const outgoing = request(`${server.url}/echo`, { method: 'POST', headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    },
  );
}

it('passes headers in lower case, joins a repeated set-cookie with "," as API Gateway does, and answers as told', async () => {
  const answer = await send(
    ['Content-Type', 'application/json', 'X-Retry-Counter', '2', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2'],
    Buffer.from('{"type":"group_join"}'),
  );
  expect(answer).toMatchObject({ status: 202, body: 'done', headers: { 'x-answer': 'yes' } });
  const event = seen.at(-1);
  expect(event?.headers).toMatchObject({
    'content-type': 'application/json',
    'x-retry-counter': '2',
    'set-cookie': 'a=1,b=2',
  });
  expect(event).toMatchObject({ body: '{"type":"group_join"}', isBase64Encoded: false });
  expect(event?.requestContext.http).toMatchObject({ method: 'POST', path: '/echo', sourceIp: '127.0.0.1' });
  expect(event?.requestContext).toMatchObject({ routeKey: 'ANY /echo', stage: '$default' });
  expect(event?.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  // API Gateway's form, 12/Mar/2020:19:03:58 +0000, for the second of timeEpoch.
  const [, day, month, year, clock] =
    /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}:\d{2}:\d{2}) \+0000$/.exec(event?.requestContext.time ?? '') ??
    [];
  expect(Date.parse(`${day} ${month} ${year} ${clock} GMT`)).toBe(
    Math.floor((event?.requestContext.timeEpoch ?? 0) / 1000) * 1000,
  );
});

it('hands each function a context with its own name and the time left of its own timeout', async () => {
  await send(['Content-Type', 'application/json'], Buffer.from('{}'));
  const context = contexts.at(-1);
  expect(context?.functionName).toBe('echo');
  // Ingest budgets its waits in what is left of its 5 s, less 0.5 s for its answer.
  expect(context?.getRemainingTimeInMillis()).toBeLessThanOrEqual(5000);
  expect(context?.getRemainingTimeInMillis()).toBeGreaterThan(4000);
});

it('answers as API Gateway does once a function outruns its timeout, and drops its late answer', async () => {
  const answer = await fetch(`${server.url}/slow`, { method: 'POST', body: '{}' });
  // The function is still held: the answer came at its timeout, not at its end.
  expect(slowEnded).toBe(false);
  expect(answer.status).toBe(503);
  expect(answer.headers.get('retry-after')).toBe('10');
  expect(await answer.text()).toBe('unavailable');
  expect(String(errors.at(-1))).toContain('slow: Task timed out after 0.20 seconds');
  expect(slowResets).toBe(1);
  // Let go, it answers 'late', which reaches no one: the server goes on answering.
  releaseSlow();
  await vi.waitFor(() => expect(slowEnded).toBe(true));
  const next = await fetch(`${server.url}/echo`, { method: 'POST', body: '{}' });
  expect(next.status).toBe(202);
});

it("answers a function's error as API Gateway answers a failed invocation, as it answers a timeout", async () => {
  const answer = await fetch(`${server.url}/broken`, { method: 'POST', body: '{}' });
  expect(answer.status).toBe(503);
  expect(answer.headers.get('retry-after')).toBe('10');
  expect(await answer.text()).toBe('unavailable');
  expect(String(errors.at(-1))).toContain('init failed');
});

it('base64-encodes a body that is not text', async () => {
  const bytes = Buffer.from([0, 255, 1, 254]);
  await send(['Content-Type', 'application/octet-stream'], bytes);
  expect(seen.at(-1)).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  expect(typeof seen.at(-1)?.headers['content-type']).toBe('string');
  // Each request its own id.
  expect(seen.at(-1)?.requestContext.requestId).not.toBe(seen.at(-2)?.requestContext.requestId);
});

/** A request (a GET unless told) named for the host given, as a browser sends it for the page's address. */
function getAs(host: string, path: string, method = 'GET') {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const outgoing = request(`${server.url}${path}`, { method, headers: { host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

it('serves the data views and the functions only to requests named for this machine, so that no web page reads or changes them by DNS rebinding', async () => {
  const { port } = new URL(server.url);
  for (const host of [
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    `LOCALHOST:${port}`,
    `[::1]:${port}`,
    'localhost',
    // A console's dev server that proxies the API forwards its own port.
    'localhost:5173',
  ]) {
    expect((await getAs(host, '/api/inquiries')).status, host).toBe(200);
    expect((await getAs(host, '/api/v1/inquiries')).status, host).toBe(200);
  }
  const before = seen.length;
  for (const host of [
    `evil.example:${port}`,
    'evil.example',
    `127.0.0.1.evil.example:${port}`,
    `localhost.evil.example:${port}`,
  ]) {
    const answer = await getAs(host, '/api/inquiries');
    expect(answer.status, host).toBe(421);
    expect(answer.body, host).not.toContain('citizen');
    // A token is no check of the page that sends it: the local ones are printed in the README.
    for (const method of ['GET', 'POST']) {
      const api = await getAs(host, '/api/v1/inquiries/some-id/intermediate-answer', method);
      expect(api.status, `${method} ${host}`).toBe(421);
      expect(api.body, host).not.toContain('citizen');
    }
    // Only under a tunnel path: the callback checks VK's secret, and a tunnel to it names its own host.
    expect((await getAs(host, '/echo/more')).status, host).toBe(421);
    expect((await getAs(host, '/echo')).status, host).toBe(202);
  }
  // HTTP/1.0 may leave Host out: refused too.
  const bare = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.end('GET /api/inquiries HTTP/1.0\r\n\r\n'),
    );
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
  });
  expect(bare).toMatch(/^HTTP\/1\.[01] 421 /);
  expect(bare).not.toContain('citizen');
  // Only the tunnel path's requests reached a function, one per foreign host.
  expect(seen.slice(before).map((event) => event.rawPath)).toEqual(Array(4).fill('/echo'));
});

it('refuses a body over API Gateway’s 10 MB as API Gateway does: 413, JSON with a `message` only', async () => {
  const before = seen.length;
  const answer = await send(['Content-Type', 'application/json'], Buffer.alloc(10 * 1024 * 1024 + 1, 'x'));
  expect(answer.status).toBe(413);
  expect(answer.headers['content-type']).toBe('application/json');
  expect(Object.keys(JSON.parse(answer.body))).toEqual(['message']);
  expect(seen.length).toBe(before);
});
