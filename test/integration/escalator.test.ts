import { readFileSync } from 'node:fs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { DynamoInquiryRepository, inquiryKey } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { recordingNotifier, SNS_MESSAGE_BYTES, snsNotifier } from '../../lambdas/adapters/notifier.js';
import { type AppConfig, NAME_MAX_LENGTH, parseAppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  deliveryFailedCause,
  type InquiryEvent,
} from '../../lambdas/domain/inquiry/state-machine.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import { outboxIdFor } from '../../lambdas/domain/outbox/outbox-message.js';
import type { DeadlineDigest, EscalationNotifier, InquiryRepository } from '../../lambdas/domain/ports.js';
import type { Category } from '../../lambdas/domain/taxonomy.js';
import { createEscalator, firstDepartmentOf } from '../../lambdas/escalator/escalate.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { ESCALATOR } from '../../lib/resources.js';
import { createInquiryTable, LOCAL_AWS } from '../../local/emulators.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
let tableName = '';
let tables = 0;
let sns: SNSClient;
let topicArn: string;
let notifier: EscalationNotifier;
/** What the e-mail subscriptions of roads and of housing would receive: each filtered to its department. */
let roadsUrl: string;
let housingUrl: string;
/** What an `escalation.criticalNotify` address would receive: every department's e-mail of critical work. */
let dutyUrl: string;

const local = JSON.parse(readFileSync('config/local.json', 'utf8'));
const config = parseAppConfig(local, 'config/local.json');
const GONE_GROUP_ID = 777_001;
/** The configuration before a community was removed from it: a copy of the demo's, with its own parameters. */
const gone = JSON.parse(
  JSON.stringify(local.communities[0]).replaceAll(`/${local.communities[0].groupId}/`, `/${GONE_GROUP_ID}/`),
);
const before = parseAppConfig(
  { ...local, communities: [...local.communities, { ...gone, groupId: GONE_GROUP_ID }] },
  'before',
);

/**
 * A queue subscribed to the topic as the stack subscribes a department's address (filtered to it), or, given
 * a filter policy, as it subscribes another address (a duty officer's: lib/constructs/escalation-topic.ts).
 */
async function subscribedQueue(
  name: string,
  department: string,
  filterPolicy: Record<string, string[]> = { department: [department] },
): Promise<string> {
  const queue = await aws.sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: { FilterPolicy: JSON.stringify(filterPolicy) },
    }),
  );
  return queue.QueueUrl as string;
}

beforeAll(async () => {
  aws = await startTestAws();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  // fauxqs is SNS too: what the escalator publishes reaches the queues subscribed to the topic, as it would
  // reach the e-mail subscriptions (fauxqs delivers to queues only), in SNS's envelope with its subject.
  sns = new SNSClient({
    endpoint: aws.emulators.sqsEndpoint,
    region: LOCAL_AWS.region,
    credentials: { accessKeyId: LOCAL_AWS.accessKeyId, secretAccessKey: LOCAL_AWS.secretAccessKey },
  });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'test-escalations' }))).TopicArn as string;
  roadsUrl = await subscribedQueue('test-escalations-roads', 'roads');
  housingUrl = await subscribedQueue('test-escalations-housing', 'housing');
  dutyUrl = await subscribedQueue('test-escalations-duty', '', { critical: ['true'] });
  notifier = snsNotifier(topicArn, sns);
});
// A table for each test, and its e-mails only: a run reads every department's backlog and counts and tells of
// all it finds, so another test's inquiries, or its e-mails left unread, would be in this one's.
beforeEach(async () => {
  tableName = `escalator-${++tables}`;
  await createInquiryTable(aws.dynamo, tableName);
  repository = new DynamoInquiryRepository(documents, tableName);
  await Promise.all([roadsUrl, housingUrl, dutyUrl].map((url) => drainQueue(aws.sqs, url)));
});
afterAll(() => aws?.stop());

/** A message as SNS delivered it to a subscription. */
interface Delivered {
  Subject: string;
  Message: string;
  MessageAttributes: Record<string, { Type: string; Value: string }>;
}
const delivered = async (queueUrl: string) =>
  (await drainQueue(aws.sqs, queueUrl)).map((body) => JSON.parse(body) as Delivered);

/** A `high` citizen message of `category`, in its own dialogue, received at `at`. */
const message = (
  groupId: number,
  eventKey: string,
  at: string,
  category: Category,
  text = 'Яма на дороге',
): ClassifiedMessage => ({
  kind: 'citizen_message',
  eventKey,
  receivedAt: at,
  message: {
    groupId,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: 5 },
    messageRef: `dm:5:${eventKey}`,
    conversationKey: `dm:5:${eventKey}`,
    authorId: 5,
    text,
    attachments: [],
    sentAt: at,
  },
  classification: { category, priority: 'high', confidence: 1, inquiry: true, triage: false, model: 't' },
});

/** A citizen's comment (citizen `author`) under the demo community's post `postId`. */
const comment = (
  postId: number,
  author: number,
  eventKey: string,
  at: string,
  category: Category,
  text: string,
): ClassifiedMessage => {
  const routed = message(DEMO_GROUP_ID, eventKey, at, category, text);
  const ownerId = -DEMO_GROUP_ID;
  return {
    ...routed,
    message: {
      ...routed.message,
      channel: 'wall_comment',
      replyTo: { channel: 'wall_comment', ownerId, postId, commentId: author },
      messageRef: `wall:${ownerId}_${postId}_${author}`,
      conversationKey: `wall:${postId}:${author}`,
      authorId: author,
    },
  };
};

const calendarOf = (configuration: AppConfig) => {
  const calendar = configuration.communities.find(
    (community) => community.groupId === DEMO_GROUP_ID,
  )?.calendar;
  if (!calendar) throw new Error('no demo community');
  return calendar;
};

const open = async (routed: ClassifiedMessage) => {
  const router = createMessageRouter({
    config: before,
    inquiries: repository,
    clock: { now: () => new Date(routed.receivedAt) },
    inquiryIdFor: (_groupId, eventKey) => `esc-${eventKey}`,
  });
  return (await router.routeCitizenMessage(routed)).inquiryId;
};

/**
 * Every inquiry id a digest lists, by the lines that open each inquiry's entry: its case number and then its
 * console link or its id (the router numbers what it routes).
 */
const listedIds = (text: string) =>
  [
    ...text.matchAll(
      /^\d+\. Обращение № \d{4}-\d{6}(?: \(критическое\))?\n {3}(?:Идентификатор для оператора: |https:\/\/\S*\/)(\S+)$/gmu,
    ),
  ].map((match) => match[1] ?? '');

const caseNumberOf = async (id: string) => (await repository.getInquiry(id))?.caseNumber ?? '';

/** The notices of one inquiry in the digests a notifier was given. */
const noticesOf = (digests: DeadlineDigest[], id: string) =>
  digests.flatMap((digest) => digest.notifications).filter((notice) => notice.inquiryId === id);

/** The given inquiries, breached and cleared or still pending. */
const pendingOf = async (ids: string[]) =>
  (await Promise.all(ids.map((id) => repository.getInquiry(id)))).map(
    (inquiry) => inquiry?.pendingNotification,
  );

describe('the escalator, against dynalite and fauxqs', () => {
  it('warns of an inquiry whose community left the configuration, and checks every other when one fails', async () => {
    // Mon 16 March 2026, from 09:00 Perm: `high` gives 4 working hours, due at 13:00 local (08:00 UTC) on.
    const gone = await open(message(GONE_GROUP_ID, 'gone', '2026-03-16T04:00:00.000Z', 'roads'));
    const failing = await open(message(DEMO_GROUP_ID, 'failing', '2026-03-16T04:01:00.000Z', 'roads'));
    const later = await open(message(DEMO_GROUP_ID, 'later', '2026-03-16T04:02:00.000Z', 'roads'));
    const housing = await open(message(DEMO_GROUP_ID, 'housing', '2026-03-16T04:03:00.000Z', 'housing'));
    const recording = recordingNotifier();
    const metrics = recordingMetrics();
    const logged: unknown[] = [];
    const escalate = createEscalator({
      config,
      // The table refuses to read one inquiry: the others are still checked, and told of.
      inquiries: Object.assign(Object.create(repository) as DynamoInquiryRepository, {
        getInquiry: async (id: string) => {
          if (id === failing) throw new Error('the table refused it');
          return repository.getInquiry(id);
        },
      }),
      clock: { now: () => new Date('2026-03-16T10:00:00.000Z') },
      notifier: recording,
      metrics,
      logError: (text, fields) => void logged.push({ text, fields }),
    });

    expect(await escalate()).toEqual({
      checked: 4,
      warned: 0,
      breached: 3,
      notified: 3,
      digests: 2,
      failed: 1,
      departmentsLeft: 0,
      checksLeft: 0,
      movedToTriage: 0,
    });
    expect(
      recording.sent.map((digest) => [
        digest.department,
        digest.notifications.map((notice) => notice.inquiryId).sort(),
      ]),
    ).toEqual([
      ['housing', [housing]],
      ['roads', [gone, later].sort()],
    ]);
    expect(recording.sent[1]?.text).toContain('Сообщество: vk.com/club777001 (нет в конфигурации)');
    expect(await repository.getInquiry(gone)).toMatchObject({ escalated: true, clock: { breached: true } });
    expect(metrics.counts).toContainEqual({ name: 'EscalationErrors', dimensions: { department: 'roads' } });
    expect(logged).toEqual([
      {
        text: 'escalator: an inquiry could not be checked',
        fields: {
          inquiryId: failing,
          department: 'roads',
          error: { name: 'Error', message: 'the table refused it' },
        },
      },
    ]);
  });

  it('fails the invocation once every other inquiry is checked, so that the function error alarm tells', async () => {
    // The handler reads the table its environment names (startTestAws), this test's alone.
    repository = new DynamoInquiryRepository(documents, aws.tableName);
    const id = await open(message(DEMO_GROUP_ID, 'alarm', '2026-03-17T04:00:00.000Z', 'transport'));
    const { createEscalatorHandler } = await import('../../lambdas/escalator/handler.js');
    const handler = createEscalatorHandler({
      clock: { now: () => new Date('2026-03-17T10:00:00.000Z') },
      notifier: {
        notify: async () => {
          throw new Error('the topic refused it');
        },
      },
    });
    const context = {
      functionName: 'escalator',
      awsRequestId: 'r',
      getRemainingTimeInMillis: () => 60_000,
    } as import('aws-lambda').Context;
    await expect(handler({}, context)).rejects.toThrow(/could not check \d+ inquiries/);
    expect(await repository.getInquiry(id)).toMatchObject({
      escalated: true,
      pendingNotification: { kind: 'breach' },
    });
  });

  it('leaves no escalation in the history when an operator answers between its read and its write', async () => {
    const id = await open(message(DEMO_GROUP_ID, 'raced', '2026-03-23T04:00:00.000Z', 'roads'));
    const now = new Date('2026-03-23T10:00:00.000Z');
    const racing: InquiryRepository = Object.create(repository);
    let raced = false;
    racing.update = async (inquiry, expectedVersion, history, writer) => {
      if (!raced && inquiry.id === id) {
        raced = true;
        // The operator API saves the answer first: the escalator's write is refused on its version.
        const current = (await repository.getInquiry(id)) as Inquiry;
        const answered = applyEvent(
          current,
          {
            type: 'final_answer',
            cause: 'op:raced',
            at: '2026-03-23T09:59:00.000Z',
            operatorId: 'op',
            text: 'Яму засыпали',
            via: 'console',
          },
          { calendar: calendarOf(config), warnAtFraction: config.sla.warnAtFraction, now },
        );
        if (answered.outcome !== 'changed') throw new Error(answered.outcome);
        await repository.update(answered.inquiry, current.version, answered.history);
      }
      return repository.update(inquiry, expectedVersion, history, writer);
    };
    const recording = recordingNotifier();
    const escalate = createEscalator({
      config,
      inquiries: racing,
      clock: { now: () => now },
      notifier: recording,
    });
    await escalate();
    expect(raced).toBe(true);

    const stored = await repository.get(id);
    expect(stored?.inquiry).toMatchObject({ status: 'answered', escalated: false });
    expect(stored?.history.map((entry) => entry.kind)).not.toContain('escalated');
    expect(noticesOf(recording.sent, id)).toEqual([]);
  });

  it('leaves no escalation in the history when its write is refused twice, the second time by an answer', async () => {
    const id = await open(message(DEMO_GROUP_ID, 'raced-twice', '2026-03-23T04:00:00.000Z', 'roads'));
    const now = new Date('2026-03-23T10:00:00.000Z');
    const racing: InquiryRepository = Object.create(repository);
    let refused = 0;
    racing.update = async (inquiry, expectedVersion, history, writer) => {
      if (refused < 2 && inquiry.id === id) {
        refused++;
        const current = (await repository.getInquiry(id)) as Inquiry;
        // An operator's change first (taking it into work, say), then their answer: each refuses the
        // escalator's write, which retries the same escalation, under the same key, in between.
        const answered = applyEvent(
          current,
          {
            type: 'final_answer',
            cause: 'op:raced-twice',
            at: '2026-03-23T09:59:00.000Z',
            operatorId: 'op',
            text: 'Яму засыпали',
            via: 'console',
          },
          { calendar: calendarOf(config), warnAtFraction: config.sla.warnAtFraction, now },
        );
        if (answered.outcome !== 'changed') throw new Error(answered.outcome);
        await repository.update(
          refused === 1 ? { ...current, version: current.version + 1 } : answered.inquiry,
          current.version,
          refused === 1 ? [] : answered.history,
        );
      }
      return repository.update(inquiry, expectedVersion, history, writer);
    };
    const recording = recordingNotifier();
    const run = await createEscalator({
      config,
      inquiries: racing,
      clock: { now: () => now },
      notifier: recording,
    })();
    expect(refused).toBe(2);

    expect(run).toMatchObject({ failed: 0, breached: 0 });
    const stored = await repository.get(id);
    expect(stored?.inquiry).toMatchObject({ status: 'answered', escalated: false });
    expect(stored?.history.map((entry) => entry.kind)).not.toContain('escalated');
  });

  it('keeps the escalation another run saved while its own write was refused', async () => {
    const id = await open(message(DEMO_GROUP_ID, 'twice', '2026-03-24T04:00:00.000Z', 'roads'));
    const now = new Date('2026-03-24T10:00:00.000Z');
    const recording = recordingNotifier();
    const escalatorOver = (inquiries: InquiryRepository) =>
      createEscalator({
        config,
        inquiries,
        clock: { now: () => now },
        notifier: recording,
      });
    const racing: InquiryRepository = Object.create(repository);
    let raced = false;
    racing.update = async (inquiry, expectedVersion, history, writer) => {
      if (!raced && inquiry.id === id) {
        raced = true;
        // Another run of the escalator (an invocation that overran) escalates it first.
        await escalatorOver(repository)();
      }
      return repository.update(inquiry, expectedVersion, history, writer);
    };
    await escalatorOver(racing)();
    expect(raced).toBe(true);

    const stored = await repository.get(id);
    expect(stored?.inquiry).toMatchObject({ escalated: true, clock: { breached: true } });
    expect(stored?.history.filter((entry) => entry.kind === 'escalated')).toHaveLength(1);
    expect(noticesOf(recording.sent, id)).toHaveLength(1);
    expect(stored?.inquiry.pendingNotification).toBeUndefined();
  });

  it("publishes none of the citizen's words, own or forwarded: a name, an address, a diagnosis pass any mask", async () => {
    const text =
      'Иванова Мария Петровна, ул. Ленина 12 кв 3: у ребёнка астма, а в подъезде плесень. Звоните +7 912 345-67-89';
    const id = await open(message(DEMO_GROUP_ID, 'words', '2026-03-18T04:00:00.000Z', 'roads', text));
    const forwardedOnly = message(DEMO_GROUP_ID, 'forwarded', '2026-03-18T04:30:00.000Z', 'roads', '');
    forwardedOnly.message.quoted = [
      { kind: 'forwarded', depth: 1, authorId: 6, text: 'Сосед Сидоров, ВИЧ, просит помочь с пандусом' },
    ];
    const forwarded = await open(forwardedOnly);
    await drainQueue(aws.sqs, roadsUrl);
    const escalate = createEscalator({
      config,
      inquiries: repository,
      clock: { now: () => new Date('2026-03-18T10:00:00.000Z') },
      notifier,
    });
    // (The notices the test above could not send go out too, on this run, in the same e-mail.)
    expect(await escalate()).toMatchObject({ breached: 2, digests: 1, failed: 0 });

    const [published, ...others] = await delivered(roadsUrl);
    expect(others).toEqual([]);
    const mail = `${published?.Subject}\n${published?.Message}`;
    expect(listedIds(mail)).toEqual(expect.arrayContaining([id, forwarded]));
    for (const word of ['Иванова', 'Ленина', 'астма', 'плесень', '912', 'Сидоров', 'ВИЧ', 'пандус', 'Текст'])
      expect(mail, word).not.toContain(word);
    // No console address configured: the inquiry is named by its case number, its id beside it, and told by
    // what is not the citizen's words.
    expect(published?.Message).not.toMatch(/https?:/u);
    const entry = mail.slice(mail.indexOf(`. Обращение № ${await caseNumberOf(id)}\n`) + 2).split('\n\n')[0];
    expect(entry?.split('\n')).toEqual([
      `Обращение № ${await caseNumberOf(id)}`,
      `   Идентификатор для оператора: ${id}`,
      '   Сообщество: Администрация (демо)',
      expect.stringMatching(/^ {3}Категория: /u),
      '   Статус: направлено в отдел',
      '   Никто не взял в работу',
      expect.stringMatching(/^ {3}Срок первого ответа: /u),
      expect.stringMatching(/^ {3}Просрочено на /u),
      '   Нужно: дать первый (промежуточный) ответ',
    ]);
  });

  it('escalates, once, a first response owed again after VK refused the intermediate answer that gave it', async () => {
    // Mon 6 April 2026, 09:00 Perm: `high`, the first response due at 13:00 local (08:00 UTC).
    const id = await open(message(DEMO_GROUP_ID, 'owed', '2026-04-06T04:00:00.000Z', 'roads'));
    const given = new Date('2026-04-06T05:00:00.000Z');
    const context = { calendar: calendarOf(config), warnAtFraction: config.sla.warnAtFraction, now: given };
    const save = async (event: InquiryEvent) => {
      const current = (await repository.getInquiry(id)) as Inquiry;
      const result = applyEvent(current, event, context);
      if (result.outcome !== 'changed') throw new Error(result.outcome);
      await repository.update(result.inquiry, current.version, result.history);
    };
    const via = 'console' as const;
    await save({
      type: 'intermediate_answer',
      cause: 'op:owed',
      at: given.toISOString(),
      operatorId: 'op',
      text: 'Работаем',
      via,
    });
    const outboxId = outboxIdFor(id, 'intermediate_answer', 'op:owed');
    await save({
      type: 'delivery_failed',
      cause: deliveryFailedCause(outboxId),
      at: '2026-04-06T05:00:05.000Z',
      outboxId,
      purpose: 'intermediate_answer',
      reason: "VK error 901: Can't send messages for users without permission",
    });
    // Listed by the owed first response's deadline and looked at by its warning point, not the resolution's.
    const { Item } = await DynamoDBDocumentClient.from(aws.dynamo).send(
      new GetCommand({ TableName: tableName, Key: inquiryKey(id) }),
    );
    expect(Item).toMatchObject({
      clock: { kind: 'resolution' },
      gsi1sk: `2026-04-06T08:00:00.000Z#${id}`,
      gsi3sk: `2026-04-06T07:12:00.000Z#${id}`,
    });

    const recording = recordingNotifier();
    const run = (at: string) =>
      createEscalator({
        config,
        inquiries: repository,
        clock: { now: () => new Date(at) },
        notifier: recording,
      })();
    await run('2026-04-06T08:30:00.000Z');
    await run('2026-04-06T08:35:00.000Z');
    expect(noticesOf(recording.sent, id)).toEqual([
      expect.objectContaining({ kind: 'breach', clock: 'first_response', dueAt: '2026-04-06T08:00:00.000Z' }),
    ]);
    const stored = await repository.get(id);
    expect(stored?.inquiry).toMatchObject({
      escalated: true,
      clock: { kind: 'resolution', warned: false, breached: false },
      firstResponseClock: { breached: true },
    });
    expect(stored?.history.filter((entry) => entry.kind === 'escalated')).toHaveLength(1);
  });

  it("tells a department of a weekend's overdue inquiries in one e-mail it can read", async () => {
    // Sat 21 and Sun 22 March 2026: every clock starts on Monday 09:00 in Perm and is due at 13:00 (08:00 UTC).
    const ids: string[] = [];
    for (let n = 0; n < 30; n++) {
      const at = new Date(Date.parse('2026-03-21T06:00:00.000Z') + n * 3_600_000).toISOString();
      const text = `Нет отопления, дом ${n}`;
      // Two thirds under the administration's post on the outage, the rest written to the community.
      ids.push(
        await open(
          n < 20
            ? comment(42, 1000 + n, `weekend-${n}`, at, 'housing', text)
            : message(DEMO_GROUP_ID, `weekend-${n}`, at, 'housing', text),
        ),
      );
    }
    await Promise.all([housingUrl, roadsUrl, dutyUrl].map((url) => drainQueue(aws.sqs, url)));
    const escalate = createEscalator({
      config: parseAppConfig(
        { ...local, operatorConsoleUrl: 'https://console.example.org/inquiries/{inquiryId}' },
        'with a console',
      ),
      inquiries: repository,
      // Monday 14:30 in Perm: half an hour of working time late, after the hour of the lunch break.
      clock: { now: () => new Date('2026-03-23T09:30:00.000Z') },
      notifier,
    });
    expect(await escalate()).toMatchObject({ breached: 30, notified: 30, digests: 1, failed: 0 });

    const mails = await delivered(housingUrl);
    expect(mails).toHaveLength(1);
    expect(await delivered(roadsUrl)).toEqual([]);
    const [mail] = mails as [Delivered];
    expect(mail.Subject).toBe('[Департамент ЖКХ] Просрочено 30 обращений');
    expect(mail.MessageAttributes).toMatchObject({
      department: { Type: 'String', Value: 'housing' },
      critical: { Type: 'String', Value: 'false' },
      kind: { Type: 'String.Array', Value: '["breach"]' },
    });
    // No critical inquiry among them: nothing for the duty officer.
    expect(await delivered(dutyUrl)).toEqual([]);
    // All due at once: listed in one order, in the text as in the attribute.
    expect(JSON.parse(mail.MessageAttributes.inquiryIds?.Value ?? '[]')).toEqual(listedIds(mail.Message));
    expect(listedIds(mail.Message).sort()).toEqual([...ids].sort());
    const caseNumber = await caseNumberOf(ids[0] ?? '');
    expect(caseNumber).toMatch(/^2026-\d{6}$/u);
    const entry = mail.Message.slice(mail.Message.indexOf(`. Обращение № ${caseNumber}\n`) + 2).split(
      '\n\n',
    )[0];
    expect(entry).toBe(
      [
        `Обращение № ${caseNumber}`,
        `   https://console.example.org/inquiries/${ids[0]}`,
        '   Сообщество: Администрация (демо)',
        '   Категория: ЖКХ, приоритет: высокий',
        '   Статус: направлено в отдел',
        '   Никто не взял в работу',
        '   Срок первого ответа: 23 марта в 13:00 по местному времени сообщества (МСК+2)',
        '   Просрочено на 30 мин рабочего времени (по календарю — на 1 ч 30 мин)',
        '   Нужно: дать первый (промежуточный) ответ',
      ].join('\n'),
    );
    expect(
      mail.Message.startsWith(
        [
          'Департамент ЖКХ',
          'Просрочено 30 обращений.',
          'Проверка сроков: 23 марта в 14:30 по местному времени сообщества (МСК+2).',
          '',
          'Кратко о письме:',
          `- 20 обращений — комментарии к записи https://vk.com/wall-${DEMO_GROUP_ID}_42`,
          '- по категориям: ЖКХ — 30',
          '',
          '=== Просрочены: 30 ===',
          '',
        ].join('\n'),
      ),
    ).toBe(true);
    expect(mail.Message).not.toMatch(/"kind"|Z\b|deadline/u);
    expect(await pendingOf(ids)).toEqual(ids.map(() => undefined));
  });

  it('tells the duty officer of a critical inquiry at night: become critical, warned, and its hour gone by', async () => {
    // Saturday 4 April 2026, 02:00 in Perm: gas, critical, an hour round the clock, warned at half of it.
    const gas = message(DEMO_GROUP_ID, 'night-gas', '2026-04-03T21:00:00.000Z', 'housing', 'Пахнет газом');
    const id = await open({ ...gas, classification: { ...gas.classification, priority: 'critical' } });
    await Promise.all([housingUrl, roadsUrl, dutyUrl].map((url) => drainQueue(aws.sqs, url)));
    const runAt = async (at: string) => {
      await createEscalator({
        config,
        inquiries: repository,
        clock: { now: () => new Date(at) },
        notifier,
      })();
      return (await delivered(dutyUrl)).filter((mail) =>
        JSON.parse(mail.MessageAttributes.inquiryIds?.Value ?? '[]').includes(id),
      );
    };
    const told = [
      ...(await runAt('2026-04-03T21:05:00.000Z')),
      ...(await runAt('2026-04-03T21:35:00.000Z')),
      // No one answered within its hour: the breach the on-call chases the department for.
      ...(await runAt('2026-04-03T22:05:00.000Z')),
    ];
    expect(
      told.map((mail) => [mail.MessageAttributes.kind?.Value, mail.MessageAttributes.critical?.Value]),
    ).toEqual([
      ['["critical"]', 'true'],
      ['["warning"]', 'true'],
      ['["breach"]', 'true'],
    ]);
    // The department heard of each as well.
    const department = (await delivered(housingUrl)).filter((mail) =>
      JSON.parse(mail.MessageAttributes.inquiryIds?.Value ?? '[]').includes(id),
    );
    expect(department).toHaveLength(3);
  });

  it('keeps the notices of a digest SNS refused pending, and sends them in the next run', async () => {
    const ids = [
      await open(message(DEMO_GROUP_ID, 'refused-1', '2026-03-24T03:50:00.000Z', 'housing')),
      await open(message(DEMO_GROUP_ID, 'refused-2', '2026-03-24T03:55:00.000Z', 'housing')),
    ];
    await drainQueue(aws.sqs, housingUrl);
    const metrics = recordingMetrics();
    const run = (topic: EscalationNotifier) =>
      createEscalator({
        config,
        inquiries: repository,
        clock: { now: () => new Date('2026-03-24T08:30:00.000Z') },
        notifier: topic,
        metrics,
      })();
    // A topic that does not exist: the publish is refused.
    const missing = snsNotifier(topicArn.replace(/test-escalations$/u, 'no-such-topic'), sns);
    expect(await run(missing)).toMatchObject({ breached: 2, notified: 0, digests: 0, failed: 2 });
    // Counted per inquiry not told of, as the run's failures and the function's error are.
    expect(metrics.counts.filter((count) => count.name === 'EscalationErrors')).toEqual([
      { name: 'EscalationErrors', dimensions: { department: 'housing' }, value: 2 },
    ]);
    expect((await pendingOf(ids)).map((pending) => pending?.kind)).toEqual(['breach', 'breach']);
    expect(await delivered(housingUrl)).toEqual([]);

    expect(await run(notifier)).toMatchObject({ breached: 0, notified: 2, digests: 1, failed: 0 });
    const [mail, ...more] = await delivered(housingUrl);
    expect(more).toEqual([]);
    expect(listedIds(mail?.Message ?? '')).toEqual(ids);
    expect(await pendingOf(ids)).toEqual([undefined, undefined]);
    expect(await run(notifier)).toMatchObject({ checked: 0, digests: 0 });
  });

  it('splits a digest too big for one SNS message, and keeps pending the part that was refused', async () => {
    // 240 inquiries of a weekend, of a community whose name is as long as the configuration lets it be, in
    // characters of three bytes (no citizen's words are sent): some 300 KB, over the 256 KB of one message.
    const ids: string[] = [];
    for (let n = 0; n < 240; n++) {
      const at = new Date(Date.parse('2026-03-28T04:00:00.000Z') + n * 60_000).toISOString();
      ids.push(await open(message(DEMO_GROUP_ID, `big-${n}`, at, 'roads')));
    }
    const longNamed = parseAppConfig(
      {
        ...local,
        communities: local.communities.map((community: { groupId: number; name: string }) =>
          community.groupId === DEMO_GROUP_ID
            ? {
                ...community,
                name: `${community.name} ${'路'.repeat(NAME_MAX_LENGTH - community.name.length - 1)}`,
              }
            : community,
        ),
      },
      'a long community name',
    );
    await drainQueue(aws.sqs, roadsUrl);
    let publishes = 0;
    const secondRefused: EscalationNotifier = {
      fits: (digest) => notifier.fits?.(digest) ?? true,
      notify: async (digest) => {
        if (digest.department === 'roads' && ++publishes === 2) throw new Error('the topic refused it');
        return await notifier.notify(digest);
      },
    };
    const run = (topic: EscalationNotifier) =>
      createEscalator({
        config: longNamed,
        inquiries: repository,
        clock: { now: () => new Date('2026-03-30T08:30:00.000Z') },
        notifier: topic,
      })();

    const first = await run(secondRefused);
    const [part, ...others] = await delivered(roadsUrl);
    expect(others).toEqual([]);
    expect(part?.Subject).toBe('[Департамент дорог и транспорта] Просрочено 240 обращений (письмо 1 из 2)');
    const sent = listedIds(part?.Message ?? '');
    const left = ids.filter((id) => !sent.includes(id));
    expect(Buffer.byteLength(part?.Message ?? '')).toBeLessThanOrEqual(SNS_MESSAGE_BYTES);
    expect(sent.length).toBeGreaterThan(90);
    expect(left.length).toBeGreaterThan(0);
    expect(first).toMatchObject({ breached: 240, notified: sent.length, digests: 1, failed: left.length });
    expect((await pendingOf(sent)).every((one) => one === undefined)).toBe(true);
    expect((await pendingOf(left)).every((one) => one?.kind === 'breach')).toBe(true);

    // The next run sends the rest, in one message now that it fits, and clears it.
    expect(await run(notifier)).toMatchObject({ notified: left.length, digests: 1, failed: 0 });
    const [rest, ...none] = await delivered(roadsUrl);
    expect(none).toEqual([]);
    expect(listedIds(rest?.Message ?? '').sort()).toEqual(left.sort());
    expect(rest?.Subject).toMatch(/^\[Департамент дорог и транспорта\] Просрочено \d+ обращени[йея]$/u);
    expect(await pendingOf(ids)).toEqual(ids.map(() => undefined));
  }, 60_000);

  it('publishes at most five messages a second, far below what suspends an e-mail subscription', async () => {
    const digest: DeadlineDigest = {
      department: 'triage',
      departmentName: 'Разбор',
      recipients: [],
      critical: false,
      subject: 'paced',
      text: 'paced',
      notifications: [],
    };
    const started = Date.now();
    for (let n = 0; n < 4; n++) await notifier.notify(digest);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 200 - 5);
  });
});

describe('the escalator within its time, against dynalite', () => {
  // Monday 2 February 2026, 15:00 in Perm.
  const runAt = (run: number) =>
    new Date(Date.parse('2026-02-02T10:00:00.000Z') + run * ESCALATOR.intervalMinutes * 60_000);
  const ids = config.departments.map((department) => department.id);
  const rotated = (first: number) => [...ids.slice(first), ...ids.slice(0, first)];

  it('starts one department further on each run, so that each comes first in turn', async () => {
    const queried: string[][] = [];
    const recording: InquiryRepository = Object.create(repository);
    // The order of the departments' critical work, read before the rest of any (which then goes in turns).
    recording.dueForEscalation = (department, now, page) => {
      if (page.part === 'critical') queried.at(-1)?.push(department);
      return repository.dueForEscalation(department, now, page);
    };
    for (const run of [0, 1, 2]) {
      queried.push([]);
      await createEscalator({
        config,
        inquiries: recording,
        clock: { now: () => runAt(run) },
        notifier: recordingNotifier(),
      })();
    }
    const firsts = queried.map((order) => ids.indexOf(order[0] ?? ''));
    expect(queried).toEqual(firsts.map(rotated));
    expect([...firsts].sort()).toEqual([0, 1, 2]);
    expect(firsts[1]).toBe(((firsts[0] ?? 0) + 1) % ids.length);
  });

  it('stops taking up inquiries once its time runs low, sends what it marked, and counts the departments left', async () => {
    // A run that starts with roads.
    const run =
      [0, 1, 2].find(
        (candidate) => rotated(firstDepartmentOf(runAt(candidate), ids.length))[0] === 'roads',
      ) ?? 0;
    // Due at 13:00 in Perm (08:00 UTC): two for roads, one for housing.
    const first = await open(message(DEMO_GROUP_ID, 'budget-1', '2026-02-02T04:00:00.000Z', 'roads'));
    const second = await open(message(DEMO_GROUP_ID, 'budget-2', '2026-02-02T04:01:00.000Z', 'roads'));
    const housing = await open(message(DEMO_GROUP_ID, 'budget-3', '2026-02-02T04:02:00.000Z', 'housing'));
    // Time for every department's critical work (none), the first page of roads and one of its inquiries,
    // then no more.
    let roadsRead = false;
    let started = 0;
    const reading: InquiryRepository = Object.create(repository);
    reading.dueForEscalation = (department, now, page) => {
      if (department === 'roads' && page.part !== 'critical') roadsRead = true;
      return repository.dueForEscalation(department, now, page);
    };
    const escalator = (at: Date, notifier: EscalationNotifier) =>
      createEscalator({ config, inquiries: reading, clock: { now: () => at }, notifier });
    const recording = recordingNotifier();
    expect(await escalator(runAt(run), recording)(() => !roadsRead || ++started <= 1)).toEqual({
      checked: 1,
      warned: 0,
      breached: 1,
      notified: 1,
      digests: 1,
      failed: 0,
      // Roads, cut short, and the two whose inquiries the run did not get to.
      departmentsLeft: 3,
      // The second of roads and the one of housing.
      checksLeft: 2,
      movedToTriage: 0,
    });
    expect(
      recording.sent.map((digest) => [digest.department, digest.notifications.map((n) => n.inquiryId)]),
    ).toEqual([['roads', [first]]]);
    expect((await repository.getInquiry(second))?.escalated).toBeFalsy();
    expect((await repository.getInquiry(housing))?.escalated).toBeFalsy();

    // The next run, starting one department further, takes up what was left.
    const next = recordingNotifier();
    expect(await escalator(runAt(run + 1), next)()).toMatchObject({ breached: 2, departmentsLeft: 0 });
    expect(next.sent.flatMap((digest) => digest.notifications.map((n) => n.inquiryId)).sort()).toEqual(
      [second, housing].sort(),
    );
  });

  it('stops before its timeout by the time Lambda says is left, and fails no invocation for it', async () => {
    const { createEscalatorHandler } = await import('../../lambdas/escalator/handler.js');
    const handler = createEscalatorHandler({ clock: { now: () => runAt(0) }, notifier: recordingNotifier() });
    const context = (remainingMs: number) =>
      ({
        functionName: 'escalator',
        awsRequestId: 'r',
        getRemainingTimeInMillis: () => remainingMs,
      }) as import('aws-lambda').Context;
    expect(await handler({}, context(ESCALATOR.stopBeforeTimeoutSeconds * 1000))).toMatchObject({
      checked: 0,
      departmentsLeft: ids.length,
    });
    expect(await handler({}, context(ESCALATOR.stopBeforeTimeoutSeconds * 1000 + 1))).toMatchObject({
      departmentsLeft: 0,
    });
  });

  it('counts each run cut short for the alarm, and none that finished in time', async () => {
    // Metrics on, as in Lambda.
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_DEV', '');
    onTestFinished(() => void vi.unstubAllEnvs());
    const { createEscalatorHandler } = await import('../../lambdas/escalator/handler.js');
    const handler = createEscalatorHandler({ clock: { now: () => runAt(0) }, notifier: recordingNotifier() });
    // Lambda's time left: enough for one department's critical work, then under the margin. Middy reads it
    // once too, as the run takes its lease: the first two readings.
    const context = (remainingMs: () => number) =>
      ({
        functionName: 'escalator',
        awsRequestId: 'r',
        getRemainingTimeInMillis: remainingMs,
      }) as import('aws-lambda').Context;
    const margin = ESCALATOR.stopBeforeTimeoutSeconds * 1000;
    let asked = 0;
    const cutShort = await metricsWrittenBy(() =>
      handler(
        {},
        context(() => (++asked <= 2 ? margin + 1 : margin)),
      ),
    );
    expect(cutShort.run).toMatchObject({ departmentsLeft: ids.length });
    expect(cutShort.metrics).toEqual([
      { name: 'EscalatorRunsStoppedForTime', value: 1, dimensions: { service: 'escalator' } },
    ]);

    const inTime = await metricsWrittenBy(() =>
      handler(
        {},
        context(() => margin + 1),
      ),
    );
    expect(inTime.run).toMatchObject({ departmentsLeft: 0 });
    expect(inTime.metrics).toEqual([]);
  });
});

describe("a Monday morning's backlog, against dynalite and fauxqs", () => {
  /**
   * `count` high roads inquiries written over a weekend from `saturday` on, five minutes apart: out of working
   * hours, so their clocks all start on Monday morning and share one warning point and one due time.
   */
  async function weekendOfRoads(prefix: string, saturday: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let n = 0; n < count; n++) {
      const at = new Date(Date.parse(saturday) + n * 5 * 60_000).toISOString();
      ids.push(await open(message(DEMO_GROUP_ID, `${prefix}-${n}`, at, 'roads')));
    }
    return ids;
  }

  /** A time on the Monday afternoon when a run starts with roads (firstDepartmentOf). */
  const mondayStartingWithRoads = (monday: string) => {
    const ids = config.departments.map((department) => department.id);
    const step = ESCALATOR.intervalMinutes * 60_000;
    const run = [0, 1, 2].find(
      (n) => firstDepartmentOf(new Date(Date.parse(monday) + n * step), ids.length) === ids.indexOf('roads'),
    );
    return new Date(Date.parse(monday) + (run ?? 0) * step);
  };

  it('checks every due inquiry of a department in one run, page after page, and tells of them in one e-mail', async () => {
    const ids = await weekendOfRoads('backlog', '2026-05-16T04:00:00.000Z', 350);
    // Monday 18 May, 17:00 in Perm: every one of them overdue.
    const at = new Date('2026-05-18T12:00:00.000Z');
    expect(await repository.countDueForEscalation('roads', at)).toBeGreaterThanOrEqual(350);
    await drainQueue(aws.sqs, roadsUrl);
    const metrics = recordingMetrics();
    const run = await createEscalator({
      config,
      inquiries: repository,
      clock: { now: () => at },
      notifier,
      metrics,
    })();

    expect(run).toMatchObject({ failed: 0, departmentsLeft: 0, checksLeft: 0 });
    expect(run.breached).toBeGreaterThanOrEqual(350);
    const mails = await delivered(roadsUrl);
    expect(mails).toHaveLength(1);
    const told = listedIds(mails[0]?.Message ?? '');
    expect(told).toEqual(expect.arrayContaining(ids));
    expect(new Set(told).size).toBe(told.length);
    expect(await repository.countDueForEscalation('roads', at)).toBe(0);
    expect(await pendingOf(ids)).toEqual(ids.map(() => undefined));
    expect(metrics.counts.map((count) => count.name)).not.toContain('EscalatorRunsStoppedForTime');
  }, 120_000);

  it('counts the due inquiries a run cut short leaves to the next run, which checks them', async () => {
    const ids = await weekendOfRoads('left', '2026-05-23T04:00:00.000Z', 150);
    const at = mondayStartingWithRoads('2026-05-25T12:00:00.000Z');
    // Time for 120 of them: more than a page, not all.
    let read = 0;
    const reading: InquiryRepository = Object.create(repository);
    reading.getInquiry = (id) => {
      if (ids.includes(id)) read++;
      return repository.getInquiry(id);
    };
    const metrics = recordingMetrics();
    const escalator = (hasTime?: () => boolean) =>
      createEscalator({
        config,
        inquiries: reading,
        clock: { now: () => at },
        notifier: recordingNotifier(),
        metrics,
      })(hasTime);

    const cut = await escalator(() => read < 120);
    expect(cut).toMatchObject({ checked: 120, breached: 120, notified: 120, failed: 0 });
    // The other departments, with nothing due, had their turn and are done: roads alone is left.
    expect(cut.departmentsLeft).toBe(1);
    expect(cut.checksLeft).toBe(30);
    expect(metrics.counts).toEqual(
      expect.arrayContaining([
        { name: 'EscalatorRunsStoppedForTime', dimensions: {} },
        { name: 'EscalationChecksLeft', dimensions: { department: 'roads' }, value: 30 },
      ]),
    );

    expect(await escalator()).toMatchObject({ breached: 30, failed: 0, departmentsLeft: 0, checksLeft: 0 });
    expect(await repository.countDueForEscalation('roads', at)).toBe(0);
  }, 120_000);
});

/** What a call returned, and the metrics it wrote (embedded metric format, on stdout): each with its dimensions. */
async function metricsWrittenBy<T>(call: () => Promise<T>) {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.startsWith('{')),
    );
    return true;
  });
  let run: T;
  try {
    run = await call();
  } finally {
    write.mockRestore();
  }
  const metrics = lines.flatMap((text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    const emf = line._aws as
      | { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] }
      | undefined;
    return (emf?.CloudWatchMetrics ?? []).flatMap((directive) =>
      directive.Metrics.flatMap((metric) =>
        directive.Dimensions.map((set) => ({
          name: metric.Name,
          value: line[metric.Name],
          dimensions: Object.fromEntries(set.map((dimension) => [dimension, String(line[dimension])])),
        })),
      ),
    );
  });
  return { run, metrics };
}
