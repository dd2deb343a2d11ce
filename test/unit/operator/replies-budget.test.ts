import { describe, expect, it } from 'vitest';
import { documentClient, sqsClient } from '../../../lambdas/adapters/aws-clients.js';
import { SDK_REQUEST_HANDLER } from '../../../lambdas/adapters/sdk-timeouts.js';
import { OPERATOR_API_TIMEOUT_SECONDS } from '../../../lambdas/operator-api/api.js';
import { REPLIES_BUDGET_SECONDS } from '../../../lambdas/operator-api/use-cases/reply-to-many.js';

/**
 * One answer to many inquiries begins replies until its budget runs out, then lets those begun end: the one
 * begun last must end (answered, or failed into the 503 that hands back the key) within the function's
 * timeout, even when the table or the answers queue stops answering it and the SDK gives up on a call only
 * after every attempt has timed out (adapters/sdk-timeouts.ts).
 */

/** Up to 100 ms, then 200 ms, of the SDK's standard backoff before each retry: 0.5 s is more than they come to. */
const BACKOFF_SECONDS = 0.5;
/** The reply's other calls, each answered in milliseconds, and the answer. */
const REST_SECONDS = 0.5;

const givesUpAfter = (attempts: number) =>
  (attempts * SDK_REQUEST_HANDLER.requestTimeout) / 1000 + BACKOFF_SECONDS + REST_SECONDS;

describe('the time one answer to many inquiries begins replies', () => {
  it('leaves the reply begun last the time a call takes to fail on every attempt', async () => {
    const table = await documentClient().config.maxAttempts();
    const queue = await sqsClient().config.maxAttempts();
    expect([table, queue]).toEqual([3, 2]);
    const slowest = Math.max(givesUpAfter(table), givesUpAfter(queue));
    expect(slowest).toBe(7);
    expect(REPLIES_BUDGET_SECONDS + slowest).toBeLessThanOrEqual(OPERATOR_API_TIMEOUT_SECONDS);
    // And still far more than the second or so a full page of 100 takes in AWS (docs/operator-api.md).
    expect(REPLIES_BUDGET_SECONDS).toBeGreaterThanOrEqual(2);
  });
});
