import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { MANY_MESSAGES } from '../../lambdas/router/dispatch-by-kind.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { type Consumer, routeWaiting } from '../support/router.js';

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
  aws = await startTestAws();
  // Its lines are read below: INFO, set after the emulators' environment and before the handler's logger is made.
  Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'true' });
  router = (await import('../../lambdas/router/handler.js')).handler as unknown as Consumer;
  repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
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

/** The JSON lines the functions log (stdout, and stderr for warnings) while `call` runs. */
async function loggedBy(call: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const take = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(take);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(take);
  try {
    await call();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a case that one citizen floods', () => {
  it('is told to ops once it holds MANY_MESSAGES, by its id and count, without the words or the author', async () => {
    const flooder = 9_700_001;
    const logged = await loggedBy(async () => {
      for (let start = 0; start < MANY_MESSAGES + 1; start += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, MANY_MESSAGES + 1 - start) }, (_, index) =>
          message(flooder, start + index),
        );
        expect((await routeWaiting(router, batch)).batchItemFailures).toEqual([]);
      }
    });
    const [flooded] = (await repository.listAll()).filter(
      (inquiry) => inquiry.conversationKey === `dm:${flooder}`,
    );
    expect(flooded?.messageCount).toBe(MANY_MESSAGES + 1);

    const warned = logged.filter(
      (line) => line.message === 'citizen message: one case holds many messages of its citizen',
    );
    expect(warned).toEqual([
      expect.objectContaining({
        level: 'WARN',
        inquiryId: flooded?.id,
        caseNumber: flooded?.caseNumber,
        messageCount: MANY_MESSAGES,
      }),
    ]);
    // Each follow-up's line says how many the case holds, so a query finds the flooded cases at any count.
    const joined = logged.filter((line) => line.message === 'citizen message: joined');
    expect(joined.map((line) => line.messageCount).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: MANY_MESSAGES }, (_, index) => index + 2),
    );
    expect(JSON.stringify(warned)).not.toMatch(/9700001|мусор/);
  });
});
