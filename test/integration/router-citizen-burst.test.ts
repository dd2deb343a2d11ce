import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { type Consumer, routeWaiting, startRouterHandler } from '../support/router.js';

/**
 * One citizen's burst in one batch of the routing queue (a flood of messages, or photos sent one by one): the
 * router's own handler, through the real SDK against the emulators. Every message joins the citizen's case at
 * the first delivery; none is handed back to SQS for losing the inquiry's version to its neighbours, which
 * would bring it back minutes later and, in a flood that goes on, into the dead-letter queue.
 */
let aws: TestAws;
let router: Consumer;
let repository: DynamoInquiryRepository;

beforeAll(async () => {
  ({ aws, router, repository } = await startRouterHandler());
});
afterAll(() => aws?.stop());

/** The routing queue's batch size (lib/resources.ts). */
const BATCH = 10;

const message = (peer: number, index: number, notAnInquiry = false) =>
  classifiedDirectMessage({
    notAnInquiry,
    peerId: peer,
    eventKey: `burst-${peer}-${index}`,
    text: `Во дворе дома 7 не вывозят мусор, пишу уже ${index} раз`,
    category: 'waste',
    at: new Date(Date.UTC(2026, 2, 2, 6, 0, index)).toISOString(),
  });

describe("one citizen's messages in batches handled at the same time", () => {
  it('all join the case at the first delivery, beside other citizens who write as usual', async () => {
    const flooder = 9_500_001;
    const other = 9_500_002;
    expect((await routeWaiting(router, [message(flooder, 0)])).batchItemFailures).toEqual([]);

    // Three batches of the flooder's follow-ups at once, as three instances of the router take them, each with
    // another citizen's new inquiry among them.
    const answers = await Promise.all(
      [0, 1, 2].map((batch) => {
        const followUps = Array.from({ length: BATCH - 1 }, (_, index) =>
          message(flooder, 1 + batch * BATCH + index),
        );
        return routeWaiting(router, [
          ...followUps.slice(0, 4),
          message(other + batch, 0),
          ...followUps.slice(4),
        ]);
      }),
    );
    expect(answers.flatMap((answer) => answer.batchItemFailures)).toEqual([]);

    const inquiries = await repository.listAll();
    const flooded = inquiries.filter((inquiry) => inquiry.conversationKey === `dm:${flooder}`);
    expect(flooded).toHaveLength(1);
    expect(flooded[0]?.messageCount).toBe(1 + 3 * (BATCH - 1));
    for (let batch = 0; batch < 3; batch++)
      expect(inquiries.filter((inquiry) => inquiry.conversationKey === `dm:${other + batch}`)).toHaveLength(
        1,
      );
  });
});
