import { describe, expect, it } from 'vitest';
import { reopenBody, textBody } from '../../../lambdas/operator-api/contract/changes.js';
import { changedInquiry, inquiryPage } from '../../../lambdas/operator-api/contract/inquiry.js';
import { listInquiriesQuery } from '../../../lambdas/operator-api/contract/inquiry-list.js';
import { statisticsQuery } from '../../../lambdas/operator-api/contract/statistics.js';
import { defineRoute } from '../../../lambdas/operator-api/routes.js';
import { getInquiry } from '../../../lambdas/operator-api/use-cases/get-inquiry.js';
import { listInquiries } from '../../../lambdas/operator-api/use-cases/list-inquiries.js';
import { reply } from '../../../lambdas/operator-api/use-cases/reply.js';

const change = {
  method: 'POST',
  path: '/api/v1/inquiries/{id}/reply',
  operationId: 'replyToInquiry',
  tag: 'inquiries',
  summary: 'Answer the citizen',
  response: changedInquiry,
  change: true,
} as const;

const list = {
  method: 'GET',
  path: '/api/v1/inquiries',
  operationId: 'listInquiries',
  tag: 'inquiries',
  summary: 'The inquiries',
  response: inquiryPage,
} as const;

/**
 * The `@ts-expect-error` lines are the test: `npm run typecheck` fails if one of them compiles, i.e. if a use
 * case can again be wired to a route whose schemas give it another body or query than it reads (it would then
 * find `text` undefined only after the change was saved).
 */
describe('a route', () => {
  it('takes a use case only with the schemas of the body and query it reads', () => {
    // @ts-expect-error reply reads `text`, which a reopening's body does not give
    defineRoute({ ...change, body: reopenBody, useCase: reply });
    // @ts-expect-error reply reads a body, and a route without a body schema gives none
    defineRoute({ ...change, useCase: reply });
    // @ts-expect-error the list reads its query, and a route without a query schema gives none
    defineRoute({ ...list, useCase: listInquiries });
    // @ts-expect-error the list reads its own query, not the statistics'
    defineRoute({ ...list, query: statisticsQuery, useCase: listInquiries });

    const wired = defineRoute({ ...change, body: textBody, useCase: reply });
    expect(wired.body).toBe(textBody);
    expect(defineRoute({ ...list, query: listInquiriesQuery, useCase: listInquiries }).query).toBe(
      listInquiriesQuery,
    );
    // A use case that reads neither goes on any route.
    expect(defineRoute({ ...list, useCase: getInquiry }).useCase).toBe(getInquiry);
  });
});
