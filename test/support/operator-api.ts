import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { expect } from 'vitest';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { withLocalAuthorizer } from '../../lambdas/adapters/operator-local-auth.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import { fileSecretStore } from '../../lambdas/adapters/secret-store.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { OperatorApiDeps } from '../../lambdas/operator-api/api.js';
import { OPENAPI_PATH } from '../../lambdas/operator-api/routes.js';
import { startTestAws, type TestAws } from './aws.js';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The operator API's answer as the tests read it: its status, its body (JSON parsed, a CSV file as its text),
 * its headers by lower-case name.
 */
export type ApiAnswer = {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are JSON read by each test as it expects them
  body: any;
  headers: Record<string, string>;
};

/** An operator API request and its JSON answer (with its headers), read by each test as it expects it. */
export type OperatorApiCall = (
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiAnswer>;

/** A body sent as it is written, not as JSON: `call(…, rawBody('{'))`. */
class RawBody {
  constructor(readonly text: string) {}
}
export const rawBody = (text: string) => new RawBody(text);

/** An operator API request made with the claims API Gateway's JWT authorizer puts on it, and its JSON answer. */
export type ClaimsCall = (
  claims: Record<string, unknown>,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiAnswer>;

/** An operator as a test names them: their user pool `sub`, their name (else their sub), their groups. */
export interface Who {
  sub: string;
  name?: string;
  groups: string[];
}

/** The claims of `who`'s ID token, as API Gateway's JWT authorizer puts them on the request. */
export const idTokenClaims = (who: Who) => ({
  sub: who.sub,
  token_use: 'id',
  name: who.name ?? who.sub,
  'cognito:groups': who.groups,
});

/**
 * The operator API's handler called as API Gateway calls it behind its JWT authorizer, the token's claims on
 * the request (`requestContext.authorizer.jwt.claims`): who asks is whatever claims a test gives, with no token
 * to sign. Import it only once the environment points at the emulators: the handler reads it when loaded.
 */
export async function operatorApiWithClaims(): Promise<ClaimsCall> {
  const { handler } = (await import('../../lambdas/operator-api/handler.js')) as unknown as {
    handler: Handler;
  };
  let requests = 0;
  return async (claims, method, path, body, headers = {}) =>
    answerOf(
      await handler(
        requestEventOf(method, path, headers, body, `claims-${++requests}`, { jwt: { claims, scopes: [] } }),
        CONTEXT,
      ),
    );
}

/**
 * The operator API's handler behind the local token verifier, as `npm start` serves it (config/local.json's
 * operators), called as API Gateway would call it. Import it only once the environment points at the
 * emulators: the handler reads it when loaded.
 */
export async function localOperatorApi(): Promise<OperatorApiCall> {
  const { handler } = await import('../../lambdas/operator-api/handler.js');
  const api = withLocalAuthorizer(
    handler as unknown as Handler,
    readConfigFile('config/local.json'),
    fileSecretStore('config/local.secrets.json'),
    [OPENAPI_PATH],
  );
  let requests = 0;
  return async (method, path, token, body, headers = {}) =>
    answerOf(
      await api(
        requestEventOf(
          method,
          path,
          { ...(token && { authorization: `Bearer ${token}` }), ...headers },
          body,
          `request-${++requests}`,
        ),
        CONTEXT,
      ),
    );
}

const CONTEXT = { functionName: 'operator-api', awsRequestId: 'test' } as Context;

/** A request as API Gateway's HTTP API hands it to the handler (payload 2.0), with the authorizer's claims if any. */
function requestEventOf(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: unknown,
  requestId: string,
  authorizer?: unknown,
): APIGatewayProxyEventV2 {
  // Split at the first `?` only, as API Gateway does: a query may hold another (an address with its own).
  const split = path.indexOf('?');
  const rawPath = split < 0 ? path : path.slice(0, split);
  const rawQueryString = split < 0 ? '' : path.slice(split + 1);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId,
      ...(authorizer !== undefined && { authorizer }),
    },
    ...(body !== undefined && {
      body: body instanceof RawBody ? body.text : JSON.stringify(body),
      isBase64Encoded: false,
    }),
  } as unknown as APIGatewayProxyEventV2;
}

/** The handler's answer as the tests read it. */
function answerOf(result: APIGatewayProxyStructuredResultV2): ApiAnswer {
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  return {
    status: result.statusCode ?? 200,
    body: headers['content-type']?.startsWith('text/csv') ? result.body : JSON.parse(result.body ?? 'null'),
    headers,
  };
}

/**
 * The emulators and the operator API's handler wired to them, as `localOperatorApi`, its messages to citizens
 * put on the `queue` the test reads (the answers queue, or the outbox, as the release under test names it);
 * with a document client and a repository of the same table, to set up and read what it did.
 */
export async function startOperatorApi(queue: 'answers' | 'outbox'): Promise<{
  aws: TestAws;
  call: OperatorApiCall;
  documents: DynamoDBDocumentClient;
  repository: DynamoInquiryRepository;
}> {
  const aws = await startTestAws();
  process.env[queue === 'answers' ? 'ANSWERS_QUEUE_URL' : 'OUTBOX_QUEUE_URL'] = aws.queues[queue].url;
  const call = await localOperatorApi();
  const documents = documentsOf(aws);
  return { aws, call, documents, repository: new DynamoInquiryRepository(documents, aws.tableName) };
}

/**
 * What the citizen reads of an operator's words: the line naming their case (answer-prefix.ts), by its number
 * if given, then the words as written.
 */
export const toCitizen = (words: string, caseNumber?: string) =>
  expect.stringMatching(
    new RegExp(
      `^По обращению № ${caseNumber ?? String.raw`\d{4}-\d{6}`}:\n${words.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}$`,
      'u',
    ),
  );

/**
 * The operator API's use cases wired to the emulators' table and outbox on the system clock, to call without
 * the handler; with a document client and a repository of the same table, to set up and read what they did.
 */
export function operatorApiDepsOn(
  aws: TestAws,
  config: AppConfig,
): { documents: DynamoDBDocumentClient; repository: DynamoInquiryRepository; deps: OperatorApiDeps } {
  const documents = documentsOf(aws);
  const repository = new DynamoInquiryRepository(documents, aws.tableName);
  const deps: OperatorApiDeps = {
    config,
    inquiries: repository,
    queries: new DynamoOperatorQueries(documents, aws.tableName),
    outbox: new SqsOutbox(aws.sqs, aws.queues.outbox.url),
    clock: systemClock,
  };
  return { documents, repository, deps };
}

/** A document client of the emulators' table that leaves undefined attributes out, as the functions' do. */
const documentsOf = (aws: TestAws) =>
  DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
