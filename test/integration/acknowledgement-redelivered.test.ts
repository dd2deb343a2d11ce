import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { Outbox } from '../../lambdas/domain/outbox/ports.js';
import { createAcknowledger } from '../../lambdas/router/acknowledge.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { drainQueue, type TestAws } from '../support/aws.js';
import { localConfigWithout } from '../support/config-without.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { type OperatorApiCall, startOperatorApi } from '../support/operator-api.js';
import { recordingDeliverer } from '../support/responder.js';

/**
 * The router's acknowledgement of a new inquiry, when putting it on the outbox failed and an operator acted on
 * the inquiry before SQS brought the routing message back: against dynalite and fauxqs, with the operator
 * API's handler and the responder's use case. The citizen gets the case number once, whatever happened in
 * between, unless the inquiry was answered by then.
 */

const HOUSING = 'local-housing-token-change-me';
const config = readConfigFile('config/local.json');

let aws: TestAws;
let call: OperatorApiCall;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;

beforeAll(async () => {
  ({ aws, call, documents, repository } = await startOperatorApi('outbox'));
});
afterAll(() => aws?.stop());

/** The router as the handler builds it, its outbox refusing the first `failures` sends (SQS throttling). */
function routerFailing(failures: number) {
  const queue = new SqsOutbox(aws.sqs, aws.queues.outbox.url);
  let left = failures;
  const outbox: Outbox = {
    send: async (message) => {
      if (left-- > 0) throw new Error('SQS is throttling');
      return queue.send(message);
    },
  };
  const clock = { now: () => new Date() };
  return createMessageRouter({
    config,
    inquiries: repository,
    clock,
    inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
    acknowledge: createAcknowledger({ config, outbox, clock }),
  });
}

const acknowledgements = async () =>
  (await drainQueue(aws.sqs, aws.queues.outbox.url))
    .map((body) => JSON.parse(body) as OutboxMessage)
    .filter((message) => message.purpose === 'acknowledgement');

/** A new inquiry whose acknowledgement the outbox refused: the routing message fails, to come back later. */
async function openedUnacknowledged(eventKey: string, peerId: number) {
  await drainQueue(aws.sqs, aws.queues.outbox.url);
  const message = classifiedDirectMessage({
    peerId,
    eventKey,
    text: 'Не вывозят мусор во дворе',
    category: 'waste',
    at: new Date().toISOString(),
  });
  const router = routerFailing(1);
  await expect(router.routeCitizenMessage(message)).rejects.toThrow('SQS is throttling');
  expect(await acknowledgements()).toEqual([]);
  return { message, router, id: `inq-${eventKey}` };
}

/** The responder's use case, recording the words of each message it sends to VK. */
const responder = () => recordingDeliverer({ config, documents, tableName: aws.tableName });

describe('the acknowledgement of a new inquiry whose first try failed at the outbox', () => {
  it("names the community's triage department once a deploy removed the inquiry's own, never its id", async () => {
    const { message, id } = await openedUnacknowledged('ack-removed', 9609);
    const { department } = (await repository.getInquiry(id)) as Inquiry;
    expect(department).toBe('housing');
    const without = localConfigWithout('housing');
    const clock = { now: () => new Date() };
    const outbox = new SqsOutbox(aws.sqs, aws.queues.outbox.url);
    const router = createMessageRouter({
      config: without,
      inquiries: repository,
      clock,
      inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
      acknowledge: createAcknowledger({ config: without, outbox, clock }),
    });

    expect((await router.routeCitizenMessage(message)).acknowledgement).toBe('queued');
    const [queued] = await acknowledgements();
    expect(queued?.text).toContain('Его рассматривает Центр управления регионом.');
    expect(queued?.text).not.toContain('housing');
  });

  it('is queued when the routing message comes back after an operator took the inquiry, and sent once', async () => {
    const { message, router, id } = await openedUnacknowledged('ack-taken', 9601);
    expect((await call('POST', `/api/v1/inquiries/${id}/take`, HOUSING)).body.status).toBe('in_progress');

    expect(await router.routeCitizenMessage(message)).toMatchObject({
      outcome: 'duplicate',
      status: 'in_progress',
      acknowledgement: 'queued',
    });
    // And again (SQS delivers at least once): the same id.
    expect((await router.routeCitizenMessage(message)).acknowledgement).toBe('queued');
    const queued = await acknowledgements();
    expect(new Set(queued.map((sent) => sent.id))).toEqual(new Set([`${id}:acknowledgement:routed`]));
    const inquiry = (await repository.getInquiry(id)) as Inquiry;
    expect(queued[0]?.text).toContain(`под номером ${inquiry.caseNumber}.`);
    expect(queued[0]?.dueAt).toBe(inquiry.firstResponseDueAt);

    const { deliver, sent } = responder();
    for (const copy of queued) expect((await deliver(copy, 1)).done).toBe(true);
    expect(sent).toEqual([queued[0]?.text]);
  });

  it('goes without the time once the department answered in between, and not at all once it answered', async () => {
    const between = await openedUnacknowledged('ack-intermediate', 9602);
    await call('POST', `/api/v1/inquiries/${between.id}/take`, HOUSING);
    const intermediate = await call('POST', `/api/v1/inquiries/${between.id}/intermediate-answer`, HOUSING, {
      text: 'Работаем над вашим обращением',
    });
    expect(intermediate.status).toBe(200);
    expect((await between.router.routeCitizenMessage(between.message)).acknowledgement).toBe('queued');
    const [queued, ...more] = await acknowledgements();
    expect(more).toEqual([]);
    const { deliver, sent } = responder();
    await deliver(queued as OutboxMessage, 1);
    expect(sent).toEqual([queued?.textOnceDue]);
    expect(sent[0]).toContain(`под номером ${(await repository.getInquiry(between.id))?.caseNumber}`);

    const answered = await openedUnacknowledged('ack-answered', 9603);
    const reply = await call('POST', `/api/v1/inquiries/${answered.id}/reply`, HOUSING, { text: 'Вывезли.' });
    expect(reply.body.status).toBe('answered');
    expect(await answered.router.routeCitizenMessage(answered.message)).toMatchObject({
      outcome: 'duplicate',
      acknowledgement: 'answered',
    });
    expect(await acknowledgements()).toEqual([]);
  });
});
