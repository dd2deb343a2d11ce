import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import localConfig from '../../config/local.json';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import type { InquiryRepository } from '../../lambdas/domain/ports.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { type Latch, latch, stoppedAt } from '../support/latch.js';

/**
 * Races of two deliveries of the router's work over one inquiry, each staged in a chosen order: one stopped at
 * a latch in front of the repository's write, the other run whole, then the first let go on. What must hold is
 * what a serial order gives.
 */
let aws: TestAws;
let repository: DynamoInquiryRepository;

beforeAll(async () => {
  aws = await startTestAws();
  repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
});
afterAll(() => aws?.stop());

/** A router of the local configuration over `inquiries`, on the wall clock. */
const routerOver = (inquiries: InquiryRepository) =>
  createMessageRouter({
    config: parseAppConfig(localConfig, 'local'),
    inquiries,
    clock: { now: () => new Date() },
    inquiryIdFor: (_groupId, eventKey) => `inq-race-${eventKey}`,
  });

/** The repository, its `update` stopped at `at`: the write after the read the change was decided on. */
const updateStoppedAt = (at: Latch): InquiryRepository =>
  Object.assign(Object.create(repository) as DynamoInquiryRepository, {
    update: stoppedAt(repository.update.bind(repository), at),
  });

/** A citizen message in the dialogue with `peer`, received on Mon 2 March 2026 at `time` UTC. */
const message = (peer: number, eventKey: string, text: string, time = '06:00'): ClassifiedMessage =>
  classifiedDirectMessage({
    peerId: peer,
    eventKey,
    text,
    category: 'waste',
    at: `2026-03-02T${time}:00.000Z`,
  });

const inquiryOf = async (peer: number): Promise<Inquiry> => {
  const found = (await repository.listAll()).filter((inquiry) => inquiry.conversationKey === `dm:${peer}`);
  expect(found).toHaveLength(1);
  return found[0] as Inquiry;
};
const messagesIn = async (id: string) =>
  ((await repository.get(id))?.history ?? []).filter((entry) => entry.kind === 'message');

describe('two deliveries of one follow-up (SQS delivers at least once)', () => {
  it('joins it once, its entry kept, when the copy stopped before its write comes after the other', async () => {
    const router = routerOver(repository);
    await router.routeCitizenMessage(message(9401, 'e:9401a', 'Не вывозят мусор'));
    const opened = await inquiryOf(9401);
    const followUp = message(9401, 'e:9401b', 'Контейнеры переполнены уже неделю', '06:05');

    const writing = latch();
    const stopped = routerOver(updateStoppedAt(writing)).routeCitizenMessage(followUp);
    await writing.reached;
    expect(await router.routeCitizenMessage(followUp)).toMatchObject({ outcome: 'joined' });
    const joined = await inquiryOf(9401);
    writing.release();

    // Its write refused on the version, it reads again and finds the follow-up joined: it changes nothing,
    // and the entry it wrote over the other's, under the same key, stays the message's one entry.
    expect(await stopped).toMatchObject({ outcome: 'duplicate' });
    expect(await inquiryOf(9401)).toEqual(joined);
    expect(joined).toMatchObject({ version: opened.version + 1, messageCount: opened.messageCount + 1 });
    const entries = await messagesIn(opened.id);
    expect(entries.filter((entry) => entry.key.includes('e:9401b'))).toHaveLength(1);
    expect(entries).toHaveLength(2);
  });
});
