import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { PLAIN_TEXT } from '../../lambdas/operator-api/contract/fields.js';
import { openApiDocument } from '../../lambdas/operator-api/openapi.js';
import { OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import type { TestAws } from '../support/aws.js';
import { openInquiry } from '../support/inquiries.js';
import { inlined } from '../support/openapi.js';
import { localOperatorApi, type OperatorApiCall, startOperatorApi } from '../support/operator-api.js';

/**
 * Every answer of the operator API's handler keeps out of caches and is never sniffed for HTML: the handler
 * against dynalite and fauxqs, as the console calls it, errors built by the handler itself included.
 */

const HOUSING = 'local-housing-token-change-me';
const config = readConfigFile('config/local.json');
/** A citizen's words with markup in them: given back as written, JSON, for the console to show as text. */
const MARKUP = 'Не вывозят мусор <img src=x onerror=alert(1)> во дворе';
const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

let aws: TestAws;
let call: OperatorApiCall;
let repository: DynamoInquiryRepository;

beforeAll(async () => {
  ({ aws, call, repository } = await startOperatorApi('outbox'));
});
afterAll(() => aws?.stop());

/**
 * The operator API's handler as loaded with `environment` set, which its clients and outbox are made with (as
 * each request makes use of them: the environment is set around each).
 */
async function operatorApiWith(environment: Record<string, string>): Promise<OperatorApiCall> {
  const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  const restore = () => {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  };
  Object.assign(process.env, environment);
  vi.resetModules();
  const api = await localOperatorApi();
  restore();
  return async (...request) => {
    Object.assign(process.env, environment);
    try {
      return await api(...request);
    } finally {
      restore();
    }
  };
}

describe("the operator API's answers", () => {
  it('carry no-store and nosniff on every answer, and the ETag read still makes the change (If-Match)', async () => {
    const id = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8301, eventKey: 'answer-headers', text: MARKUP, category: 'waste' },
    );
    const answers: Record<string, { status: number; headers: Record<string, string> }> = {};

    answers.list = await call('GET', '/api/v1/inquiries', HOUSING);
    const detail = await call('GET', `/api/v1/inquiries/${id}`, HOUSING);
    answers.detail = detail;
    // The citizen's markup, as written, in JSON: the console renders it as text.
    expect(detail.body.inquiry.text).toBe(MARKUP);
    expect(detail.headers['content-type']).toMatch(/^application\/json/);
    const etag = detail.headers.etag ?? '';
    expect(etag).toBe(`"${detail.body.inquiry.version}"`);

    // no-store keeps no copy, and changes nothing of the conditional change: the ETag held is sent back.
    const taken = await call('POST', `/api/v1/inquiries/${id}/take`, HOUSING, {}, { 'if-match': etag });
    answers.take = taken;
    expect(taken.status).toBe(200);
    expect(taken.headers.etag).toBe(`"${taken.body.version}"`);
    expect(taken.headers.etag).not.toBe(etag);
    const stale = await call(
      'POST',
      `/api/v1/inquiries/${id}/reply`,
      HOUSING,
      { text: 'Вывезем завтра' },
      { 'if-match': etag },
    );
    answers.stale = stale;
    expect(stale.status).toBe(412);
    expect(stale.headers.etag).toBe(taken.headers.etag);

    answers.notFound = await call('GET', '/api/v1/inquiries/no-such-inquiry', HOUSING);
    answers.badQuery = await call('GET', '/api/v1/inquiries?limit=zero', HOUSING);
    // Answered by the handler's own catch, not by the route.
    answers.badCursor = await call('GET', '/api/v1/inquiries?cursor=not-a-cursor', HOUSING);
    answers.noRoute = await call('GET', '/api/v1/nowhere', HOUSING);
    answers.document = await call('GET', OPENAPI_PATH);

    expect(Object.fromEntries(Object.entries(answers).map(([name, { status }]) => [name, status]))).toEqual({
      list: 200,
      detail: 200,
      take: 200,
      stale: 412,
      notFound: 404,
      badQuery: 400,
      badCursor: 400,
      noRoute: 404,
      document: 200,
    });
    for (const [name, answer] of Object.entries(answers))
      expect({ name, headers: answer.headers }).toMatchObject({ name, headers: NO_STORE });
  });

  it('carry them on the 503 of a change whose message could not be queued, and on a 500', async () => {
    const id = await openInquiry(
      { config, inquiries: repository },
      { peerId: 8302, eventKey: 'answer-headers-503', text: 'Не вывозят мусор', category: 'waste' },
    );
    // An answers queue that does not exist: the answer is saved, its message not queued.
    const noOutbox = await operatorApiWith({ ANSWERS_QUEUE_URL: `${aws.queues.answers.url}-missing` });
    const unqueued = await noOutbox('POST', `/api/v1/inquiries/${id}/reply`, HOUSING, { text: 'Вывезли' });
    expect(unqueued.status).toBe(503);
    expect(unqueued.headers).toMatchObject({ ...NO_STORE, 'retry-after': '5' });

    // DynamoDB refusing every connection: the handler's 500.
    const noTable = await operatorApiWith({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
    const failed = await noTable('GET', `/api/v1/inquiries/${id}`, HOUSING);
    expect(failed).toMatchObject({ status: 500, body: { code: 'internal_error' } });
    expect(failed.headers).toMatchObject(NO_STORE);
  }, 20_000);
});

describe('the OpenAPI document', () => {
  /** The document, its shared schemas put in where they are named. */
  const document = inlined(openApiDocument());

  it('lists both headers on every answer only the function gives, the ETag beside them where there is one; none on those API Gateway gives itself', () => {
    const responses = Object.entries(document.paths).flatMap(([path, operations]) =>
      // biome-ignore lint/suspicious/noExplicitAny: as above
      Object.entries(operations as Record<string, any>).flatMap(([method, operation]) =>
        // biome-ignore lint/suspicious/noExplicitAny: as above
        Object.entries(operation.responses as Record<string, any>).map(([status, response]) => ({
          at: `${method} ${path} ${status}`,
          status,
          headers: Object.keys(response.headers ?? {}),
        })),
      ),
    );
    expect(responses.length).toBeGreaterThan(50);
    // Its authorizer's 401, a body too large's 413, its throttle's 429, its 500 for a function that failed:
    // neither header.
    const gateways = ['401', '413', '429', '500'];
    for (const { at, status, headers } of responses)
      expect({ at, headers }).toEqual({
        at,
        headers: gateways.includes(status)
          ? expect.not.arrayContaining(['Cache-Control', 'X-Content-Type-Options'])
          : expect.arrayContaining(['Cache-Control', 'X-Content-Type-Options']),
      });
    expect(Object.keys(document.paths['/api/v1/inquiries/{id}'].get.responses['200'].headers)).toContain(
      'ETag',
    );
  });

  it('says of every field of free text that a console renders it as text, never as HTML', () => {
    const detail =
      document.paths['/api/v1/inquiries/{id}'].get.responses['200'].content['application/json'].schema;
    const inquiry = detail.properties.inquiry.properties;
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const entries = detail.properties.history.items.anyOf as any[];
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const detailOf = (kind: string): any =>
      entries.find((entry) => entry.properties.kind.enum?.includes(kind)).properties.detail.properties;
    const descriptions = {
      text: inquiry.text.description,
      quotedText: inquiry.quoted.items.properties.text.description,
      reason: entries[0].properties.reason.description,
      actorName: entries[0].properties.actorName.description,
      messageText: detailOf('message').text.description,
      replyText: detailOf('reply').text.description,
      editedText: detailOf('message_changed').text.description,
      previousText: detailOf('message_changed').previousText.description,
      undeliveredReason: inquiry.undelivered.properties.reason.description,
    };
    for (const [field, description] of Object.entries(descriptions))
      expect({ field, description }).toEqual({ field, description: expect.stringContaining(PLAIN_TEXT) });
    expect(document.info.description).toMatch(/never as HTML/);
  });
});
