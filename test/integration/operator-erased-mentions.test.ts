import { DynamoDBDocumentClient, type GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import localConfig from '../../config/local.json';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { DynamoErasedCitizens } from '../../lambdas/adapters/erased-citizens.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import { ERASED_CITIZEN_DAYS } from '../../lambdas/domain/inquiry/erased-citizen.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import { ERASED_MENTION } from '../../lambdas/domain/vk/mentions.js';
import type { ApiRequest, UseCase } from '../../lambdas/operator-api/api.js';
import { MAX_PEOPLE_NAMED, type NoteBody } from '../../lambdas/operator-api/contract/changes.js';
import { addNote } from '../../lambdas/operator-api/use-cases/add-note.js';
import { reply } from '../../lambdas/operator-api/use-cases/reply.js';
import { inquiryIdFor } from '../../lambdas/router/inquiry-ids.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { eraseCitizen } from '../../ops/erase-citizen.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { citizenDirectMessage, countedMarks } from '../support/erased-citizens.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { localOperatorApi, type OperatorApiCall, operatorApiDepsOn } from '../support/operator-api.js';

/**
 * An operator's words typed in the console after `citizen:erase` (a note, a reason, a reply, an intermediate
 * answer), through the operator API's handler against dynalite and fauxqs: stored, and sent, without the
 * mentions of the citizen erased lately, as the router stores a citizen's words or a reply typed in VK.
 */
let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
let call: OperatorApiCall;
const config = parseAppConfig(localConfig, 'local');
/** The local admin's token (config/local.secrets.json): an operator of every department. */
const ADMIN = 'local-admin-token-change-me';

beforeAll(async () => {
  aws = await startTestAws();
  documents = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
  process.env.ANSWERS_QUEUE_URL = aws.queues.answers.url;
  call = await localOperatorApi();
});
afterAll(() => aws?.stop());

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

const erase = (userId: number, at: Date) =>
  eraseCitizen({
    client: documents,
    tableName: aws.tableName,
    config,
    groupId: DEMO_GROUP_ID,
    userId,
    includeOpen: true,
    dryRun: false,
    clock: { now: () => at },
  });

// Ids as the router makes them, which the operator API's paths take.
const router = () => createMessageRouter({ config, inquiries: repository, clock: systemClock, inquiryIdFor });

/** The citizen's direct message `cmid`, written minutes ago, routed: the id of the inquiry it opened. */
async function inquiryOf(citizen: number, cmid: number, text: string): Promise<string> {
  const { inquiryId } = await router().routeCitizenMessage(
    citizenDirectMessage({
      citizen,
      cmid,
      vkId: citizen * 100 + cmid,
      at: ago(5),
      text,
      eventKey: `e:operator-erased-${citizen}-${cmid}`,
    }),
  );
  if (inquiryId === null) throw new Error('the message opened no inquiry');
  return inquiryId;
}

/** The admin's change of the inquiry under the idempotency key `key`: its answer. */
const change = (id: string, action: string, body: unknown, key: string) =>
  call('POST', `/api/v1/inquiries/${id}/${action}`, ADMIN, body, { 'idempotency-key': key });

/**
 * The operators' words the inquiry's history keeps (an operator's `actorId` is their user pool `sub`): answers'
 * (`detail.text`, their `reason` saying what they are), notes' and reasons' (`reason`).
 */
async function wordsKept(id: string): Promise<string[]> {
  const history = (await repository.get(id))?.history ?? [];
  return history.flatMap((entry) =>
    typeof entry.actorId !== 'string'
      ? []
      : [entry.detail?.text ?? entry.reason].filter((words): words is string => typeof words === 'string'),
  );
}

const toCitizen = async () =>
  (await drainQueue(aws.sqs, aws.queues.answers.url))
    .map((body) => JSON.parse(body) as OutboxMessage)
    .flatMap((message) => (message.kind === 'message_to_citizen' ? [message.text] : []));

describe("an operator's words naming a citizen erased lately, against dynalite", () => {
  it('are stored, and sent to the citizen, with each mention replaced, and repeats are answered as made', async () => {
    const erased = 7_741_101;
    const neighbour = 7_741_102;
    await erase(erased, ago(10));
    const id = await inquiryOf(neighbour, 1, 'На Мира 11 не горит фонарь, как и у соседа');
    await drainQueue(aws.sqs, aws.queues.answers.url);

    const made = [
      ['note', { text: 'Сосед [id7741101|Иван] тоже жаловался, звонили ему' }],
      ['intermediate-answer', { text: 'Проверяем, как и у @id7741101 (Иван) на Мира 9' }],
      ['reply', { text: 'Фонарь заменили, как и у соседа vk.com/id7741101' }],
      ['close', { reason: 'Заменили оба фонаря, см. https://vk.com/id7741101' }],
      ['reopen', { reason: 'Фонарь у [id7741101|Ивана] снова не горит' }],
      ['release', { reason: 'Передаю, vk.com/id7741101 звонил снова' }],
      ['move', { department: 'roads', reason: 'Фонари на Мира — дороги, как и у @id7741101' }],
      ['reject', { reason: 'Дубль жалобы [id7741101|Ивана]' }],
      // A rejected message put back into work: a route, with its reason.
      ['move', { department: 'roads', reason: 'Не дубль: у vk.com/id7741101 другой фонарь' }],
    ] as const;
    const answers = [];
    for (const [index, [action, body]] of made.entries()) {
      const answer = await change(id, action, body, `${action}-${index}-${id}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      answers.push(answer);
    }

    expect(await wordsKept(id)).toEqual([
      `Сосед ${ERASED_MENTION} тоже жаловался, звонили ему`,
      `Проверяем, как и у ${ERASED_MENTION} на Мира 9`,
      `Фонарь заменили, как и у соседа ${ERASED_MENTION}`,
      `Заменили оба фонаря, см. ${ERASED_MENTION}`,
      `Фонарь у ${ERASED_MENTION} снова не горит`,
      `Передаю, ${ERASED_MENTION} звонил снова`,
      `Фонари на Мира — дороги, как и у ${ERASED_MENTION}`,
      `Дубль жалобы ${ERASED_MENTION}`,
      `Не дубль: у ${ERASED_MENTION} другой фонарь`,
    ]);
    const sent = await toCitizen();
    expect(sent).toEqual([
      expect.stringMatching(
        new RegExp(`\n${escaped(`Проверяем, как и у ${ERASED_MENTION} на Мира 9`)}$`, 'u'),
      ),
      expect.stringMatching(
        new RegExp(`\n${escaped(`Фонарь заменили, как и у соседа ${ERASED_MENTION}`)}$`, 'u'),
      ),
    ]);
    expect(JSON.stringify(await repository.get(id))).not.toContain('7741101');

    // The same requests again, with their keys: answered as made, nothing written twice, the same words sent.
    const stored = await repository.get(id);
    for (const [index, [action, body]] of made.entries()) {
      const repeated = await change(id, action, body, `${action}-${index}-${id}`);
      expect(repeated.status, action).toBe(200);
      expect(repeated.body.outboxId, action).toBe(answers[index]?.body.outboxId);
    }
    expect(await repository.get(id)).toEqual(stored);
    expect(await toCitizen()).toEqual(sent);
  });

  it('leaves as typed a citizen not erased, one erased over the marks’ days ago, and the inquiry’s author', async () => {
    const erasedLongAgo = 7_741_201;
    const author = 7_741_202;
    const erasedLately = 7_741_203;
    await erase(erasedLongAgo, ago((ERASED_CITIZEN_DAYS + 1) * 24 * 60));
    await erase(erasedLately, ago(20));
    // Erased, then writing again: a new inquiry of theirs, whose answer may name them.
    await erase(author, ago(10));
    const id = await inquiryOf(author, 1, 'Я снова пишу: на Садовой 3 яма');
    await drainQueue(aws.sqs, aws.queues.answers.url);

    // Of the three the note names, only the one erased lately is replaced.
    const note = 'Звонили [id7741201|Петру], [id7741299|Анне] и [id7741203|Олегу], у них та же яма';
    const reply = '[id7741202|Иван], яму на Садовой 3 заделают к пятнице';
    expect((await change(id, 'note', { text: note }, `note-${id}`)).status).toBe(200);
    expect((await change(id, 'reply', { text: reply }, `reply-${id}`)).status).toBe(200);
    expect(
      (await change(id, 'close', { reason: `Заделали, см. vk.com/id7741201` }, `close-${id}`)).status,
    ).toBe(200);

    expect(await wordsKept(id)).toEqual([
      `Звонили [id7741201|Петру], [id7741299|Анне] и ${ERASED_MENTION}, у них та же яма`,
      reply,
      'Заделали, см. vk.com/id7741201',
    ]);
    expect(await toCitizen()).toEqual([expect.stringMatching(new RegExp(`\n${escaped(reply)}$`, 'u'))]);
  });

  it('refuses words naming more people by VK id than it looks up: nothing stored, nothing sent', async () => {
    const erased = 7_741_401;
    await erase(erased, ago(10));
    const id = await inquiryOf(7_741_402, 1, 'На Заводской 2 нет отопления');
    await drainQueue(aws.sqs, aws.queues.answers.url);
    const named = (count: number) =>
      Array.from({ length: count }, (_, index) => `[id${erased + index}|Сосед ${index + 1}]`).join(', ');

    // One person too many in each kind of words: 400, nothing stored, nothing queued.
    const refused = [
      ['note', { text: `Обзвонили: ${named(MAX_PEOPLE_NAMED + 1)}` }],
      ['reply', { text: `Батареи включили, как и у ${named(MAX_PEOPLE_NAMED + 1)}` }],
      ['close', { reason: `Включили у ${named(MAX_PEOPLE_NAMED + 1)}` }],
    ] as const;
    for (const [action, body] of refused) {
      const answer = await change(id, action, body, `many-${action}-${id}`);
      expect(answer.status, action).toBe(400);
      expect(answer.body.code).toBe('validation_failed');
      expect(answer.body.issues, action).toEqual([
        `${'text' in body ? 'text' : 'reason'}: names ${MAX_PEOPLE_NAMED + 1} people by their VK id ` +
          `(a mention such as [id1|…] or @id1, a link to their page): at most ${MAX_PEOPLE_NAMED}`,
      ]);
    }
    expect(await wordsKept(id)).toEqual([]);
    expect(await toCitizen()).toEqual([]);

    // As many as it looks up: taken, the erased one's mention replaced.
    const note = `Обзвонили: ${named(MAX_PEOPLE_NAMED)}`;
    expect((await change(id, 'note', { text: note }, `enough-${id}`)).status).toBe(200);
    expect(await wordsKept(id)).toEqual([note.replace('[id7741401|Сосед 1]', ERASED_MENTION)]);
  });

  it('tells words that fit as typed, and not once a mention is replaced, why they are too long', async () => {
    const erased = 7_741_501;
    await erase(erased, ago(10));
    const id = await inquiryOf(7_741_502, 1, 'Во дворе Лесной 7 упало дерево');
    await drainQueue(aws.sqs, aws.queues.answers.url);
    const { maxTextLength } = (await call('GET', `/api/v1/inquiries/${id}`, ADMIN)).body.inquiry as {
      maxTextLength: number;
    };
    const mention = `*id${erased}`;
    const text = `${'Дерево убрали. '.repeat(1000).slice(0, maxTextLength - mention.length - 1)} ${mention}`;
    expect(text.length).toBe(maxTextLength);

    const answer = await change(id, 'reply', { text }, `long-${id}`);

    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual([
      `text: too long once each mention of a citizen erased lately is replaced by "${ERASED_MENTION}": ` +
        `${maxTextLength - mention.length + ERASED_MENTION.length} characters, at most ${maxTextLength} for ` +
        'this inquiry (its maxTextLength): shorten the words or take the mention out',
    ]);
    expect(await wordsKept(id)).toEqual([]);
    expect(await toCitizen()).toEqual([]);
  });

  it('answers as made a repeat of words stored before an erasure that names someone in them', async () => {
    const erasedSince = 7_741_601;
    const id = await inquiryOf(7_741_602, 1, 'На Речной 5 течёт крыша');
    await drainQueue(aws.sqs, aws.queues.answers.url);
    const text = `Крышу залатали, как и у [id${erasedSince}|Ивана]`;
    const first = await change(id, 'reply', { text }, `before-erasure-${id}`);
    expect(first.status).toBe(200);
    expect(await toCitizen()).toEqual([expect.stringMatching(new RegExp(`\n${escaped(text)}$`, 'u'))]);

    // The erasure redacts the reply stored; its repeat, whose words would now be redacted, is the same request.
    await erase(erasedSince, ago(1));
    const stored = await repository.get(id);
    expect(await wordsKept(id)).toEqual([`Крышу залатали, как и у ${ERASED_MENTION}`]);
    const repeated = await change(id, 'reply', { text }, `before-erasure-${id}`);

    expect(repeated.status).toBe(200);
    expect(repeated.body.outboxId).toBe(first.body.outboxId);
    expect(await repository.get(id)).toEqual(stored);
    // Queued again under the same outbox id, which the responder sends once; now without the mention.
    expect(await toCitizen()).toEqual([
      expect.stringMatching(new RegExp(`\n${escaped(`Крышу залатали, как и у ${ERASED_MENTION}`)}$`, 'u')),
    ]);
  });

  it('stores nothing, and sends nothing, when the marks cannot be read', async () => {
    const id = await inquiryOf(7_741_702, 1, 'На Полевой 8 не вывозят мусор');
    await drainQueue(aws.sqs, aws.queues.answers.url);
    const stored = await repository.get(id);
    // The marks read from a table there is not: DynamoDB's own error, as on an outage.
    const unreadable = new DynamoErasedCitizens(documents, `${aws.tableName}-gone`, systemClock);
    const deps = { ...operatorApiDepsOn(aws, config).deps, erasedCitizens: unreadable };
    const admin = { id: 'sub-admin', name: 'Админ', admin: true, departments: [] };
    const gone = { name: 'ResourceNotFoundException' };
    const request = <B>(body: B, key: string): ApiRequest<B> => ({
      operator: admin,
      params: { id },
      query: {},
      body,
      idempotencyKey: key,
    });

    await expect(
      addNote(request({ text: 'Звонили [id7741701|соседу]' }, 'unread-note'), deps),
    ).rejects.toThrow();
    await expect(
      reply(request({ text: 'Мусор вывезут, как и у [id7741701|соседа]' }, 'unread-reply'), deps),
    ).rejects.toMatchObject(gone);
    expect(await repository.get(id)).toEqual(stored);
    expect(await toCitizen()).toEqual([]);
  });

  it('reads the community’s latest erasure once for the people a request’s words name, and each one’s mark', async () => {
    const erased = 7_741_801;
    await erase(erased, ago(10));
    const id = await inquiryOf(7_741_802, 1, 'На Луговой 6 прорвало трубу');
    const reads: string[] = [];
    const counted = {
      send: (command: GetCommand) => {
        reads.push(String(command.input.Key?.pk).split('#')[0] ?? '');
        return documents.send(command);
      },
    } as unknown as DynamoDBDocumentClient;
    const deps = {
      ...operatorApiDepsOn(aws, config).deps,
      erasedCitizens: new DynamoErasedCitizens(counted, aws.tableName, systemClock),
    };
    const request: ApiRequest<NoteBody> = {
      operator: { id: 'sub-admin', name: 'Админ', admin: true, departments: [] },
      params: { id },
      query: {},
      body: { text: 'Звонили [id7741801|Ивану], [id7741803|Петру] и @id7741804 (Олегу)' },
      idempotencyKey: 'counted-reads',
    };

    expect((await addNote(request, deps)).status).toBe(200);

    // The community's erasure once, then the mark of each of the three.
    expect(reads.sort()).toEqual(['ERASED', 'ERASED', 'ERASED', 'ERASURES']);
    expect(await wordsKept(id)).toEqual([
      `Звонили ${ERASED_MENTION}, [id7741803|Петру] и @id7741804 (Олегу)`,
    ]);
  });

  it('asks the marks nothing for words that mention no one, and once per person named in a request', async () => {
    const erased = 7_741_301;
    await erase(erased, ago(10));
    const id = await inquiryOf(7_741_302, 1, 'На Лесной 4 не работает лифт');
    const marks = countedMarks(documents, aws.tableName, systemClock);
    const deps = { ...operatorApiDepsOn(aws, config).deps, erasedCitizens: marks };
    const admin = { id: 'sub-admin', name: 'Админ', admin: true, departments: [] };
    let requests = 0;
    const made = async <B>(useCase: UseCase<B>, body: B) => {
      const request: ApiRequest<B> = {
        operator: admin,
        params: { id },
        query: {},
        body,
        idempotencyKey: `counted-${++requests}`,
      };
      expect((await useCase(request, deps)).status).toBe(200);
    };

    await made(addNote, { text: 'Позвонили в управляющую компанию, лифт починят' });
    expect(marks.asked).toEqual([]);
    // Named twice, in the words stored and in the message queued: one look-up.
    await made(reply, { text: 'Лифт починили, как и у [id7741301|Ивана] (vk.com/id7741301)', force: false });
    expect(marks.asked).toEqual([erased]);
  });
});

const escaped = (words: string) => words.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
