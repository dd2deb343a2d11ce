import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { RouteDeps } from '../../../lambdas/operator-api/api.js';
import { dispatch } from '../../../lambdas/operator-api/dispatch.js';

/**
 * A change's body as API Gateway passes it: as sent, or base64-encoded (`isBase64Encoded`) when the request's
 * content type is not one it takes for text.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
const claims = { sub: 'operator-1', token_use: 'id', 'cognito:groups': ['admins'] };
// No dependencies: a body that does not fit is answered before anything is read.
const deps = {} as RouteDeps;

const reply = (body: string, isBase64Encoded: boolean) =>
  dispatch(
    {
      rawPath: '/api/v1/inquiries/inq-1/reply',
      rawQueryString: '',
      headers: {},
      body,
      isBase64Encoded,
      requestContext: { http: { method: 'POST' }, requestId: 'request-1', authorizer: { jwt: { claims } } },
    } as unknown as APIGatewayProxyEventV2,
    deps,
  );

describe("the operator API: a change's body", () => {
  it('is read base64-decoded when API Gateway encoded it, as it is when passed as sent', async () => {
    const words = JSON.stringify({ text: 5 });
    for (const answer of [
      await reply(words, false),
      await reply(Buffer.from(words).toString('base64'), true),
    ]) {
      expect(answer.statusCode).toBe(400);
      // What the body says was read: its `text` is no text, not that the body is no JSON.
      expect(JSON.parse(answer.body ?? '{}').issues).toEqual([expect.stringMatching(/^text: /)]);
    }
  });
});
