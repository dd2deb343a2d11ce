import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.js';
import { startDemoRuntime } from '../support/runtime.js';

const HOUSING = 'local-housing-token-change-me';
const ADMIN = 'local-admin-token-change-me';
/** config/local.json's operatorApi.allowedOrigins: a console's dev server (Vite's port). */
const CONSOLE = 'http://localhost:5173';
const STRANGER = 'https://elsewhere.example';
let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startDemoRuntime({ escalatorIntervalMs: 0 });
});
afterAll(() => runtime?.stop());

/** What a browser sends before a POST with a token and a JSON body from another origin. */
const preflight = (path: string, origin: string) =>
  fetch(`${runtime.url}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,idempotency-key,if-match',
    },
  });

describe('a console on another origin, against `npm start`', () => {
  it('gets its preflight answered from an allowed origin, before the token is asked for', async () => {
    const response = await preflight('/api/v1/inquiries/inq-1/reply', CONSOLE);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(response.headers.get('access-control-allow-methods')?.split(',')).toEqual(
      expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']),
    );
    expect(response.headers.get('access-control-allow-headers')?.split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'if-match']),
    );
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives another origin no Access-Control-Allow-Origin, so the browser sends nothing', async () => {
    const response = await preflight('/api/v1/inquiries', STRANGER);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('lets an allowed origin read the answers, Retry-After, Idempotency-Key, WWW-Authenticate, ETag and Allow among them', async () => {
    const list = await fetch(`${runtime.url}/api/v1/inquiries`, {
      headers: { origin: CONSOLE, authorization: `Bearer ${HOUSING}` },
    });
    expect(list.status).toBe(200);
    expect(list.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(list.headers.get('access-control-expose-headers')?.split(',')).toEqual(
      expect.arrayContaining(['retry-after', 'www-authenticate', 'etag', 'idempotency-key', 'allow']),
    );
    expect(list.headers.get('vary')).toMatch(/origin/i);
    // A 405 names the method the path takes in Allow, which the console may read.
    const wrongMethod = await fetch(`${runtime.url}/api/v1/inquiries/some-inquiry/reply`, {
      headers: { origin: CONSOLE, authorization: `Bearer ${HOUSING}` },
    });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(wrongMethod.headers.get('access-control-expose-headers')?.split(',')).toContain('allow');
    // A refused token too: the console must see the 401 to sign in again.
    const refused = await fetch(`${runtime.url}/api/v1/inquiries`, {
      headers: { origin: CONSOLE, authorization: 'Bearer wrong' },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    const document = await fetch(`${runtime.url}/api/openapi.json`, { headers: { origin: CONSOLE } });
    expect(document.headers.get('access-control-allow-origin')).toBe(CONSOLE);
  });

  it('lets an allowed origin read the statistics’ file name, and keeps their Vary on Accept beside Origin', async () => {
    const csv = await fetch(
      `${runtime.url}/api/v1/statistics?from=2026-12-01T00:00:00%2B05:00&to=2027-01-01T00:00:00%2B05:00`,
      { headers: { origin: CONSOLE, authorization: `Bearer ${ADMIN}`, accept: 'text/csv' } },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(
      'attachment; filename="statistics_2026-12-01_2027-01-01.csv"',
    );
    expect(csv.headers.get('access-control-expose-headers')?.split(',')).toContain('content-disposition');
    expect(csv.headers.get('vary')?.split(/\s*,\s*/)).toEqual(expect.arrayContaining(['accept', 'origin']));
    // The bytes as a spreadsheet gets them: the UTF-8 byte order mark first, the Russian header after it.
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toMatch(/^Код отдела;Отдел;/);
  });

  it('keeps the answers out of caches and from being sniffed for HTML', async () => {
    const list = await fetch(`${runtime.url}/api/v1/inquiries`, {
      headers: { origin: CONSOLE, authorization: `Bearer ${HOUSING}` },
    });
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(list.headers.get('x-content-type-options')).toBe('nosniff');
    const missing = await fetch(`${runtime.url}/api/v1/inquiries/no-such-inquiry`, {
      headers: { origin: CONSOLE, authorization: `Bearer ${HOUSING}` },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers another origin without the headers, and keeps CORS off the VK callback', async () => {
    const list = await fetch(`${runtime.url}/api/v1/inquiries`, {
      headers: { origin: STRANGER, authorization: `Bearer ${HOUSING}` },
    });
    expect(list.status).toBe(200);
    expect(list.headers.get('access-control-allow-origin')).toBeNull();
    const callback = await preflight('/vk/callback', CONSOLE);
    expect(callback.headers.get('access-control-allow-origin')).toBeNull();
  });
});

/**
 * A request with the headers given, Host among them (fetch sets its own): what a page whose name was made to
 * resolve to 127.0.0.1 (DNS rebinding) sends, its own name in Host and Origin.
 */
function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const outgoing = request(`${runtime.url}${path}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('a web page that has its own name resolve to 127.0.0.1, against `npm start`', () => {
  const REBOUND = 'rebind.attacker.example';
  const rebound = () => ({
    host: `${REBOUND}:${new URL(runtime.url).port}`,
    origin: `http://${REBOUND}:${new URL(runtime.url).port}`,
  });
  const answer = JSON.stringify({ text: 'Ваше обращение рассматривается.' });

  it('reads nothing of the operator API, and sends no answer, with the token the README prints', async () => {
    const list = await send('GET', '/api/v1/inquiries?community=123456789', {
      ...rebound(),
      authorization: `Bearer ${ADMIN}`,
    });
    expect(list.status).toBe(421);
    expect(list.body).not.toContain('inquir');
    const sent = await send(
      'POST',
      '/api/v1/inquiries/some-inquiry/intermediate-answer',
      { ...rebound(), authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      answer,
    );
    expect(sent.status).toBe(421);
    expect((await send('GET', '/api/openapi.json', rebound())).status).toBe(421);
  });

  it('changes nothing from a page of another origin even when named for this machine', async () => {
    const host = new URL(runtime.url).host;
    const headers = { host, authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const path = '/api/v1/inquiries/no-such-inquiry/intermediate-answer';
    for (const origin of [STRANGER, rebound().origin, 'null']) {
      const refused = await send('POST', path, { ...headers, origin }, answer);
      expect(refused.status, origin).toBe(403);
      expect(JSON.parse(refused.body), origin).toEqual({ message: 'Forbidden' });
    }
    // The server's own origin, an allowed console's and none (curl) reach the function: no such inquiry.
    for (const origin of [`http://${host}`, CONSOLE, undefined])
      expect(
        (await send('POST', path, { ...headers, ...(origin && { origin }) }, answer)).status,
        String(origin),
      ).toBe(404);
    // Reading from another origin is CORS's to keep from the page, as in AWS.
    expect((await send('GET', '/api/v1/inquiries', { ...headers, origin: STRANGER })).status).toBe(200);
    // A department's answer templates are changed with PUT and DELETE: refused from there just the same.
    const template = '/api/v1/departments/housing/answer-templates/from-elsewhere';
    const words = JSON.stringify({ title: 'Чужое', text: 'Слова чужой страницы' });
    expect((await send('PUT', template, { ...headers, origin: STRANGER }, words)).status).toBe(403);
    expect((await send('DELETE', template, { ...headers, origin: STRANGER })).status).toBe(403);
    const templates = await send('GET', '/api/v1/departments/housing/answer-templates', headers);
    expect(JSON.parse(templates.body)).toEqual({ items: [] });
  });

  it("keeps a department's answer templates for an allowed console, PUT and DELETE preflighted", async () => {
    const host = new URL(runtime.url).host;
    const headers = { host, origin: CONSOLE, authorization: `Bearer ${HOUSING}` };
    const path = '/api/v1/departments/housing/answer-templates/water-outage';
    const asked = await fetch(`${runtime.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin: CONSOLE, 'access-control-request-method': 'PUT' },
    });
    expect(asked.status).toBe(204);
    expect(asked.headers.get('access-control-allow-methods')?.split(',')).toEqual(
      expect.arrayContaining(['PUT', 'DELETE']),
    );
    const words = { title: 'Отключение воды', text: 'Подача воды будет восстановлена до 18:00.' };
    const kept = await send(
      'PUT',
      path,
      { ...headers, 'content-type': 'application/json' },
      JSON.stringify(words),
    );
    expect(kept.status).toBe(200);
    expect(JSON.parse(kept.body)).toMatchObject({ ...words, version: 1 });
    const listed = await send('GET', '/api/v1/departments/housing/answer-templates', headers);
    expect(JSON.parse(listed.body).items).toEqual([
      expect.objectContaining({ id: 'water-outage', ...words }),
    ]);
    expect((await send('DELETE', path, { ...headers, 'if-match': '"1"' })).status).toBe(204);
  });

  it('still lets a tunnel to the VK callback name its own host', async () => {
    const confirmation = await send(
      'POST',
      '/vk/callback',
      { host: 'tunnel.example', 'content-type': 'application/json' },
      JSON.stringify({ type: 'confirmation', group_id: 123456789, secret: 'demo-secret-change-me' }),
    );
    expect(confirmation).toEqual({ status: 200, body: 'a1b2c3d4' });
  });
});
