import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { type Operator, operatorFromClaims } from '../domain/operator/access.js';
import { type IfMatch, parseIfMatch } from '../domain/operator/preconditions.js';
import { askedForm, formAnswer, varyingByAccept } from './answer-form.js';
import { type ApiAnswer, problem, type RouteDeps } from './api.js';
import { openApiDocument } from './openapi.js';
import { queryParameters } from './query-string.js';
import { changeKeyOf } from './request-key.js';
import { IDEMPOTENCY_KEY_PATTERN, matchRoute, methodsOf, OPENAPI_PATH } from './routes.js';

/** The claims API Gateway's JWT authorizer (or the local verifier) put on the request. */
export type AuthorizedEvent = APIGatewayProxyEventV2 & {
  requestContext: { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };
};

const json = (answer: ApiAnswer): APIGatewayProxyStructuredResultV2 =>
  answer.body === undefined
    ? { statusCode: answer.status, headers: { ...answer.headers } }
    : {
        statusCode: answer.status,
        headers: { 'content-type': 'application/json; charset=utf-8', ...answer.headers },
        body: JSON.stringify(answer.body),
      };

const headerOf = (event: APIGatewayProxyEventV2, name: string) =>
  Object.entries(event.headers ?? {}).find(([each]) => each.toLowerCase() === name)?.[1];

/**
 * Where each issue is: a query parameter or a body field by its name, one the route does not take named too,
 * and the query or the body as a whole by where it is.
 */
const issuesOf = (error: z.ZodError, where: 'query' | 'body') =>
  error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map(
          (key) =>
            `${[...issue.path, key].join('.')}: ${where === 'query' ? 'not a parameter of this route' : 'not a field of this body'}`,
        )
      : [`${issue.path.join('.') || where}: ${issue.message}`],
  );

/** A 400 for what does not fit, each issue named by where it is (`issues`), as the document promises. */
const invalid = (where: 'query' | 'body' | 'header', issues: string[]) =>
  json(problem(400, 'validation_failed', `invalid ${where}`, { issues }));

/**
 * No route of this method has the path: 405 with the methods that have it (`Allow`), else 404 `no_such_route`,
 * not `not_found`, which tells a console that the inquiry it asked for is gone.
 */
function noRoute(path: string): APIGatewayProxyStructuredResultV2 {
  const allowed = methodsOf(path).join(', ');
  if (allowed === '') return json(problem(404, 'no_such_route', 'no such route'));
  return json({
    ...problem(405, 'method_not_allowed', `the path takes ${allowed} only`),
    headers: { allow: allowed },
  });
}

function bodyOf(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return JSON.parse(text);
}

/**
 * A token the authorizer let through that names no operator (an access token): 401, saying why in the body and,
 * as API Gateway's authorizer does, in `WWW-Authenticate` (https://www.rfc-editor.org/rfc/rfc6750#section-3).
 */
const refusedToken = (why: string): APIGatewayProxyStructuredResultV2 => {
  const answer = json(problem(401, 'unauthorized', why));
  return {
    ...answer,
    headers: {
      ...answer.headers,
      'www-authenticate': `Bearer error="invalid_token", error_description="${why}"`,
    },
  };
};

/**
 * One operator API request: match the route, know the operator from the verified claims (401 without),
 * validate query and body with the route's schemas (400), run the route's use case, answer JSON, or the route's
 * other form (a CSV file) where `Accept` asks for it. A route reads only what it takes: a body if it has a
 * schema for one, `Idempotency-Key` and `If-Match` if a change of an inquiry, `Idempotency-Key` alone if a
 * change of many (each inquiry's keyed by it: use-cases/reply-to-many.ts), `If-Match` alone if a change of an
 * answer template.
 */
export async function dispatch(
  event: AuthorizedEvent,
  deps: RouteDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext.http.method;
  const path = event.rawPath;
  if (path === OPENAPI_PATH)
    return method === 'GET' ? json({ status: 200, body: openApiDocument() }) : noRoute(path);
  const operator = operatorFromClaims(event.requestContext.authorizer?.jwt?.claims);
  if ('refused' in operator) return refusedToken(operator.refused);
  const matched = matchRoute(method, path);
  if (!matched) return noRoute(path);
  const result = await answerRoute(event, operator, matched, deps);
  return matched.route.form ? varyingByAccept(result) : result;
}

/**
 * A matched route's request: the form `Accept` asks for where the route has another (406 when it allows
 * none), query and body validated with the route's schemas (400), its use case run, its answer in that form.
 */
async function answerRoute(
  event: AuthorizedEvent,
  operator: Operator,
  { route, params }: NonNullable<ReturnType<typeof matchRoute>>,
  deps: RouteDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const asked = askedForm(route.form, headerOf(event, 'accept'));
  if ('refused' in asked) return json(asked.refused);
  const { parameters, repeated } = queryParameters(event.rawQueryString);
  if (route.query && repeated.length > 0)
    return invalid(
      'query',
      repeated.map((name) => `${name}: given more than once: give it once`),
    );
  const query = route.query?.safeParse(parameters);
  if (query && !query.success) return invalid('query', issuesOf(query.error, 'query'));
  let raw: unknown;
  try {
    raw = route.body && bodyOf(event);
  } catch {
    return invalid('body', ['body: not JSON: send a JSON object']);
  }
  const body = route.body?.safeParse(raw);
  if (body && !body.success) return invalid('body', issuesOf(body.error, 'body'));
  const keyed = route.change || route.manyInquiries;
  const header = keyed && headerOf(event, 'idempotency-key');
  if (header !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(header))
    return invalid('header', ["Idempotency-Key: 1 to 100 letters, digits, '.', '_' or '-'"]);
  // Many citizens' answers are never made under a key a console does not know: its retry after a lost answer
  // (a timeout, a dropped connection) would answer each of them a second time.
  if (route.manyInquiries && header === undefined)
    return invalid('header', [
      'Idempotency-Key: required: a key of your own for this answer (a new UUID), sent again with its repeat, ' +
        'so that a repeat answers no inquiry twice',
    ]);
  // A key names one request: the same operator, action and body. Reused for another action or other words,
  // it makes a new change rather than passing for the one before (and sending words nobody recorded). A
  // change sent without one gets one, handed back on a 503 so that its repeat is this change, not another.
  const repeatKey = keyed && (header ?? randomUUID());
  const idempotencyKey = repeatKey
    ? changeKeyOf(operator.id, route.path.slice(route.path.lastIndexOf('/') + 1), repeatKey, body?.data)
    : event.requestContext.requestId;
  const ifMatchHeader = (route.change || route.templateChange) && headerOf(event, 'if-match');
  let ifMatch: IfMatch | undefined;
  if (ifMatchHeader) {
    ifMatch = parseIfMatch(ifMatchHeader);
    if (!ifMatch)
      return invalid('header', [
        `If-Match: the ETag the ${route.templateChange ? 'template' : 'inquiry'} was read with, as "3"`,
      ]);
  }
  const answer = await route.useCase(
    {
      operator,
      params,
      query: query?.data ?? {},
      queryNames: Object.keys(parameters),
      body: body?.data ?? {},
      idempotencyKey,
      ...(repeatKey && { repeatKey }),
      ...(ifMatch && { ifMatch }),
    },
    deps,
  );
  return asked.form && answer.status === 200
    ? formAnswer(asked.form, answer, query?.data, deps)
    : json(answer);
}
