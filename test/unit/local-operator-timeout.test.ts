import { afterAll, beforeAll, expect, it } from 'vitest';
import { operatorApiFunction } from '../../local/http-functions.js';
import { type LocalHttpServer, startHttpServer } from '../../local/http-server.js';

/** The operator API's timeout answer, as API Gateway gives it a console on another origin. */
const CONSOLE = 'http://localhost:5173';
let server: LocalHttpServer;
let invocations = 0;

beforeAll(async () => {
  const slow = operatorApiFunction(async () => {
    invocations++;
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { statusCode: 200, body: '[]' };
  }, [CONSOLE]);
  server = await startHttpServer({
    port: 0,
    // Its own timeout is 10 s: a tenth of a second here, so that it runs out at once.
    functions: { '/api/v1/*': { ...slow, timeoutSeconds: 0.1 } },
    json: async () => undefined,
    onError: () => undefined,
  });
});
afterAll(() => server.close());

it("lets an allowed origin read API Gateway's answer to a function that timed out, as any other", async () => {
  const answer = await fetch(`${server.url}/api/v1/inquiries`, { headers: { origin: CONSOLE } });
  expect(answer.status).toBe(500);
  expect(await answer.json()).toEqual({ message: 'Internal Server Error' });
  expect(answer.headers.get('access-control-allow-origin')).toBe(CONSOLE);
  expect(answer.headers.get('access-control-expose-headers')?.split(',')).toContain('retry-after');
  expect(answer.headers.get('vary')).toMatch(/origin/i);
  const stranger = await fetch(`${server.url}/api/v1/inquiries`, {
    headers: { origin: 'https://elsewhere.example' },
  });
  expect(stranger.status).toBe(500);
  expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
});

it('answers a preflight without invoking the function, as API Gateway does', async () => {
  const before = invocations;
  const preflight = await fetch(`${server.url}/api/v1/inquiries`, {
    method: 'OPTIONS',
    headers: { origin: CONSOLE, 'access-control-request-method': 'GET' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(CONSOLE);
  expect(invocations).toBe(before);
});
