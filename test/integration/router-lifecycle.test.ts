import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import localConfig from '../../config/local.json';
import { classify } from '../../lambdas/adapters/classifier-model.js';
import { citizenKey, DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { toRoutingMessage } from '../../lambdas/classifier/classify-event.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import { ERASED_CITIZEN_DAYS } from '../../lambdas/domain/inquiry/erased-citizen.js';
import { type Inquiry, REMEMBERED_CAUSES } from '../../lambdas/domain/inquiry/inquiry.js';
import { applyEvent, type InquiryEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import type {
  ClassifiedMessage,
  MessageChange,
  OperatorReplyInVk,
  RoutingMessage,
} from '../../lambdas/domain/messages.js';
import {
  type InquiryRepository,
  type ProductMetrics,
  VersionConflictError,
} from '../../lambdas/domain/ports.js';
import { interpretVkEvent } from '../../lambdas/domain/vk/interpret.js';
import {
  createMessageRouter,
  MessageNotFoundYet,
  MessageStillMissing,
  OVERTAKEN_RETRY_MS,
  WAITING_SINCE_ATTRIBUTE,
} from '../../lambdas/router/route-message.js';
import { INQUIRY_TABLE } from '../../lib/resources.js';
import { drainQueue, queueContents, startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, fixture } from '../support/fixtures.js';
import { answeredByOperator } from '../support/operator-answer.js';
import { sqsEvent } from '../support/sqs-events.js';

type Consumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let aws: TestAws;
let router: Consumer;
let repository: DynamoInquiryRepository;
const context = {
  functionName: 'test',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as Context;

beforeAll(async () => {
  aws = await startTestAws();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  router = (await import('../../lambdas/router/handler.js')).handler as unknown as Consumer;
  repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
});
afterAll(() => aws?.stop());

/** A citizen message in the dialogue with `peer`, received on Mon 2 March 2026 at `time` UTC. */
const message = (peer: number, eventKey: string, text: string, time = '06:00'): ClassifiedMessage => ({
  kind: 'citizen_message',
  eventKey,
  receivedAt: `2026-03-02T${time}:00.000Z`,
  message: {
    groupId: DEMO_GROUP_ID,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: peer },
    messageRef: `dm:${peer}:${eventKey}`,
    conversationKey: `dm:${peer}`,
    authorId: peer,
    text,
    attachments: [],
    sentAt: `2026-03-02T${time}:00.000Z`,
  },
  classification: {
    category: 'waste',
    priority: 'high',
    confidence: 0.9,
    inquiry: true,
    triage: false,
    model: 't',
  },
});

const route = async (...messages: RoutingMessage[]) => {
  const response = await router(sqsEvent(messages), context);
  expect(response.batchItemFailures).toEqual([]);
};
/** The messages put back on the routing queue to wait, with their attributes, then taken off it. */
async function putBackToWait() {
  const held = await queueContents(aws, aws.queues.routing.url);
  await drainQueue(aws.sqs, aws.queues.routing.url);
  return held;
}
/** The routing queue's dead letters, taken off it. */
const deadLetters = () => drainQueue(aws.sqs, aws.queues.routing.deadLetterUrl);
/** The messages put back on the routing queue to wait, then taken off it. */
async function waitingOnRoutingQueue(): Promise<number> {
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: aws.queues.routing.url,
      AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
    }),
  );
  await drainQueue(aws.sqs, aws.queues.routing.url);
  return Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0);
}
const inquiriesOf = async (peer: number) =>
  (await repository.listAll()).filter((inquiry) => inquiry.conversationKey === `dm:${peer}`);

/** A citizen's edit of the direct message `messageRef`, received at `receivedAt`. */
const editOf = (messageRef: string, receivedAt: string, text = '…'): RoutingMessage => ({
  kind: 'message_changed',
  eventKey: `e:edit:${messageRef}:${receivedAt}`,
  receivedAt,
  groupId: DEMO_GROUP_ID,
  change: 'edited',
  channel: 'direct_message',
  messageRef,
  text,
});

/** The citizen's inquiry answered by an operator at 07:00 on Mon 2 March, as the operator API writes it. */
async function answerAsOperator(peer: number, cause: string): Promise<Inquiry> {
  const [opened] = await inquiriesOf(peer);
  if (!opened) throw new Error(`no inquiry of ${peer}`);
  return answer(opened, cause);
}
const answer = (opened: Inquiry, cause: string): Promise<Inquiry> =>
  answeredByOperator(repository, opened, {
    cause,
    at: '2026-03-02T07:00:00.000Z',
    operatorId: 9,
    text: 'Вывезли',
    now: new Date(),
  });

/**
 * The repository, but another writer (an operator, a follow-up of the same batch) changes the inquiry as
 * `change` makes it just before the first write: that write is refused on its version, and retried.
 */
function changedFirst(change: (current: Inquiry) => Inquiry) {
  let raced = false;
  const racing: InquiryRepository = Object.create(repository);
  racing.update = async (inquiry, expectedVersion, history, writer) => {
    if (!raced) {
      raced = true;
      const current = (await repository.getInquiry(inquiry.id)) as Inquiry;
      await repository.update({ ...change(current), version: current.version + 1 }, current.version, []);
    }
    return repository.update(inquiry, expectedVersion, history, writer);
  };
  return { racing, raced: () => raced };
}

/**
 * A router of the local configuration over `inquiries`, on the wall clock, counting into `metrics` if given; it
 * joins, so ids are not used.
 */
const wallClockRouter = (inquiries: InquiryRepository, metrics?: ProductMetrics) =>
  createMessageRouter({
    config: parseAppConfig(localConfig, 'local'),
    inquiries,
    clock: { now: () => new Date() },
    inquiryIdFor: () => 'unused',
    ...(metrics && { metrics }),
  });

describe('router against dynalite: the life of an inquiry', () => {
  it('answers each of two batches handled at once in one process with its own failures', async () => {
    // The local runtime hands one process several batches at a time, as Lambda hands several instances.
    const first = router(
      sqsEvent(['not a message', message(9301, 'two-batches-1', 'Не вывозят мусор')], 'first'),
      context,
    );
    const second = router(sqsEvent([message(9302, 'two-batches-2', 'Яма во дворе')], 'second'), context);
    const [firstResult, secondResult] = await Promise.all([first, second]);
    expect(firstResult.batchItemFailures).toEqual([{ itemIdentifier: 'first-0' }]);
    expect(secondResult.batchItemFailures).toEqual([]);
  });

  it('threads two messages of one citizen in one dialogue into one inquiry', async () => {
    await route(message(101, 'e:101a', 'Не вывозят мусор'));
    await route(message(101, 'e:101b', 'Контейнеры переполнены уже неделю', '06:05'));
    const [inquiry, ...others] = await inquiriesOf(101);
    expect(others).toEqual([]);
    expect(inquiry).toMatchObject({
      status: 'routed',
      messageCount: 2,
      text: 'Не вывозят мусор',
      version: 2,
    });
    const found = await repository.get(inquiry?.id as string);
    expect(
      found?.history.filter((entry) => entry.kind === 'message').map((entry) => entry.detail.text),
    ).toEqual(['Не вывозят мусор', 'Контейнеры переполнены уже неделю']);
    expect((await repository.getMessageLookup(DEMO_GROUP_ID, 'dm:101:e:101b'))?.inquiryId).toBe(inquiry?.id);
  });

  it("writes on the inquiry item the keys of the table's indexes, and no others", async () => {
    await route(message(128, 'e:128a', 'Не вывозят мусор'));
    const [inquiry] = await inquiriesOf(128);
    const { Item } = await DynamoDBDocumentClient.from(aws.dynamo).send(
      new GetCommand({ TableName: aws.tableName, Key: { pk: `INQ#${inquiry?.id}`, sk: 'INQUIRY' } }),
    );
    const indexKeys = Object.keys(Item ?? {}).filter((name) => /^gsi\d/.test(name));
    expect(indexKeys.sort()).toEqual(
      Object.values(INQUIRY_TABLE.indexes)
        .flatMap((index) => [index.partitionKey, index.sortKey])
        .sort(),
    );
  });

  it('reopens the inquiry when the citizen writes after the answer, with a new first-response clock', async () => {
    await route(message(102, 'e:102a', 'Не вывозят мусор'));
    await answerAsOperator(102, 'op:1');

    await route(message(102, 'e:102b', 'Опять не вывезли!', '08:00'));
    const all = await inquiriesOf(102);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      status: 'reopened',
      reopenCount: 1,
      clock: { kind: 'first_response', cycle: 2 },
    });
    // Mon 2 March 13:00 Perm (lunch) → 4 working hours from 14:00: 18:00 local.
    expect(all[0]?.firstResponseDueAt).toBe('2026-03-02T13:00:00.000Z');
  });

  it('opens a new inquiry, routed and acknowledged, when the citizen writes long after the answer', async () => {
    await route(message(121, 'e:121a', 'Не вывозят мусор'));
    const opened = await answerAsOperator(121, 'op:121');
    await drainQueue(aws.sqs, aws.queues.outbox.url);

    // Three months on, nothing closed the answered inquiry; the citizen reports something else.
    const later = message(121, 'e:121b', 'Яма на дороге у дома 3');
    await route({
      ...later,
      receivedAt: '2026-06-02T06:00:00.000Z',
      message: { ...later.message, sentAt: '2026-06-02T06:00:00.000Z' },
      classification: { ...later.classification, category: 'roads' },
    });
    const all = await inquiriesOf(121);
    expect(all).toHaveLength(2);
    expect(all.find((inquiry) => inquiry.id === opened?.id)).toMatchObject({ status: 'answered' });
    const fresh = all.find((inquiry) => inquiry.id !== opened?.id);
    expect(fresh).toMatchObject({ status: 'routed', department: 'roads', text: 'Яма на дороге у дома 3' });
    const outbox = await drainQueue(aws.sqs, aws.queues.outbox.url);
    expect(outbox.filter((body) => body.includes(fresh?.id as string))).toHaveLength(1);
  });

  it('counts a critical inquiry round the clock: due an hour after a Saturday-night message; normal waits for Monday', async () => {
    /** A message of `peer` received on Sat 14 March 2026 at 22:30 in Perm (UTC+5), the office closed till Monday. */
    const saturdayNight = (peer: number, priority: 'critical' | 'normal'): ClassifiedMessage => {
      const base = message(peer, `e:${peer}`, 'В подъезде сильно пахнет газом');
      const at = '2026-03-14T17:30:00.000Z';
      return {
        ...base,
        receivedAt: at,
        message: { ...base.message, sentAt: at },
        classification: { ...base.classification, category: 'housing', priority },
      };
    };
    await route(saturdayNight(170, 'critical'), saturdayNight(171, 'normal'));
    const [critical] = await inquiriesOf(170);
    expect(critical).toMatchObject({
      priority: 'critical',
      terms: { firstResponseHours: 1, resolutionHours: 24, clock: 'round_the_clock' },
      firstResponseDueAt: '2026-03-14T18:30:00.000Z',
      // Its department is warned at half the hour (the shipped terms' share for critical), 23:00 local.
      clock: {
        kind: 'first_response',
        dueAt: '2026-03-14T18:30:00.000Z',
        warnAt: '2026-03-14T18:00:00.000Z',
      },
    });
    // 9 working hours from Mon 16 March 09:00 local: 8 that day, 1 on Tuesday, due 10:00 local.
    const [normal] = await inquiriesOf(171);
    expect(normal).toMatchObject({
      terms: { clock: 'working_hours' },
      firstResponseDueAt: '2026-03-17T05:00:00.000Z',
    });
  });

  it('raises the inquiry when a follow-up reports a danger, and brings its deadline forward', async () => {
    await route(message(120, 'e:120a', 'Течёт батарея в подъезде'));
    const [opened] = await inquiriesOf(120);
    // Mon 2 March 11:00 Perm, `high`: 4 working hours, 2 before lunch and 2 after: 16:00 local.
    expect(opened?.firstResponseDueAt).toBe('2026-03-02T11:00:00.000Z');
    const danger = message(120, 'e:120b', 'Прорвало трубу, кипяток хлещет на лестницу', '06:10');
    await route({ ...danger, classification: { ...danger.classification, priority: 'critical' } });

    const [raised, ...others] = await inquiriesOf(120);
    expect(others).toEqual([]);
    // `critical`: 1 working hour from the clock's start, 11:00 local.
    expect(raised).toMatchObject({
      priority: 'critical',
      terms: { firstResponseHours: 1, resolutionHours: 24 },
      firstResponseDueAt: '2026-03-02T07:00:00.000Z',
      clock: { kind: 'first_response', cycle: 1, dueAt: '2026-03-02T07:00:00.000Z' },
    });
    const history = (await repository.get(raised?.id as string))?.history ?? [];
    expect(history.filter((entry) => entry.kind === 'classified').at(-1)).toMatchObject({
      actor: 'classifier',
      detail: { fromPriority: 'high', toPriority: 'critical' },
    });
  });

  it('changes nothing when SQS delivers the same message again', async () => {
    await route(message(103, 'e:103a', 'Не вывозят мусор'), message(103, 'e:103b', 'И ещё яма', '06:01'));
    const [before] = await inquiriesOf(103);
    const historyBefore = (await repository.get(before?.id as string))?.history;
    await route(message(103, 'e:103b', 'И ещё яма', '06:01'), message(103, 'e:103a', 'Не вывозят мусор'));
    const after = await inquiriesOf(103);
    expect(after).toEqual([before]);
    expect((await repository.get(before?.id as string))?.history).toEqual(historyBefore);
  });

  it('changes nothing when a message comes back after more changes than the inquiry remembers causes of', async () => {
    await route(message(125, 'e:125a', 'Не вывозят мусор'));
    // More follow-ups than an inquiry remembers causes of, then the answer.
    const followUps = Array.from({ length: REMEMBERED_CAUSES + 1 }, (_, n) =>
      message(125, `e:125f${n}`, `Когда вывезут? (${n})`, `06:${String(n + 1).padStart(2, '0')}`),
    );
    for (const followUp of followUps) await route(followUp);
    const answered = await answerAsOperator(125, 'op:125');
    expect(answered.causes).not.toContain('e:125a');
    expect(answered.causes).not.toContain('e:125f0');
    const historyBefore = (await repository.get(answered.id))?.history;

    // The opening message and the first follow-up replayed from the dead-letter queue days later (their
    // routing stopped after the inquiry was written, at the acknowledgement): both were applied long ago.
    await route(message(125, 'e:125a', 'Не вывозят мусор'));
    await route(followUps[0] as RoutingMessage);
    const [inquiry, ...others] = await inquiriesOf(125);
    expect(others).toEqual([]);
    expect(inquiry).toEqual(answered);
    expect(inquiry).toMatchObject({
      status: 'answered',
      messageCount: REMEMBERED_CAUSES + 2,
      reopenCount: 0,
    });
    expect((await repository.get(answered.id))?.history).toEqual(historyBefore);
  });

  it('stores the lookup of a message whose routing stopped after its inquiry was written, and changes nothing else', async () => {
    const config = parseAppConfig((await import('../../config/local.json')).default, 'local');
    const failing = { left: 0 };
    const stopping: InquiryRepository = Object.create(repository);
    stopping.saveMessageLookup = async (lookup) => {
      if (failing.left > 0) {
        failing.left--;
        throw new Error('the router stopped here');
      }
      return repository.saveMessageLookup(lookup);
    };
    const routerOver = (inquiries: InquiryRepository) =>
      createMessageRouter({
        config,
        inquiries,
        clock: { now: () => new Date() },
        inquiryIdFor: (_groupId, key) => `inq-${key}`,
      });
    const opening = message(126, 'e:126a', 'Не вывозят мусор');
    const followUp = message(126, 'e:126b', 'Контейнеры переполнены', '06:05');
    if (opening.kind !== 'citizen_message' || followUp.kind !== 'citizen_message')
      throw new Error('not a message');
    for (const routed of [opening, followUp]) {
      failing.left = 1;
      await expect(routerOver(stopping).routeCitizenMessage(routed)).rejects.toThrow(
        'the router stopped here',
      );
      expect(await repository.getMessageLookup(DEMO_GROUP_ID, routed.message.messageRef)).toBeUndefined();
      const [before] = await inquiriesOf(126);
      const historyBefore = (await repository.get(before?.id as string))?.history;

      // SQS delivers it again.
      expect((await routerOver(repository).routeCitizenMessage(routed)).outcome).toBe('duplicate');
      expect(await repository.getMessageLookup(DEMO_GROUP_ID, routed.message.messageRef)).toMatchObject({
        inquiryId: 'inq-e:126a',
        eventKey: routed.eventKey,
        opening: routed === opening,
      });
      expect(await inquiriesOf(126)).toEqual([before]);
      expect((await repository.get(before?.id as string))?.history).toEqual(historyBefore);
    }
    const [inquiry] = await inquiriesOf(126);
    expect(inquiry).toMatchObject({ messageCount: 2, version: 2 });

    // The lookups found what they name: an edit of each message changes its history entry.
    await route(editOf('dm:126:e:126b', '2026-03-02T07:00:00.000Z', 'Контейнеры переполнены третий день'));
    const history = (await repository.get(inquiry?.id as string))?.history ?? [];
    expect(history.filter((entry) => entry.kind === 'message').map((entry) => entry.detail.text)).toEqual([
      'Не вывозят мусор',
      'Контейнеры переполнены третий день',
    ]);
  });

  it('takes a message once that another event brings again, before or after its lookup is stored', async () => {
    const config = parseAppConfig((await import('../../config/local.json')).default, 'local');
    const stopping: InquiryRepository = Object.create(repository);
    stopping.saveMessageLookup = async () => {
      throw new Error('the router stopped here');
    };
    const metrics = recordingMetrics();
    const routerOver = (inquiries: InquiryRepository) =>
      createMessageRouter({
        config,
        inquiries,
        metrics,
        clock: { now: () => new Date() },
        inquiryIdFor: (_groupId, key) => `inq-${key}`,
      });
    // One message of the citizen's (one ref), as VK sends it under three events: two callback servers, say.
    const under = (eventKey: string) => {
      const routed = message(127, eventKey, 'Не вывозят мусор');
      if (routed.kind !== 'citizen_message') throw new Error('not a message');
      return { ...routed, message: { ...routed.message, messageRef: 'dm:127:614' } };
    };
    // The first opens the inquiry, and its routing stops before the message's lookup.
    await expect(routerOver(stopping).routeCitizenMessage(under('e:127a'))).rejects.toThrow(
      'the router stopped here',
    );
    const [opened] = await inquiriesOf(127);
    const historyBefore = (await repository.get(opened?.id as string))?.history;

    // The second finds the message as its inquiry's own, not yet in a lookup; the third, in its lookup.
    expect(await routerOver(repository).routeCitizenMessage(under('e:127b'))).toMatchObject({
      inquiryId: 'inq-e:127a',
      outcome: 'duplicate',
      acknowledgement: 'other_delivery',
    });
    expect((await routerOver(repository).routeCitizenMessage(under('e:127a'))).outcome).toBe('duplicate');
    expect(await repository.getMessageLookup(DEMO_GROUP_ID, 'dm:127:614')).toMatchObject({
      inquiryId: 'inq-e:127a',
      eventKey: 'e:127a',
    });
    expect((await routerOver(repository).routeCitizenMessage(under('e:127c'))).outcome).toBe('duplicate');

    expect(await inquiriesOf(127)).toEqual([opened]);
    expect(opened).toMatchObject({ messageCount: 1, version: 1 });
    expect((await repository.get(opened?.id as string))?.history).toEqual(historyBefore);
    // The first event's own redelivery is no repeat: only the other events are counted.
    expect(metrics.counts.filter((count) => count.name === 'RepeatedMessagesDropped')).toHaveLength(2);
  });

  it('refuses a second writer with a stale version, and the router retries on top of its change', async () => {
    await route(message(104, 'e:104a', 'Не вывозят мусор'));
    const [opened] = await inquiriesOf(104);
    const stale = opened as NonNullable<typeof opened>;
    // A stale write is refused outright.
    await expect(
      repository.update({ ...stale, text: 'x', version: stale.version + 1 }, stale.version - 1, []),
    ).rejects.toBeInstanceOf(VersionConflictError);

    // An operator writes between the router's read and its write: the router's first write is refused.
    const { racing } = changedFirst((current) => ({ ...current, triage: true }));
    const routerWithRace = wallClockRouter(racing);
    const outcome = await routerWithRace.routeCitizenMessage(message(104, 'e:104b', 'Уже неделю', '06:10'));
    expect(outcome.outcome).toBe('joined');
    const after = await repository.getInquiry(stale.id);
    // Both changes survive: the operator's (triage) and the router's (the second message), one version each.
    expect(after).toMatchObject({ triage: true, messageCount: 2, version: stale.version + 2 });
  });

  it('leaves no "priority raised" in the history when its retry, on top of an operator\'s change, raises nothing', async () => {
    await route(message(127, 'e:127a', 'Течёт батарея в подъезде'));
    const [opened] = await inquiriesOf(127);
    const danger = message(127, 'e:127b', 'Прорвало трубу, кипяток хлещет на лестницу', '06:10');
    if (danger.kind !== 'citizen_message') throw new Error('not a message');
    // An operator sets the priority to `critical` by hand between the router's read and its write.
    const { racing, raced } = changedFirst((current) => ({ ...current, priority: 'critical' }));
    const routerWithRace = wallClockRouter(racing);
    const outcome = await routerWithRace.routeCitizenMessage({
      ...danger,
      classification: { ...danger.classification, priority: 'critical' },
    });
    expect(outcome.outcome).toBe('joined');
    expect(raced()).toBe(true);

    // The first attempt raised the priority; the retry found it raised already, and wrote the message only.
    const found = await repository.get(opened?.id as string);
    expect(found?.inquiry).toMatchObject({ priority: 'critical', messageCount: 2 });
    expect(found?.history.map((entry) => entry.kind)).toEqual(['message', 'classified', 'routed', 'message']);
  });

  it('edits and withdraws the stored message when the citizen edits or deletes it in VK', async () => {
    await route(message(105, 'e:105a', 'Не вывозят мусор'));
    const [opened] = await inquiriesOf(105);
    const change = (
      eventKey: string,
      kind: 'edited' | 'deleted',
      text?: string,
      time = '07:00',
    ): RoutingMessage => ({
      kind: 'message_changed',
      eventKey,
      receivedAt: `2026-03-02T${time}:00.000Z`,
      groupId: DEMO_GROUP_ID,
      change: kind,
      channel: 'direct_message',
      messageRef: 'dm:105:e:105a',
      ...(text !== undefined && { text }),
    });
    await route(change('e:105edit', 'edited', 'Не вывозят мусор с улицы Ленина, 5'));
    let found = await repository.get(opened?.id as string);
    expect(found?.inquiry).toMatchObject({ text: 'Не вывозят мусор с улицы Ленина, 5', version: 2 });
    expect(found?.history.find((entry) => entry.kind === 'message')?.detail).toMatchObject({
      text: 'Не вывозят мусор с улицы Ленина, 5',
      deleted: false,
    });
    expect(found?.history.find((entry) => entry.kind === 'message_changed')?.detail).toMatchObject({
      previousText: 'Не вывозят мусор',
    });

    await route(change('e:105del', 'deleted', undefined, '07:30'));
    await route(change('e:105del', 'deleted', undefined, '07:30'));
    found = await repository.get(opened?.id as string);
    expect(found?.inquiry).toMatchObject({ withdrawn: true, version: 3 });
    expect(found?.history.find((entry) => entry.kind === 'message')?.detail.deleted).toBe(true);
    expect((await repository.getMessageLookup(DEMO_GROUP_ID, 'dm:105:e:105a'))?.deleted).toBe(true);
  });

  it('keeps the newer edit when an older edit of the same message is handled alongside it', async () => {
    await route(message(123, 'e:123a', 'Не вывозят мусор'));
    const [opened] = await inquiriesOf(123);
    const older = editOf('dm:123:e:123a', '2026-03-02T07:00:00.000Z', 'Не вывозят мусор с Ленина');
    const newer = editOf('dm:123:e:123a', '2026-03-02T07:00:02.000Z', 'Не вывозят мусор с Ленина, 5');
    if (older.kind !== 'message_changed' || newer.kind !== 'message_changed') throw new Error('not a change');
    const config = parseAppConfig((await import('../../config/local.json')).default, 'local');
    const routerOver = (inquiries: InquiryRepository) =>
      createMessageRouter({
        config,
        inquiries,
        clock: { now: () => new Date() },
        inquiryIdFor: () => 'unused',
      });
    // The newer edit is stored whole between the older one's reads and its first write (two records of one
    // batch): the older one then loses the version race, and its retry must see that it is the older.
    let raced = false;
    const racing: InquiryRepository = Object.create(repository);
    racing.changeStoredMessage = async (lookup, change) => {
      if (!raced) {
        raced = true;
        await routerOver(repository).applyMessageChange(newer);
      }
      return repository.changeStoredMessage(lookup, change);
    };
    expect((await routerOver(racing).applyMessageChange(older)).outcome).toBe('changed');
    expect(raced).toBe(true);

    const found = await repository.get(opened?.id as string);
    expect(found?.inquiry).toMatchObject({ text: 'Не вывозят мусор с Ленина, 5', version: 3 });
    expect(found?.history.find((entry) => entry.kind === 'message')?.detail.text).toBe(
      'Не вывозят мусор с Ленина, 5',
    );
    expect(await repository.getMessageLookup(DEMO_GROUP_ID, 'dm:123:e:123a')).toMatchObject({
      text: 'Не вывозят мусор с Ленина, 5',
      changedAt: '2026-03-02T07:00:02.000Z',
    });
    // Both edits are in the history, the older one as what it was.
    expect(found?.history.filter((entry) => entry.kind === 'message_changed')).toHaveLength(2);
  });

  it('keeps the words an edited message had before, when its inquiry write is refused once and retried', async () => {
    await route(message(131, 'e:131a', 'Не вывозят мусор у дома 3'));
    const [opened] = await inquiriesOf(131);
    // Another writer (a follow-up of the same batch, the escalator) changes the inquiry between the edit's read
    // and its write: the edit was stored on the message already, and its retry reads it back from there.
    const { racing, raced } = changedFirst((current) => current);
    const edit = editOf('dm:131:e:131a', '2026-03-02T07:00:00.000Z', 'Не вывозят мусор у дома 5');
    if (edit.kind !== 'message_changed') throw new Error('not a change');
    const routerWithRace = wallClockRouter(racing);
    expect((await routerWithRace.applyMessageChange(edit)).outcome).toBe('changed');
    expect(raced()).toBe(true);

    const found = await repository.get(opened?.id as string);
    expect(found?.inquiry.text).toBe('Не вывозят мусор у дома 5');
    expect(found?.history.filter((entry) => entry.kind === 'message_changed')).toMatchObject([
      { detail: { text: 'Не вывозят мусор у дома 5', previousText: 'Не вывозят мусор у дома 3' } },
    ]);
  });

  it('routes a message edited into an inquiry on the place it pins and the words it passes on, as a new one', async () => {
    const lenina = {
      latitude: 58.01,
      longitude: 56.25,
      title: 'ул. Ленина, 12',
      city: 'Пермь',
      mapUrl: 'https://yandex.ru/maps/?pt=56.25,58.01&z=17&l=map',
    };
    // Roads on Lenina street go to the roads department, all others to housing.
    const local = (await import('../../config/local.json')).default;
    const config = parseAppConfig(
      {
        ...local,
        routing: [
          { category: 'roads', patterns: ['ул\\.? ?Ленина'], department: 'roads' },
          { category: 'roads', department: 'housing' },
        ],
      },
      'local',
    );
    const routerOver = createMessageRouter({
      config,
      inquiries: repository,
      clock: { now: () => new Date('2026-03-02T06:01:00.000Z') },
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    });
    const roads = { category: 'roads' as const, priority: 'high' as const, confidence: 0.9 };
    const text = 'Добрый день, здесь яма';
    const at = (
      peer: number,
      classification: Partial<ClassifiedMessage['classification']>,
      words: string,
    ) => {
      const base = message(peer, `e:${peer}a`, words);
      return {
        ...base,
        message: { ...base.message, location: lenina },
        classification: { ...base.classification, ...classification },
      };
    };
    // Said with its words at once: the pinned street routes it.
    await routerOver.routeCitizenMessage(at(129, roads, text));
    // First a greeting, taken for no inquiry, then edited into the report.
    await routerOver.routeCitizenMessage(
      at(130, { category: 'other', priority: 'normal', inquiry: false }, 'Добрый день'),
    );
    const edit = editOf('dm:130:e:130a', '2026-03-02T06:00:40.000Z', text);
    if (edit.kind !== 'message_changed') throw new Error('not a change');
    await routerOver.applyMessageChange({
      ...edit,
      classification: { ...roads, inquiry: true, triage: false, model: 't' },
    });
    const [fresh] = await inquiriesOf(129);
    const [edited] = await inquiriesOf(130);
    expect(fresh).toMatchObject({ status: 'routed', department: 'roads' });
    expect(edited).toMatchObject({ status: 'routed', department: 'roads', location: lenina, text });
  });

  it('stores a change on the message item and its history entry only if no newer change is stored there', async () => {
    await route(message(124, 'e:124a', 'Не вывозят мусор'));
    const lookup = await repository.getMessageLookup(DEMO_GROUP_ID, 'dm:124:e:124a');
    if (!lookup) throw new Error('no lookup');
    const change = (text: string, changedAt: string) => ({ text, deleted: false, changedAt });
    expect(
      await repository.changeStoredMessage(lookup, change('вторая правка', '2026-03-02T07:00:02.000Z')),
    ).toBe(true);
    expect(
      await repository.changeStoredMessage(lookup, change('первая правка', '2026-03-02T07:00:00.000Z')),
    ).toBe(false);
    // Two changes that both passed the message item (the older one first) reach the history entry in the
    // other order: the entry keeps the newer words.
    await DynamoDBDocumentClient.from(aws.dynamo).send(
      new UpdateCommand({
        TableName: aws.tableName,
        Key: { pk: `MSG#${DEMO_GROUP_ID}#dm:124:e:124a`, sk: 'MSG' },
        UpdateExpression: 'REMOVE changedAt',
      }),
    );
    expect(
      await repository.changeStoredMessage(lookup, change('первая правка', '2026-03-02T07:00:00.000Z')),
    ).toBe(true);
    const history = (await repository.get(lookup.inquiryId))?.history ?? [];
    expect(history.find((entry) => entry.key === lookup.historyKey)?.detail).toMatchObject({
      text: 'вторая правка',
      changedAt: '2026-03-02T07:00:02.000Z',
    });
  });

  it('puts a change to a message it does not hold yet back to wait, counting the wait from its first look', async () => {
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const change = (receivedAt: string) => editOf('dm:999:1', receivedAt);
    const alongside: RoutingMessage = {
      kind: 'messaging_permission',
      eventKey: 'e:alongside',
      receivedAt: '2026-03-02T06:00:00.000Z',
      groupId: DEMO_GROUP_ID,
      userId: 199,
      allowed: true,
    };
    // The change goes back on the queue to wait, delayed, marked with when the router first looked; nothing
    // fails.
    await drainQueue(aws.sqs, aws.queues.routing.url);
    const before = Date.now();
    const fresh = await router(sqsEvent([change(new Date().toISOString()), alongside]), context);
    expect(fresh.batchItemFailures).toEqual([]);
    const [waiting, ...more] = await putBackToWait();
    expect(more).toEqual([]);
    expect(JSON.parse(waiting?.body ?? '')).toEqual(change(JSON.parse(waiting?.body ?? '').receivedAt));
    expect(Date.parse(waiting?.attributes[WAITING_SINCE_ATTRIBUTE] ?? '')).toBeGreaterThanOrEqual(before);
    // Back within the window: put back again, its first look kept.
    const since = ago(OVERTAKEN_RETRY_MS - 60_000);
    const within = await router(
      sqsEvent([change(ago(OVERTAKEN_RETRY_MS * 4))], 'within', { [WAITING_SINCE_ATTRIBUTE]: since }),
      context,
    );
    expect(within.batchItemFailures).toEqual([]);
    expect((await putBackToWait()).map((message) => message.attributes)).toEqual([
      { [WAITING_SINCE_ATTRIBUTE]: since },
    ]);
    // One that reached us long ago but has not waited here (replayed from the dead-letter queue) waits too.
    await router(sqsEvent([change('2026-01-01T00:00:00.000Z')], 'replayed'), context);
    expect(await putBackToWait()).toHaveLength(1);
    expect(await deadLetters()).toEqual([]);
  });

  it('keeps a change whose message is still missing after its wait in the dead-letter queue, rather than dropping it', async () => {
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const change = editOf('dm:998:1', ago(OVERTAKEN_RETRY_MS + 60_000));
    await drainQueue(aws.sqs, aws.queues.routing.url);
    await deadLetters();
    const past = await router(
      sqsEvent([change], 'past', { [WAITING_SINCE_ATTRIBUTE]: ago(OVERTAKEN_RETRY_MS + 1000) }),
      context,
    );
    // Not failed (no attempts spent, no invocation failed), not put back: a dead letter, as it came.
    expect(past.batchItemFailures).toEqual([]);
    expect(await waitingOnRoutingQueue()).toBe(0);
    const [kept, ...more] = await queueContents(aws, aws.queues.routing.deadLetterUrl);
    expect(more).toEqual([]);
    expect(kept).toEqual({ body: JSON.stringify(change), attributes: {} });
  });

  it('fails a change whose message is stored but whose inquiry never was, once the window is past, rather than waiting for ever', async () => {
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    // The router once wrote a message's lookup before its inquiry: a routing that failed between the two left
    // a lookup pointing at no inquiry (its citizen message waiting in the dead-letter queue).
    await route(message(997, 'e:997a', 'Не вывозят мусор'));
    const [opened] = await inquiriesOf(997);
    await DynamoDBDocumentClient.from(aws.dynamo).send(
      new DeleteCommand({ TableName: aws.tableName, Key: { pk: `INQ#${opened?.id}`, sk: 'INQUIRY' } }),
    );
    const change = (receivedAt: string) => editOf('dm:997:e:997a', receivedAt, 'Не вывозят мусор уже неделю');
    await drainQueue(aws.sqs, aws.queues.routing.url);
    expect((await router(sqsEvent([change(ago(60_000))]), context)).batchItemFailures).toEqual([]);
    expect(await waitingOnRoutingQueue()).toBe(1);
    const alongside: RoutingMessage = {
      kind: 'messaging_permission',
      eventKey: 'e:alongside-997',
      receivedAt: '2026-03-02T06:00:00.000Z',
      groupId: DEMO_GROUP_ID,
      userId: 197,
      allowed: true,
    };
    const past = await router(sqsEvent([change(ago(OVERTAKEN_RETRY_MS + 1000)), alongside]), context);
    expect(past.batchItemFailures).toEqual([{ itemIdentifier: 'message-0' }]);
    expect(await waitingOnRoutingQueue()).toBe(0);
  });

  it('retries an operator reply in VK that overtook the citizen message, and records it once the inquiry is there', async () => {
    const reply = (receivedAt: string, peerId = 108): RoutingMessage => ({
      kind: 'operator_reply_in_vk',
      eventKey: `e:${peerId}reply:${receivedAt}`,
      receivedAt,
      groupId: DEMO_GROUP_ID,
      peerId,
      adminId: 555,
      messageRef: 'dm:108:2',
      text: 'Здравствуйте! Передали в управляющую компанию.',
      sentAt: '2026-03-02T07:00:00.000Z',
    });
    const alongside: RoutingMessage = {
      kind: 'messaging_permission',
      eventKey: 'e:alongside-108',
      receivedAt: '2026-03-02T06:00:00.000Z',
      groupId: DEMO_GROUP_ID,
      userId: 108,
      allowed: true,
    };
    const early = reply(new Date().toISOString());
    await drainQueue(aws.sqs, aws.queues.routing.url);
    const first = await router(sqsEvent([early, alongside]), context);
    expect(first.batchItemFailures).toEqual([]);
    expect(await waitingOnRoutingQueue()).toBe(1);

    await route(message(108, 'e:108a', 'Не вывозят мусор'));
    await route(early);
    const [inquiry] = await inquiriesOf(108);
    expect(inquiry).toMatchObject({ status: 'in_progress', firstRespondedAt: '2026-03-02T07:00:00.000Z' });
    // Past the window, a reply with no inquiry to go to is kept in the dead-letter queue, rather than dropped:
    // the message it answers may be a dead letter.
    await deadLetters();
    const waited = { [WAITING_SINCE_ATTRIBUTE]: new Date(Date.now() - OVERTAKEN_RETRY_MS).toISOString() };
    const past = await router(sqsEvent([reply('2026-03-02T07:00:00.000Z', 109)], 'past', waited), context);
    expect(past.batchItemFailures).toEqual([]);
    expect(await waitingOnRoutingQueue()).toBe(0);
    expect(await deadLetters()).toHaveLength(1);
  });

  it('waits with a reply in VK for the citizen message that opens a new inquiry, rather than noting it on the one answered long ago', async () => {
    await route(message(122, 'e:122a', 'Не вывозят мусор'));
    const opened = await answerAsOperator(122, 'op:122');
    const reply: RoutingMessage = {
      kind: 'operator_reply_in_vk',
      eventKey: 'e:122reply',
      receivedAt: new Date().toISOString(),
      groupId: DEMO_GROUP_ID,
      peerId: 122,
      adminId: 555,
      messageRef: 'dm:122:9',
      text: 'Здравствуйте! Передали в дорожную службу.',
      sentAt: '2026-06-02T07:00:00.000Z',
    };
    const alongside: RoutingMessage = {
      kind: 'messaging_permission',
      eventKey: 'e:alongside-122',
      receivedAt: '2026-03-02T06:00:00.000Z',
      groupId: DEMO_GROUP_ID,
      userId: 122,
      allowed: true,
    };
    await drainQueue(aws.sqs, aws.queues.routing.url);
    expect((await router(sqsEvent([reply, alongside]), context)).batchItemFailures).toEqual([]);
    expect(await waitingOnRoutingQueue()).toBe(1);

    const later = message(122, 'e:122b', 'Яма на дороге у дома 3');
    await route({
      ...later,
      receivedAt: '2026-06-02T06:00:00.000Z',
      message: { ...later.message, sentAt: '2026-06-02T06:00:00.000Z' },
      classification: { ...later.classification, category: 'roads' },
    });
    await route(reply);
    const all = await inquiriesOf(122);
    expect(all.find((inquiry) => inquiry.id === opened?.id)).toMatchObject({
      status: 'answered',
      version: 2,
    });
    expect(all.find((inquiry) => inquiry.id !== opened?.id)).toMatchObject({
      status: 'in_progress',
      firstRespondedAt: '2026-06-02T07:00:00.000Z',
    });
  });

  it('records an operator reply in a group chat on the inquiry of the member whose message it quotes', async () => {
    const CHAT = 2000000007;
    const inChat = (author: number, eventKey: string, text: string): ClassifiedMessage => {
      const base = message(CHAT, eventKey, text);
      return { ...base, message: { ...base.message, authorId: author } };
    };
    await route(inChat(7131, 'e:chat7131a', 'Не вывозят мусор у дома 7'));
    await route(inChat(7132, 'e:chat7132a', 'Не горит фонарь у дома 9'));
    const reply = (eventKey: string, citizenId?: number): RoutingMessage => ({
      kind: 'operator_reply_in_vk',
      eventKey,
      receivedAt: new Date().toISOString(),
      groupId: DEMO_GROUP_ID,
      peerId: CHAT,
      ...(citizenId !== undefined && { citizenId }),
      adminId: 555,
      messageRef: `dm:${CHAT}:${eventKey}`,
      text: 'Здравствуйте! Передали в управляющую компанию.',
      sentAt: '2026-03-02T07:00:00.000Z',
    });
    await drainQueue(aws.sqs, aws.queues.routing.url);
    // Quoting no member's message, it names no inquiry: dropped at once, not kept waiting for one.
    await route(reply('e:chat-reply-none'));
    expect(await waitingOnRoutingQueue()).toBe(0);
    await route(reply('e:chat-reply-7132', 7132));
    const byAuthor = new Map((await inquiriesOf(CHAT)).map((inquiry) => [inquiry.authorId, inquiry]));
    expect(byAuthor.get(7132)).toMatchObject({
      status: 'in_progress',
      firstRespondedAt: '2026-03-02T07:00:00.000Z',
    });
    expect(byAuthor.get(7131)).toMatchObject({ status: 'routed' });
    expect(byAuthor.get(7131)?.firstRespondedAt).toBeUndefined();
  });

  it("takes a group chat's edit as a change of the message it holds, new words if it holds none and the edit is written to it, and drops the talk's once its message cannot be on its way", async () => {
    const CHAT = 2000000008;
    const inChat = (author: number, eventKey: string, text: string): ClassifiedMessage => {
      const base = message(CHAT, eventKey, text);
      return {
        ...base,
        receivedAt: new Date().toISOString(),
        message: { ...base.message, authorId: author },
      };
    };
    const chatEdit = (
      opened: ClassifiedMessage,
      eventKey: string,
      text: string,
      addressed: boolean,
    ): MessageChange => ({
      ...(editOf(opened.message.messageRef, new Date().toISOString(), text) as MessageChange),
      eventKey,
      authorId: opened.message.authorId,
      chat: addressed ? { addressed: true, message: { ...opened.message, text } } : { addressed: false },
      classification: opened.classification,
    });
    await drainQueue(aws.sqs, aws.queues.routing.url);

    // Written to the community and stored, then edited so that the mention goes: still a change of it.
    const stored = inChat(7141, 'e:chat7141a', `[club${DEMO_GROUP_ID}|Администрация] Не вывозят мусор`);
    await route(stored);
    await route(chatEdit(stored, 'e:chat7141-edit', 'Не вывозят мусор у дома 7', false));
    const [changed] = (await inquiriesOf(CHAT)).filter((inquiry) => inquiry.authorId === 7141);
    expect(changed).toMatchObject({ text: 'Не вывозят мусор у дома 7', messageCount: 1 });

    // The talk, never stored, edited to mention the community: new words, an inquiry of its own at once.
    const talk = inChat(7142, 'e:chat7142a', 'Соседи, у кого нет света?');
    const addressed = chatEdit(
      talk,
      'e:chat7142-edit',
      `[club${DEMO_GROUP_ID}|Администрация] Нет света`,
      true,
    );
    await route(addressed);
    await route(addressed);
    expect(await waitingOnRoutingQueue()).toBe(0);
    const opened = (await inquiriesOf(CHAT)).filter((inquiry) => inquiry.authorId === 7142);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      status: 'routed',
      text: `[club${DEMO_GROUP_ID}|Администрация] Нет света`,
      sourceEventKey: 'e:chat7142-edit',
    });

    // Written to the community, and its edit overtook it: the edit's words open the inquiry, and the message
    // that comes after is the same message, not a follow-up.
    const overtaken = inChat(7144, 'e:chat7144a', `[club${DEMO_GROUP_ID}|Администрация] Нет воды`);
    await route(
      chatEdit(overtaken, 'e:chat7144-edit', `[club${DEMO_GROUP_ID}|Администрация] Нет воды, дом 9`, true),
    );
    await route(overtaken);
    const once = (await inquiriesOf(CHAT)).filter((inquiry) => inquiry.authorId === 7144);
    expect(once).toHaveLength(1);
    expect(once[0]).toMatchObject({
      text: `[club${DEMO_GROUP_ID}|Администрация] Нет воды, дом 9`,
      messageCount: 1,
    });

    // Written to the community, and the edit that took the mention away overtook it: the edit waits for its
    // message, then changes it, so that the words the citizen took back are not the ones kept.
    const written = inChat(7145, 'e:chat7145a', `[club${DEMO_GROUP_ID}|Администрация] Нет отопления`);
    const unmentioned = chatEdit(written, 'e:chat7145-edit', 'Нет отопления, дом 3', false);
    await route(unmentioned);
    expect(await waitingOnRoutingQueue()).toBe(1);
    await route(written);
    await route(unmentioned);
    const kept = (await inquiriesOf(CHAT)).filter((inquiry) => inquiry.authorId === 7145);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ text: 'Нет отопления, дом 3', messageCount: 1 });

    // The talk edited and still not written to the community: it waits as long as any change whose message may
    // be on its way, then is dropped, counted, and never fails into the dead-letter queue.
    const other = inChat(7143, 'e:chat7143a', 'Соседи, у кого нет воды?');
    await route(chatEdit(other, 'e:chat7143-edit', 'Соседи, у кого нет горячей воды?', false));
    expect(await waitingOnRoutingQueue()).toBe(1);
    await deadLetters();
    const waited = await router(
      sqsEvent([chatEdit(other, 'e:chat7143-edit', 'Соседи, у кого нет горячей воды?', false)], 'waited', {
        [WAITING_SINCE_ATTRIBUTE]: new Date(Date.now() - OVERTAKEN_RETRY_MS - 1000).toISOString(),
      }),
      context,
    );
    expect(waited.batchItemFailures).toEqual([]);
    expect(await waitingOnRoutingQueue()).toBe(0);
    expect(await deadLetters()).toEqual([]);
    expect((await inquiriesOf(CHAT)).filter((inquiry) => inquiry.authorId === 7143)).toEqual([]);
    // Told apart from a change whose message is lost: its own outcome, and its own count for the dashboard.
    const metrics = recordingMetrics();
    const counting = wallClockRouter(repository, metrics);
    expect(
      await counting.applyMessageChange(
        chatEdit(other, 'e:chat7143-edit', 'Соседи, у кого нет горячей воды?', false),
        new Date(Date.now() - OVERTAKEN_RETRY_MS - 1000).toISOString(),
      ),
    ).toEqual({ inquiryId: null, outcome: 'not_addressed' });
    expect(metrics.counts).toEqual([{ name: 'ChatEditsNotAddressed', dimensions: {} }]);
  });

  // As an older release's, or one edited by hand before a replay: the edit's words are a new message to the
  // router, which opens it in triage as it opens a message without a classification it reads, the rules'
  // priority on its words and on what it passes on, rather than failing it into the dead-letter queue.
  it("opens an inquiry in triage from a group chat's edit written to the community without a classification it reads", async () => {
    const CHAT = 2000000009;
    const chatEdit = (author: number, text: string, quoted?: string): RoutingMessage => {
      const talk = message(CHAT, `e:chat${author}a`, 'Соседи, у кого нет света?');
      const words = {
        ...talk.message,
        authorId: author,
        text,
        ...(quoted && { quoted: [{ kind: 'forwarded' as const, depth: 1, text: quoted }] }),
      };
      return {
        ...(editOf(talk.message.messageRef, new Date().toISOString(), text) as MessageChange),
        eventKey: `e:chat${author}-edit`,
        authorId: author,
        chat: { addressed: true, message: words },
        classification: { category: 'электричество' },
      } as unknown as RoutingMessage;
    };
    await drainQueue(aws.sqs, aws.queues.routing.url);
    await deadLetters();

    await route(chatEdit(7151, `[club${DEMO_GROUP_ID}|Администрация] Нет света`));
    await route(
      chatEdit(
        7152,
        `[club${DEMO_GROUP_ID}|Администрация] Посмотрите`,
        'Пахнет газом в подъезде, дети рядом!',
      ),
    );

    expect(await waitingOnRoutingQueue()).toBe(0);
    expect(await deadLetters()).toEqual([]);
    const opened = new Map((await inquiriesOf(CHAT)).map((inquiry) => [inquiry.authorId, inquiry]));
    expect(opened.get(7151)).toMatchObject({
      status: 'routed',
      department: 'triage',
      triage: true,
      priority: 'normal',
      sourceEventKey: 'e:chat7151-edit',
    });
    expect(opened.get(7152)).toMatchObject({ status: 'routed', department: 'triage', priority: 'critical' });
  });

  it('acknowledges a message_allow or message_deny an earlier classifier handed on, and stores nothing of it', async () => {
    const permission = (eventKey: string, allowed: boolean, receivedAt: string): RoutingMessage => ({
      kind: 'messaging_permission',
      eventKey,
      receivedAt,
      groupId: DEMO_GROUP_ID,
      userId: 106,
      allowed,
    });
    await deadLetters();
    await route(permission('e:allow', true, '2026-03-02T06:00:00.000Z'));
    await route(permission('e:deny', false, '2026-03-02T07:00:00.000Z'));
    // Nothing reads a citizen's choice: VK refuses a reply they do not take (the responder records it so).
    const { Item } = await DynamoDBDocumentClient.from(aws.dynamo).send(
      new GetCommand({ TableName: aws.tableName, Key: citizenKey(DEMO_GROUP_ID, 106), ConsistentRead: true }),
    );
    expect(Item).toBeUndefined();
    expect(await waitingOnRoutingQueue()).toBe(0);
    expect(await deadLetters()).toEqual([]);
  });

  it('records an operator reply in VK on the open inquiry of that dialogue as its first response', async () => {
    await route(message(107, 'e:107a', 'Не вывозят мусор'));
    const reply: RoutingMessage = {
      kind: 'operator_reply_in_vk',
      eventKey: 'e:107reply',
      receivedAt: '2026-03-02T07:00:00.000Z',
      groupId: DEMO_GROUP_ID,
      peerId: 107,
      adminId: 555,
      messageRef: 'dm:107:2',
      text: 'Здравствуйте! Передали в управляющую компанию.',
      sentAt: '2026-03-02T07:00:00.000Z',
    };
    await route(reply);
    await route(reply);
    const [inquiry] = await inquiriesOf(107);
    expect(inquiry).toMatchObject({
      status: 'in_progress',
      firstRespondedAt: '2026-03-02T07:00:00.000Z',
      firstResponseLate: false,
      clock: { kind: 'resolution' },
      version: 2,
    });
    const replies = (await repository.get(inquiry?.id as string))?.history.filter(
      (entry) => entry.kind === 'reply',
    );
    expect(replies).toHaveLength(1);
    expect(replies?.[0]).toMatchObject({
      actor: 'operator',
      actorId: 555,
      detail: { via: 'vk', messageRef: 'dm:107:2' },
    });
  });
});

describe('router against dynalite: a wall post and the comments under it', () => {
  const owner = -DEMO_GROUP_ID;
  /** A post by `author` on the community's wall, post 800. */
  const wallPost = (author: number, eventKey: string, text: string): ClassifiedMessage => {
    const base = message(author, eventKey, text);
    return {
      ...base,
      message: {
        ...base.message,
        channel: 'wall_post',
        replyTo: { channel: 'wall_post', ownerId: owner, postId: 800 },
        messageRef: `post:${owner}:800`,
        conversationKey: `post:${owner}:800`,
      },
    };
  };
  /** A comment by `author` under post 800, in the thread of comment `thread` if given, as normalise.ts reads it. */
  const comment = (
    author: number,
    eventKey: string,
    id: number,
    thread: number | undefined,
    text: string,
    time: string,
  ): ClassifiedMessage => {
    const base = message(author, eventKey, text, time);
    return {
      ...base,
      message: {
        ...base.message,
        channel: 'wall_comment',
        replyTo: {
          channel: 'wall_comment',
          ownerId: owner,
          postId: 800,
          commentId: id,
          threadCommentId: thread,
        },
        messageRef: `wall:${owner}:800:${id}`,
        conversationKey: `post:${owner}:800`,
      },
    };
  };
  const inquiriesBy = async (author: number) =>
    (await repository.listAll()).filter((inquiry) => inquiry.authorId === author);

  it("continues the post's inquiry when its author comments under it, in any thread, and answers their comment", async () => {
    await route(wallPost(301, 'e:301post', 'Во дворе дома 5 неделю не вывозят мусор'));
    const [opened] = await inquiriesBy(301);
    const acknowledged = await drainQueue(aws.sqs, aws.queues.outbox.url);
    expect(acknowledged.filter((body) => body.includes(opened?.id as string))).toHaveLength(1);

    // The author answers our acknowledgement (comment 8801) in its thread: the same case, not a new one.
    await route(comment(301, 'e:301c1', 8802, 8801, 'Контейнеры у третьего подъезда переполнены', '06:10'));
    const [joined, ...more] = await inquiriesBy(301);
    expect(more).toEqual([]);
    expect(joined).toMatchObject({ id: opened?.id, status: 'routed', messageCount: 2, channel: 'wall_post' });
    // The answer goes to the citizen's comment, in its thread; the follow-up is not acknowledged again.
    expect(joined?.replyTo).toEqual({
      channel: 'wall_comment',
      ownerId: owner,
      postId: 800,
      commentId: 8802,
      threadCommentId: 8801,
    });
    expect(await drainQueue(aws.sqs, aws.queues.outbox.url)).toEqual([]);
    expect((await repository.getMessageLookup(DEMO_GROUP_ID, `wall:${owner}:800:8802`))?.inquiryId).toBe(
      opened?.id,
    );

    // Another citizen in the same thread has a case of their own, acknowledged under their comment.
    await route(comment(302, 'e:302c1', 8803, 8801, 'У нас в доме 7 тоже не вывозят мусор', '06:20'));
    const [theirs] = await inquiriesBy(302);
    expect(theirs).toMatchObject({ status: 'routed', conversationKey: `post:${owner}:800` });
    expect(theirs?.id).not.toBe(opened?.id);
    const theirAcknowledgement = (await drainQueue(aws.sqs, aws.queues.outbox.url)).map(
      (body) => JSON.parse(body) as { inquiryId: string; replyTo: { commentId?: number } },
    );
    expect(theirAcknowledgement).toMatchObject([{ inquiryId: theirs?.id, replyTo: { commentId: 8803 } }]);

    // Answered, then "still not fixed" in a comment of its own under the post: the post's case reopens.
    await answer(joined as Inquiry, 'op:301');
    await route(comment(301, 'e:301c2', 8805, undefined, 'Так и не вывезли, мусор лежит', '08:00'));
    const [reopened, ...others] = await inquiriesBy(301);
    expect(others).toEqual([]);
    expect(reopened).toMatchObject({
      id: opened?.id,
      status: 'reopened',
      messageCount: 3,
      replyTo: { commentId: 8805 },
    });
    expect(await inquiriesBy(302)).toHaveLength(1);
  });
});

describe('router against dynalite: a burst of messages that overtake each other', () => {
  const config = parseAppConfig(localConfig, 'local');
  const routerOver = (inquiries: InquiryRepository) =>
    createMessageRouter({
      config,
      inquiries,
      clock: { now: () => new Date('2026-03-02T06:01:00.000Z') },
      inquiryIdFor: (_groupId, key) => `inq-${key}`,
    });
  /** A message of the dialogue with `peer`, sent (as VK dates it) and received at `at`, classified so. */
  const sent = (
    peer: number,
    eventKey: string,
    text: string,
    at: string,
    classification: Partial<ClassifiedMessage['classification']> = {},
  ): ClassifiedMessage => {
    const base = message(peer, eventKey, text);
    return {
      ...base,
      receivedAt: at,
      message: { ...base.message, sentAt: at },
      classification: { ...base.classification, ...classification },
    };
  };
  /** As the classifier reads them: the first names the trouble, the second it is not sure of (triage). */
  const burst = (peer: number) => ({
    first: sent(
      peer,
      `e:${peer}a`,
      'Во дворе дома 12 третий день не вывозят мусор',
      '2026-03-02T06:00:00.000Z',
      {
        confidence: 0.964,
      },
    ),
    second: sent(peer, `e:${peer}b`, 'Когда это наконец исправят?', '2026-03-02T06:00:20.000Z', {
      category: 'improvement',
      confidence: 0.21,
      triage: true,
    }),
  });
  /** What the department and the citizen see of an inquiry. */
  const caseOf = (inquiry: Inquiry | undefined) => ({
    status: inquiry?.status,
    department: inquiry?.department,
    category: inquiry?.category,
    priority: inquiry?.priority,
    text: inquiry?.text,
    terms: inquiry?.terms,
    clock: inquiry?.clock,
    firstResponseDueAt: inquiry?.firstResponseDueAt,
    messageCount: inquiry?.messageCount,
  });
  const inOrder = {
    status: 'routed',
    department: 'housing',
    category: 'waste',
    text: 'Во дворе дома 12 третий день не вывозят мусор',
    // Mon 2 March 11:00 Perm, `high`: 4 working hours, 2 before lunch and 2 after: 16:00 local.
    firstResponseDueAt: '2026-03-02T11:00:00.000Z',
    clock: { startedAt: '2026-03-02T06:00:00.000Z', dueAt: '2026-03-02T11:00:00.000Z' },
    messageCount: 2,
  };
  const acknowledgementsOf = (bodies: string[], inquiryId: string | undefined) =>
    bodies
      .map((body) => JSON.parse(body) as { inquiryId: string; purpose: string; text: string })
      .filter((sentToCitizen) => sentToCitizen.inquiryId === inquiryId);

  it('gives the inquiry the same department, text and deadline in whichever order the burst is routed', async () => {
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    const [a, b, c, d] = [140, 141, 142, 143].map(burst) as ReturnType<typeof burst>[];
    if (!a || !b || !c || !d) throw new Error('no burst');
    await route(a.first);
    await route(a.second);
    // The second routed first: the standard queue, or a retry, lets it overtake the first.
    await route(b.second);
    await route(b.first);
    // Side by side in one batch, in either order.
    await route(c.first, c.second);
    await route(d.second, d.first);

    const [expected] = await inquiriesOf(140);
    expect(caseOf(expected)).toMatchObject(inOrder);
    for (const peer of [141, 142, 143]) {
      const [inquiry, ...others] = await inquiriesOf(peer);
      expect(others).toEqual([]);
      expect(caseOf(inquiry)).toEqual(caseOf(expected));
    }

    // The history says why the inquiry of the overtaken burst moved.
    const [overtaken] = await inquiriesOf(141);
    const history = (await repository.get(overtaken?.id as string))?.history ?? [];
    expect(history.filter((entry) => entry.kind === 'routed')).toMatchObject([
      { actor: 'router', detail: { department: 'triage' } },
      {
        actor: 'router',
        reason: expect.stringContaining('before the one the inquiry was opened by'),
        detail: {
          messageRef: 'dm:141:e:141a',
          opening: true,
          fromDepartment: 'triage',
          toDepartment: 'housing',
          fromCategory: 'improvement',
          toCategory: 'waste',
          rule: 2,
        },
      },
    ]);

    // One acknowledgement each: the case number stays, and it is not sent again for the new department.
    const outbox = await drainQueue(aws.sqs, aws.queues.outbox.url);
    for (const peer of [140, 141, 142, 143]) {
      const [inquiry] = await inquiriesOf(peer);
      expect(acknowledgementsOf(outbox, inquiry?.id).map((body) => body.purpose)).toEqual([
        'acknowledgement',
      ]);
    }
    // Triage is named to the citizen by its public name, not the product's name of its queue.
    const told = acknowledgementsOf(outbox, overtaken?.id)[0]?.text;
    expect(told).toContain('Его рассматривает Центр управления регионом.');
    expect(told).not.toContain('разбор обращений');
  });

  it('re-routes it the same when the first message fails once and the second is routed meanwhile', async () => {
    const { first, second } = burst(144);
    let failing = true;
    const failingOnce: InquiryRepository = Object.create(repository);
    failingOnce.readForCitizenMessage = async (keys) => {
      if (failing && keys.messageRef === first.message.messageRef) {
        failing = false;
        throw new Error('DynamoDB is throttling');
      }
      return repository.readForCitizenMessage(keys);
    };
    await expect(routerOver(failingOnce).routeCitizenMessage(first)).rejects.toThrow('throttling');
    expect((await routerOver(failingOnce).routeCitizenMessage(second)).outcome).toBe('opened');
    // SQS delivers the first again after its visibility timeout.
    expect(await routerOver(failingOnce).routeCitizenMessage(first)).toMatchObject({
      outcome: 'joined',
      department: 'housing',
    });
    const [inquiry] = await inquiriesOf(144);
    expect(caseOf(inquiry)).toMatchObject(inOrder);
  });

  it('changes nothing when SQS delivers either message of a re-routed burst again', async () => {
    const { first, second } = burst(145);
    await route(second);
    await route(first);
    const [before] = await inquiriesOf(145);
    expect(before).toMatchObject({ department: 'housing', version: 2 });
    const historyBefore = (await repository.get(before?.id as string))?.history;
    await route(first);
    await route(second);
    await route(second, first);
    expect(await inquiriesOf(145)).toEqual([before]);
    expect((await repository.get(before?.id as string))?.history).toEqual(historyBefore);
  });

  it('stores the lookup of a message that re-routed its inquiry as the opening message, once the inquiry holds it', async () => {
    const { first, second } = burst(146);
    await route(second);
    let stopping = true;
    const stopped: InquiryRepository = Object.create(repository);
    stopped.saveMessageLookup = async (lookup) => {
      if (stopping) {
        stopping = false;
        throw new Error('the router stopped here');
      }
      return repository.saveMessageLookup(lookup);
    };
    await expect(routerOver(stopped).routeCitizenMessage(first)).rejects.toThrow('stopped here');
    const [before] = await inquiriesOf(146);
    expect(before).toMatchObject({ department: 'housing' });
    expect(await repository.getMessageLookup(DEMO_GROUP_ID, first.message.messageRef)).toBeUndefined();

    expect((await routerOver(repository).routeCitizenMessage(first)).outcome).toBe('duplicate');
    expect(await repository.getMessageLookup(DEMO_GROUP_ID, first.message.messageRef)).toMatchObject({
      inquiryId: before?.id,
      opening: true,
    });
    expect(await inquiriesOf(146)).toEqual([before]);

    // The message that opened it is a follow-up now: editing it leaves the inquiry's text; editing the
    // opening message changes it.
    await route(editOf('dm:146:e:146b', '2026-03-02T06:02:00.000Z', 'Когда это исправят? Уже неделя'));
    expect((await repository.getInquiry(before?.id as string))?.text).toBe(
      'Во дворе дома 12 третий день не вывозят мусор',
    );
    await route(
      editOf('dm:146:e:146a', '2026-03-02T06:03:00.000Z', 'Во дворе дома 12 неделю не вывозят мусор'),
    );
    expect((await repository.getInquiry(before?.id as string))?.text).toBe(
      'Во дворе дома 12 неделю не вывозят мусор',
    );
  });

  it('leaves the routing of an inquiry a person has acted on: taken, or moved', async () => {
    const calendar = config.communities[0]?.calendar;
    if (!calendar) throw new Error('no calendar');
    const act = async (peer: number, event: InquiryEvent) => {
      const [opened] = await inquiriesOf(peer);
      if (!opened) throw new Error(`no inquiry of ${peer}`);
      const result = applyEvent(opened, event, { calendar, warnAtFraction: 0.8, now: new Date() });
      if (result.outcome !== 'changed') throw new Error(result.outcome);
      await repository.update(result.inquiry, opened.version, result.history);
    };
    const [taken, moved, untouched] = [147, 148, 149].map(burst) as ReturnType<typeof burst>[];
    if (!taken || !moved || !untouched) throw new Error('no burst');
    for (const { second } of [taken, moved, untouched]) await route(second);
    await act(147, {
      type: 'take',
      cause: 'op:take147',
      at: '2026-03-02T06:00:40.000Z',
      operatorId: 'op-9',
      operatorName: 'Анна Петрова',
    });
    await act(148, {
      type: 'move',
      cause: 'op:move148',
      at: '2026-03-02T06:00:40.000Z',
      operatorId: 9,
      reason: 'a pothole, by the photo',
      department: 'roads',
      category: 'roads',
    });
    for (const { first } of [taken, moved, untouched]) await route(first);

    const [takenCase] = await inquiriesOf(147);
    expect(takenCase).toMatchObject({
      status: 'in_progress',
      assignee: { id: 'op-9', name: 'Анна Петрова' },
      operatorActedAt: '2026-03-02T06:00:40.000Z',
      department: 'triage',
      category: 'improvement',
      text: 'Когда это наконец исправят?',
      messageCount: 2,
    });
    const [movedCase] = await inquiriesOf(148);
    expect(movedCase).toMatchObject({
      status: 'routed',
      department: 'roads',
      category: 'roads',
      text: 'Когда это наконец исправят?',
      messageCount: 2,
    });
    for (const inquiry of [takenCase, movedCase]) {
      const history = (await repository.get(inquiry?.id as string))?.history ?? [];
      expect(history.filter((entry) => entry.kind === 'routed')).toHaveLength(1);
    }
    // No one acted on the third: it is re-routed.
    const [untouchedCase] = await inquiriesOf(149);
    expect(caseOf(untouchedCase)).toMatchObject(inOrder);
  });

  it("re-reads and does not re-route when an operator takes the inquiry between the router's read and its write", async () => {
    const calendar = config.communities[0]?.calendar;
    if (!calendar) throw new Error('no calendar');
    const { first, second } = burst(150);
    await route(second);
    const attempted: (string | undefined)[] = [];
    const racing: InquiryRepository = Object.create(repository);
    racing.update = async (inquiry, expectedVersion, history, writer) => {
      attempted.push(inquiry.department);
      if (attempted.length === 1) {
        const current = (await repository.getInquiry(inquiry.id)) as Inquiry;
        const taken = applyEvent(
          current,
          {
            type: 'take',
            cause: 'op:take150',
            at: '2026-03-02T06:00:50.000Z',
            operatorId: 'op-9',
            operatorName: 'Анна Петрова',
          },
          { calendar, warnAtFraction: 0.8, now: new Date() },
        );
        if (taken.outcome !== 'changed') throw new Error(taken.outcome);
        await repository.update(taken.inquiry, current.version, taken.history);
      }
      return repository.update(inquiry, expectedVersion, history, writer);
    };
    expect((await routerOver(racing).routeCitizenMessage(first)).outcome).toBe('joined');
    // The first attempt re-routed it; the retry, on top of the operator's take, only adds the message.
    expect(attempted).toEqual(['housing', 'triage']);
    const [opened] = await inquiriesOf(150);
    const found = await repository.get(opened?.id as string);
    expect(found?.inquiry).toMatchObject({ status: 'in_progress', department: 'triage', messageCount: 2 });
    // No entry of the re-routing that never happened (the first message's entry sorts first: it reached
    // us first).
    expect(found?.history.map((entry) => [entry.kind, entry.detail.messageRef])).toEqual([
      ['message', 'dm:150:e:150a'],
      ['message', 'dm:150:e:150b'],
      ['classified', undefined],
      ['routed', undefined],
      ['status', undefined],
    ]);
  });

  it('routes three messages over more than 5 minutes the same when the last one routed is the earliest', async () => {
    const vague = (peer: number, key: string, at: string) =>
      sent(peer, key, 'Здравствуйте, у меня проблема', at, { confidence: 0.2, triage: true });
    const a = (peer: number) => vague(peer, `e:${peer}a`, '2026-03-02T06:00:00.000Z');
    const b = (peer: number) => vague(peer, `e:${peer}b`, '2026-03-02T06:04:00.000Z');
    // 8 minutes after the first: beyond the burst's window in order, within it of the second.
    const c = (peer: number) =>
      sent(peer, `e:${peer}c`, 'Во дворе дома 12 третий день не вывозят мусор', '2026-03-02T06:08:00.000Z');
    for (const each of [a(155), b(155), c(155)]) await route(each);
    for (const each of [b(156), c(156), a(156)]) await route(each);
    const [inOrderCase] = await inquiriesOf(155);
    const [reordered] = await inquiriesOf(156);
    expect(inOrderCase).toMatchObject({ department: 'triage', text: 'Здравствуйте, у меня проблема' });
    expect(caseOf(reordered)).toEqual(caseOf(inOrderCase));
  });

  it('keeps the place a message pinned alone, whichever order it and the words sent after it are routed in', async () => {
    const lenina = {
      latitude: 58.01,
      longitude: 56.25,
      title: 'ул. Ленина, 12',
      city: 'Пермь',
      mapUrl: 'https://yandex.ru/maps/?pt=56.25,58.01&z=17&l=map',
    };
    // A location sent with no words (triage), then the words 20 seconds later, which a rule routes.
    const pin = (peer: number): ClassifiedMessage => {
      const base = sent(peer, `e:${peer}a`, '', '2026-03-02T06:00:00.000Z', { triage: true, confidence: 0 });
      return { ...base, message: { ...base.message, location: lenina } };
    };
    const words = (peer: number) =>
      sent(peer, `e:${peer}b`, 'Во дворе дома 12 третий день не вывозят мусор', '2026-03-02T06:00:20.000Z');
    await route(pin(153));
    await route(words(153));
    await route(words(154));
    await route(pin(154));
    const [inOrderCase] = await inquiriesOf(153);
    const [overtakenCase] = await inquiriesOf(154);
    expect(inOrderCase).toMatchObject({ department: 'housing', location: lenina });
    expect({ ...caseOf(overtakenCase), location: overtakenCase?.location }).toEqual({
      ...caseOf(inOrderCase),
      location: lenina,
    });
  });

  it('routes an inquiry the classifier was not sure of by a message sent within minutes that it is sure of, in either order', async () => {
    const vague = (peer: number) =>
      sent(peer, `e:${peer}a`, 'Здравствуйте, у меня проблема', '2026-03-02T06:00:00.000Z', {
        category: 'waste',
        confidence: 0.233,
        triage: true,
      });
    const clear = (peer: number) =>
      sent(peer, `e:${peer}b`, 'Во дворе дома 12 третий день не вывозят мусор', '2026-03-02T06:01:30.000Z', {
        confidence: 0.964,
      });
    await route(vague(151));
    await route(clear(151));
    await route(clear(152));
    await route(vague(152));
    const [inOrderCase] = await inquiriesOf(151);
    const [overtakenCase] = await inquiriesOf(152);
    expect(caseOf(inOrderCase)).toMatchObject({
      department: 'housing',
      category: 'waste',
      text: 'Здравствуйте, у меня проблема',
      // From when the opening message reached us.
      clock: { startedAt: '2026-03-02T06:00:00.000Z', dueAt: '2026-03-02T11:00:00.000Z' },
    });
    expect(caseOf(overtakenCase)).toEqual(caseOf(inOrderCase));
    const history = (await repository.get(inOrderCase?.id as string))?.history ?? [];
    expect(history.filter((entry) => entry.kind === 'routed').at(-1)).toMatchObject({
      reason: expect.stringContaining('sent minutes after the opening one'),
      detail: { opening: false, fromDepartment: 'triage', toDepartment: 'housing' },
    });
  });
});

describe('router against dynalite: a dead letter replayed after the changes of its message', () => {
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  /** A citizen's message in the dialogue with `peer`, received `minutes` ago: its routing failed then. */
  const deadLetter = (peer: number, eventKey: string, minutes: number): ClassifiedMessage => {
    const base = message(peer, eventKey, 'Не вывозят мусор во дворе дома 5');
    return { ...base, receivedAt: ago(minutes), message: { ...base.message, sentAt: ago(minutes) } };
  };
  /** The router's look at a change put back to wait for its message, after waiting the whole window. */
  const afterTheWait = (change: RoutingMessage) =>
    router(
      sqsEvent([change], 'waited', {
        [WAITING_SINCE_ATTRIBUTE]: new Date(Date.now() - OVERTAKEN_RETRY_MS - 1000).toISOString(),
      }),
      context,
    );
  /** Ops replay the routing dead-letter queue: each dead letter handed to the router as it was kept. */
  async function replay(...messages: RoutingMessage[]) {
    const kept = await queueContents(aws, aws.queues.routing.deadLetterUrl);
    await deadLetters();
    expect(kept.map((letter) => letter.attributes)).toEqual(messages.map(() => ({})));
    expect(kept.map((letter) => JSON.parse(letter.body))).toEqual(messages);
    for (const letter of messages) await route(letter);
  }

  it('keeps the operator reply typed in VK while the message it answers was a dead letter, and records it once the message is replayed', async () => {
    const peer = 4242;
    const opening = deadLetter(peer, 'e:4242a', 120);
    // 20 minutes after the message, an operator who saw it in VK answered it there by hand.
    const sentAt = ago(100);
    const reply: RoutingMessage = {
      kind: 'operator_reply_in_vk',
      eventKey: 'e:4242reply',
      receivedAt: sentAt,
      groupId: DEMO_GROUP_ID,
      peerId: peer,
      adminId: 555,
      messageRef: `dm:${peer}:2`,
      text: 'Здравствуйте! Передали перевозчику, вывезут сегодня.',
      sentAt,
    };
    await drainQueue(aws.sqs, aws.queues.routing.url);
    await deadLetters();
    // The message is a dead letter: the reply waits for it, then is kept beside it.
    expect((await afterTheWait(reply)).batchItemFailures).toEqual([]);
    expect(await waitingOnRoutingQueue()).toBe(0);
    // Ops fix the cause and replay the dead-letter queue.
    await route(opening);
    await replay(reply);
    const [inquiry] = await inquiriesOf(peer);
    expect(inquiry).toMatchObject({
      status: 'in_progress',
      firstRespondedAt: sentAt,
      clock: { kind: 'resolution' },
    });
  });

  it("keeps a citizen's deletion while the message it deletes is a dead letter, and withdraws the message once it is replayed", async () => {
    const peer = 4343;
    const opening = deadLetter(peer, 'e:4343a', 120);
    const deletion: RoutingMessage = {
      kind: 'message_changed',
      eventKey: 'e:4343del',
      receivedAt: ago(110),
      groupId: DEMO_GROUP_ID,
      change: 'deleted',
      channel: 'direct_message',
      messageRef: opening.message.messageRef,
      // Its author named, as VK names it on a deleted photo comment: a deletion naming none is dropped.
      authorId: peer,
      deleterId: peer,
    };
    await drainQueue(aws.sqs, aws.queues.routing.url);
    await deadLetters();
    expect((await afterTheWait(deletion)).batchItemFailures).toEqual([]);
    await route(opening);
    await replay(deletion);
    const [inquiry] = await inquiriesOf(peer);
    expect(inquiry?.withdrawn).toBe(true);
    expect(await repository.getMessageLookup(DEMO_GROUP_ID, opening.message.messageRef)).toMatchObject({
      deleted: true,
    });
  });

  it('applies an edit replayed in one batch with its message, which the router handles side by side', async () => {
    const peer = 4545;
    const opening = deadLetter(peer, 'e:4545a', 120);
    const edit = editOf(opening.message.messageRef, ago(110), 'Не вывозят мусор во дворе дома 5, подъезд 2');
    await drainQueue(aws.sqs, aws.queues.routing.url);
    // Both read the message's lookup before the message stores it: the edit, replayed, waits for it again.
    await route(edit, opening);
    const waiting = await putBackToWait();
    expect(waiting.map((message) => JSON.parse(message.body))).toEqual([edit]);
    await router(sqsEvent([edit], 'again', waiting[0]?.attributes), context);
    const [inquiry] = await inquiriesOf(peer);
    expect(inquiry?.text).toBe('Не вывозят мусор во дворе дома 5, подъезд 2');
    expect(await repository.getMessageLookup(DEMO_GROUP_ID, opening.message.messageRef)).toMatchObject({
      changedAt: edit.receivedAt,
    });
  });

  it('counts the first response from a message replayed after a later one of the citizen opened the inquiry', async () => {
    const peer = 4747;
    /** A message of the dialogue, sent and received at `at` (Perm is UTC+5). */
    const sentAt = (eventKey: string, at: string): ClassifiedMessage => {
      const base = message(peer, eventKey, 'Не вывозят мусор во дворе дома 5');
      return { ...base, receivedAt: at, message: { ...base.message, sentAt: at } };
    };
    // Fri 13 March 10:00 local, its routing failed; Sat 14 March 10:00 the citizen wrote again.
    const friday = sentAt('e:4747fri', '2026-03-13T05:00:00.000Z');
    await route(sentAt('e:4747sat', '2026-03-14T05:00:00.000Z'));
    expect((await inquiriesOf(peer))[0]?.firstResponseDueAt).toBe('2026-03-16T08:00:00.000Z');
    await route(friday);
    const [inquiry, ...more] = await inquiriesOf(peer);
    expect(more).toEqual([]);
    // `high`: 4 working hours from Friday 10:00, due 15:00 local, as the Friday message routed alone.
    expect(inquiry).toMatchObject({
      messageCount: 2,
      clock: { startedAt: '2026-03-13T05:00:00.000Z', dueAt: '2026-03-13T10:00:00.000Z' },
      firstResponseStartedAt: '2026-03-13T05:00:00.000Z',
      firstResponseDueAt: '2026-03-13T10:00:00.000Z',
    });
  });

  it('acknowledges a message replayed after its first-response deadline without the time of the answer', async () => {
    const peer = 4848;
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    // Its routing failed on Monday 2 March 2026: its deadline (working hours after it reached us) has passed.
    // A fixed working day, not "days ago": the New Year holidays are longer than a week.
    await route(message(peer, 'e:4848a', 'Не вывозят мусор во дворе дома 5'));
    const [inquiry] = await inquiriesOf(peer);
    expect(Date.parse(inquiry?.firstResponseDueAt ?? '')).toBeLessThan(Date.now());
    const acknowledgements = (await drainQueue(aws.sqs, aws.queues.outbox.url))
      .map((body) => JSON.parse(body) as { inquiryId: string; purpose: string; text: string })
      .filter((queued) => queued.inquiryId === inquiry?.id);
    expect(acknowledgements).toEqual([
      expect.objectContaining({
        purpose: 'acknowledgement',
        text: `Здравствуйте! Ваше обращение зарегистрировано под номером ${inquiry?.caseNumber}. Его рассматривает Департамент ЖКХ.`,
      }),
    ]);
    expect(acknowledgements[0]).not.toHaveProperty('dueAt');
  });

  it('counts each change kept for want of its message', async () => {
    const metrics = recordingMetrics();
    const counting = wallClockRouter(repository, metrics);
    const edit = editOf('dm:4646:1', ago(60)) as MessageChange;
    await expect(counting.applyMessageChange(edit)).rejects.toBeInstanceOf(MessageNotFoundYet);
    await expect(
      counting.applyMessageChange(edit, ago(OVERTAKEN_RETRY_MS / 60_000 - 1)),
    ).rejects.toBeInstanceOf(MessageNotFoundYet);
    expect(metrics.counts).toEqual([]);
    await expect(counting.applyMessageChange(edit, ago(OVERTAKEN_RETRY_MS / 60_000))).rejects.toBeInstanceOf(
      MessageStillMissing,
    );
    expect(metrics.counts).toEqual([{ name: 'ChangesWithoutMessage', dimensions: {} }]);
  });

  it('drops, counted, a change whose message cannot be a dead letter still, and keeps one whose message may be', async () => {
    /** A recorded VK event, of the demo community, as the classifier hands it on; `object` changes it. */
    const changeOf = (name: string, object: Record<string, unknown> = {}): MessageChange => {
      const recorded = fixture(name) as { type: string; object: Record<string, unknown> };
      const event = {
        type: recorded.type,
        group_id: DEMO_GROUP_ID,
        object: { ...recorded.object, ...object },
      };
      const received = {
        eventKey: `e:${name}`,
        groupId: DEMO_GROUP_ID,
        type: event.type,
        receivedAt: ago(20),
        event,
      };
      const routed = toRoutingMessage(received, interpretVkEvent(event), classify);
      if (routed?.kind !== 'message_changed') throw new Error(`${name} is no change of a citizen's message`);
      return routed;
    };
    const dropped = [
      // The community's reply in a topic, deleted: VK names no author of a deleted board post.
      changeOf('vknet/BoardPostDeleteTest.json'),
      // A wall comment deleted, VK leaving out whose it was (the community's, say).
      changeOf('vknet/WallReplyDeleteTest.json'),
      // An edit of a comment written in 2018: its inquiry long deleted, or never made.
      changeOf('vknet/WallReplyEditTest.json'),
    ];
    const kept = [
      // A deletion of the citizen's photo comment: it may be a dead letter.
      changeOf('vknet/PhotoCommentDeleteTest.json'),
      // An edit of a comment written two hours ago, the day's dead letters among them.
      changeOf('vknet/PhotoCommentEditTest.json', { date: Math.floor(Date.now() / 1000) - 7200 }),
      // One written a day within the 33 its message may still come in (two dead letters, one replay each).
      changeOf('vknet/WallReplyEditTest.json', {
        date: Math.floor(Date.now() / 1000) - (ERASED_CITIZEN_DAYS - 1) * 86_400,
      }),
    ];
    expect(dropped.map((change) => [change.change, change.authorId, change.sentAt])).toEqual([
      ['deleted', undefined, undefined],
      ['deleted', undefined, undefined],
      ['edited', 123, '2018-08-04T17:23:47.000Z'],
    ]);
    await drainQueue(aws.sqs, aws.queues.routing.url);
    await deadLetters();
    for (const change of [...dropped, ...kept])
      expect((await afterTheWait(change)).batchItemFailures).toEqual([]);
    expect(await waitingOnRoutingQueue()).toBe(0);
    expect((await deadLetters()).map((body) => JSON.parse(body))).toEqual(kept);

    const metrics = recordingMetrics();
    const counting = wallClockRouter(repository, metrics);
    const waited = ago(OVERTAKEN_RETRY_MS / 60_000);
    for (const change of dropped)
      expect(await counting.applyMessageChange(change, waited)).toEqual({
        inquiryId: null,
        outcome: 'unknown_message',
      });
    // Within its wait, each still waits: its message may be on its way.
    for (const change of dropped)
      await expect(counting.applyMessageChange(change, ago(1))).rejects.toBeInstanceOf(MessageNotFoundYet);
    expect(metrics.counts).toEqual(
      dropped.map(() => ({ name: 'ChangesWithoutMessageDropped', dimensions: {} })),
    );
  });

  /** A recorded `message_reply` by an admin, of the demo community, as the classifier hands it on. */
  const operatorReplyOf = (eventKey: string, object: Record<string, unknown>): OperatorReplyInVk => {
    const recorded = fixture('vknet/MessageReplyTest.json') as { type: string; object: object };
    const event = { type: recorded.type, group_id: DEMO_GROUP_ID, object: { ...recorded.object, ...object } };
    const received = { eventKey, groupId: DEMO_GROUP_ID, type: event.type, receivedAt: ago(20), event };
    const routed = toRoutingMessage(received, interpretVkEvent(event), classify);
    if (routed?.kind !== 'operator_reply_in_vk') throw new Error(`${eventKey} is no operator reply in VK`);
    return routed;
  };

  it("drops, counted, an admin's reply in a group chat to a member with no inquiry, and keeps a direct one with none", async () => {
    const CHAT = 2000000015;
    const now = Math.floor(Date.now() / 1000);
    // An admin answers a member's talk in the chat, quoting it: the talk was never stored, nor is any inquiry
    // of the member's.
    const inChat = operatorReplyOf('e:chat-talk-reply', {
      peer_id: CHAT,
      admin_author_id: 42,
      id: 0,
      conversation_message_id: 51,
      date: now - 1200,
      text: 'Добрый день! Уточните, пожалуйста, адрес.',
      reply_message: { from_id: 7151, text: 'Соседи, у кого нет воды?' },
    });
    expect(inChat).toMatchObject({ peerId: CHAT, citizenId: 7151, adminId: 42 });
    // An operator writes first to a citizen of a direct dialogue with no inquiry: their message may be a
    // dead letter, the reply its first response.
    const direct = operatorReplyOf('e:4950reply', { peer_id: 4950, from_id: 4950, date: now - 1200 });
    await drainQueue(aws.sqs, aws.queues.routing.url);
    await deadLetters();
    for (const reply of [inChat, direct]) expect((await afterTheWait(reply)).batchItemFailures).toEqual([]);
    expect(await waitingOnRoutingQueue()).toBe(0);
    expect((await deadLetters()).map((body) => JSON.parse(body))).toEqual([direct]);
    expect(await inquiriesOf(CHAT)).toEqual([]);

    const metrics = recordingMetrics();
    const counting = wallClockRouter(repository, metrics);
    // Within its wait, the chat's reply still waits: the member's message may be on its way.
    await expect(counting.recordOperatorReply(inChat, ago(1))).rejects.toBeInstanceOf(MessageNotFoundYet);
    const waited = ago(OVERTAKEN_RETRY_MS / 60_000);
    expect(await counting.recordOperatorReply(inChat, waited)).toEqual({
      inquiryId: null,
      outcome: 'no_inquiry',
    });
    await expect(counting.recordOperatorReply(direct, waited)).rejects.toBeInstanceOf(MessageStillMissing);
    // One quoting no member's message names no inquiry: dropped at once, counted as well.
    const unquoted = operatorReplyOf('e:chat-unquoted-reply', {
      peer_id: CHAT,
      admin_author_id: 42,
      id: 0,
      conversation_message_id: 52,
      date: now - 1100,
      text: 'Уважаемые жители, завтра отключат воду.',
    });
    expect(unquoted.citizenId).toBeUndefined();
    expect(await counting.recordOperatorReply(unquoted)).toEqual({ inquiryId: null, outcome: 'no_inquiry' });
    expect(metrics.counts).toEqual([
      { name: 'ChatRepliesNotAddressed', dimensions: {} },
      { name: 'ChangesWithoutMessage', dimensions: {} },
      { name: 'ChatRepliesNotAddressed', dimensions: {} },
    ]);
  });

  it("notes on its inquiry, counted, an operator's reply in VK to a citizen whose inquiry was answered long ago", async () => {
    const peer = 4949;
    await route(message(peer, 'e:4949a', 'Не вывозят мусор'));
    const answered = await answerAsOperator(peer, 'op:4949');
    // Ten days after the answer (the dialogue's reopen window is 72 hours), the operator writes in VK.
    const tenDaysOn = Date.parse('2026-03-12T07:00:00.000Z') / 1000;
    const followUp = (eventKey: string, id: number) =>
      operatorReplyOf(eventKey, {
        peer_id: peer,
        from_id: peer,
        admin_author_id: 42,
        id,
        conversation_message_id: id,
        date: tenDaysOn + id,
        text: 'Мусор вывезли, вот фото. Проблема решена?',
      });
    const reply = followUp('e:4949reply', 9);
    await drainQueue(aws.sqs, aws.queues.routing.url);
    await deadLetters();
    expect((await afterTheWait(reply)).batchItemFailures).toEqual([]);
    expect((await afterTheWait(reply)).batchItemFailures).toEqual([]);
    expect(await waitingOnRoutingQueue()).toBe(0);
    expect(await deadLetters()).toEqual([]);
    const [inquiry, ...more] = await inquiriesOf(peer);
    expect(more).toEqual([]);
    expect(inquiry).toMatchObject({ id: answered.id, status: 'answered', version: answered.version + 1 });
    const replies = (await repository.get(answered.id))?.history.filter(
      (entry) => entry.kind === 'reply' && entry.detail?.via === 'vk',
    );
    expect(replies).toEqual([
      expect.objectContaining({
        actor: 'operator',
        actorId: 42,
        reason: 'a reply while the inquiry is answered',
        detail: expect.objectContaining({ messageRef: reply.messageRef }),
      }),
    ]);

    const metrics = recordingMetrics();
    const counting = wallClockRouter(repository, metrics);
    const another = followUp('e:4949reply2', 10);
    // Within its wait, it still waits: the citizen's new message, opening a new inquiry, may be on its way.
    await expect(counting.recordOperatorReply(another, ago(1))).rejects.toBeInstanceOf(MessageNotFoundYet);
    const waited = ago(OVERTAKEN_RETRY_MS / 60_000);
    expect(await counting.recordOperatorReply(another, waited)).toEqual({
      inquiryId: answered.id,
      outcome: 'recorded',
    });
    expect(await counting.recordOperatorReply(another, waited)).toEqual({
      inquiryId: answered.id,
      outcome: 'duplicate',
    });
    expect(metrics.counts).toEqual([{ name: 'RepliesInVkOnSettledInquiries', dimensions: {} }]);
  });
});
