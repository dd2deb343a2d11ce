import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INQUIRY_ID_PATTERN } from '../../../lambdas/domain/inquiry/inquiry-id.js';
import type { RouteDeps } from '../../../lambdas/operator-api/api.js';
import { dispatch } from '../../../lambdas/operator-api/dispatch.js';
import { matchRoute, ROUTES } from '../../../lambdas/operator-api/routes.js';
import { inquiryIdFor } from '../../../lambdas/router/inquiry-ids.js';

const anInquiryId = new RegExp(`^${INQUIRY_ID_PATTERN}$`);

/** Communities and event keys: `e:<event_id>`, `d:<community>:<digest>` (event-key.ts), and anything. */
const events = fc.record({
  groupId: fc.oneof(fc.integer({ min: 1, max: 2 ** 31 }), fc.maxSafeInteger()),
  eventKey: fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 200 }).map((id) => `e:${id}`),
    fc.tuple(fc.nat(), fc.base64String()).map(([group, digest]) => `d:${group}:${digest}`),
    fc.string({ unit: 'binary', maxLength: 300 }),
  ),
});

/** The routes that name one inquiry, with `id` put in their path. */
const inquiryPaths = (id: string) =>
  ROUTES.filter((route) => route.path.includes('{id}')).map((route) => ({
    method: route.method,
    path: route.path.replace('{id}', id),
  }));

describe("an inquiry's id", () => {
  it('is the same for the same event, and as the router has always made it, so a redelivery finds its inquiry', () => {
    fc.assert(
      fc.property(events, ({ groupId, eventKey }) => {
        const made = createHash('sha256').update(`${groupId}\n${eventKey}`).digest('base64url').slice(0, 16);
        expect(inquiryIdFor(groupId, eventKey)).toBe(made);
      }),
    );
    expect(inquiryIdFor(1, 'e:1')).not.toBe(inquiryIdFor(2, 'e:1'));
  });

  it('is always one the pattern it states takes, and the operator API routes it to the inquiry', () => {
    fc.assert(
      fc.property(events, ({ groupId, eventKey }) => {
        const id = inquiryIdFor(groupId, eventKey);
        expect(id).toMatch(anInquiryId);
        for (const { method, path } of inquiryPaths(id))
          expect(matchRoute(method, path)?.params, `${method} ${path}`).toEqual({ id });
      }),
    );
  });

  it('is refused by the operator API when it is not one the pattern takes: no route, nothing looked up', async () => {
    const claims = { sub: 'operator-1', token_use: 'id', 'cognito:groups': ['admins'] };
    // No dependencies: a path that is no route is answered before anything is read.
    const deps = {} as RouteDeps;
    for (const id of ['inq.1', 'inq:1', 'a'.repeat(65), 'inq%2F1', 'ид-1', '']) {
      expect(id).not.toMatch(anInquiryId);
      for (const { method, path } of inquiryPaths(id)) {
        const event = {
          rawPath: path,
          rawQueryString: '',
          headers: {},
          body: '{}',
          requestContext: { http: { method }, authorizer: { jwt: { claims } } },
        } as unknown as APIGatewayProxyEventV2;
        const answer = await dispatch(event, deps);
        expect(answer.statusCode, `${method} ${path}`).toBe(404);
        expect(JSON.parse(answer.body ?? '{}'), `${method} ${path}`).toEqual({
          code: 'no_such_route',
          message: 'no such route',
        });
      }
    }
  });
});
