import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import localConfig from '../../config/local.json';
import { systemClock } from '../../lambdas/adapters/clock.js';
import { DynamoErasedCitizens } from '../../lambdas/adapters/erased-citizens.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import { MAX_PEOPLE_LOOKED_UP } from '../../lambdas/domain/inquiry/erased-citizen.js';
import type { ErasedCitizens } from '../../lambdas/domain/ports.js';
import { ERASED_MENTION } from '../../lambdas/domain/vk/mentions.js';
import { inquiryIdFor } from '../../lambdas/router/inquiry-ids.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { localDynamoClient } from '../../local/emulators.js';
import { eraseCitizen } from '../../ops/erase-citizen.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { citizenDirectMessage, countedMarks } from '../support/erased-citizens.js';
import { DEMO_GROUP_ID, fixture } from '../support/fixtures.js';
import { localOperatorApi, type OperatorApiCall } from '../support/operator-api.js';
import { handedOn } from '../support/router.js';

let aws: TestAws;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = parseAppConfig(localConfig, 'local');

let call: OperatorApiCall;
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

const unix = (at: Date) => Math.floor(at.getTime() / 1000);
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

const items = async () => (await documents.send(new ScanCommand({ TableName: aws.tableName }))).Items ?? [];
/** The items whose words still hold `words`. */
const holding = async (words: string) =>
  (await items())
    .filter((item) => JSON.stringify(item).includes(words))
    .map((item) => `${item.pk} ${item.entity}`);

const routerWith = (erasedCitizens?: ErasedCitizens) =>
  createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date() },
    inquiryIdFor: (groupId, eventKey) => `${groupId}-${eventKey}`,
    ...(erasedCitizens && { erasedCitizens }),
  });

/** A comment `id` of `fromId` under the community's post `post`, written or edited at `at`, routed. */
async function comment(
  type: 'wall_reply_new' | 'wall_reply_edit',
  post: number,
  id: number,
  fromId: number,
  text: string,
  at: Date,
  options: { thread?: number; router?: ReturnType<typeof routerWith> } = {},
) {
  const object = {
    id,
    from_id: fromId,
    date: unix(at),
    text,
    post_owner_id: -DEMO_GROUP_ID,
    post_id: post,
    ...(options.thread !== undefined && {
      parents_stack: [options.thread],
      reply_to_comment: options.thread,
    }),
  };
  const routed = handedOn(type, object, `e:${type}-${post}-${id}-${unix(at)}`, at);
  const router = options.router ?? routerWith();
  if (routed?.kind === 'citizen_message') return (await router.routeCitizenMessage(routed)).inquiryId;
  if (routed?.kind === 'message_changed') {
    const { inquiryId } = await router.applyMessageChange(routed);
    if (inquiryId === null) throw new Error('the edit found no inquiry');
    return inquiryId;
  }
  throw new Error(`${type} handed on nothing to route`);
}

const erase = (
  userId: number,
  options: { client?: DynamoDBDocumentClient; at?: Date; dryRun?: boolean } = {},
) =>
  eraseCitizen({
    client: options.client ?? documents,
    tableName: aws.tableName,
    config,
    groupId: DEMO_GROUP_ID,
    userId,
    includeOpen: true,
    dryRun: options.dryRun ?? false,
    clock: { now: () => options.at ?? new Date() },
  });

describe("mentions of an erased citizen in others' words, against dynalite", () => {
  it("replaces them in the other's inquiry, its history and its message's lookup, and leaves the rest", async () => {
    const erased = 7_731_559;
    const neighbour = 7_731_560;
    const namesake = 77_315_590;
    await comment('wall_reply_new', 6, 10, erased, 'Во дворе дома 5 по улице Мира не вывозят мусор', ago(60));
    // VK starts a reply to their comment with their id and name; the neighbour edits it after.
    const replied = await comment(
      'wall_reply_new',
      6,
      11,
      neighbour,
      '[id7731559|Иван Петров], у нас на Мира 7 тоже мусор не вывозят неделю',
      ago(50),
      { thread: 10 },
    );
    await comment(
      'wall_reply_edit',
      6,
      11,
      neighbour,
      '[id7731559|Иван Петров], у нас на Мира 7 тоже мусор не вывозят, и крысы',
      ago(50),
      { thread: 10 },
    );
    // Another's reply to someone whose id starts with the same digits stays as written.
    const kept = await comment(
      'wall_reply_new',
      7,
      20,
      neighbour + 1,
      '[id77315590|Пётр Сидоров], и на Ленина контейнеры полные',
      ago(40),
    );
    // Links to their page, to a dialogue with them, to their photo, albums and friends, a mention in capitals
    // (none holding `id7731559`), and a link to a dialogue with the namesake, a community's post and albums under
    // the same number and an e-mail's address, which stay.
    const linked = await comment(
      'wall_reply_new',
      6,
      12,
      neighbour + 2,
      'Его страница https://VK.com/ID7731559?w=wall7731559_3, пишите ему vk.com/write7731559 или @ID7731559 (Иван), а не vk.com/write77315590. ' +
        'Фото: vk.com/photo7731559_45, пост: vk.com/wall-7731559_8, почта: ivan@id7731559.ru. ' +
        'Альбомы: vk.com/albums7731559, друзья: https://vk.com/friends?id=7731559&section=all, а не vk.com/albums-7731559.',
      ago(45),
    );
    expect(await holding('Иван Петров')).toEqual(
      expect.arrayContaining([
        `INQ#${replied} inquiry`,
        `INQ#${replied} history`,
        expect.stringMatching(/^MSG#.* message$/),
      ]),
    );

    const before = await items();
    expect(await erase(erased, { dryRun: true })).toMatchObject({ deleted: 1, redacted: 7, kept: [] });
    expect(await items()).toEqual(before);
    // The reply's inquiry, its `message` and `message_changed` entries, and the comment's lookup; the linking
    // comment's inquiry, its `message` entry and its lookup.
    const run = await erase(erased);
    expect(run).toMatchObject({ deleted: 1, redacted: 7, kept: [] });

    expect(await holding('7731559|')).toEqual([]);
    expect(await holding('Иван Петров')).toEqual([]);
    const { inquiry, history } = (await repository.get(replied)) ?? {};
    expect(inquiry?.text).toBe(`${ERASED_MENTION}, у нас на Мира 7 тоже мусор не вывозят, и крысы`);
    expect(history?.find((entry) => entry.kind === 'message')?.detail.text).toBe(
      `${ERASED_MENTION}, у нас на Мира 7 тоже мусор не вывозят, и крысы`,
    );
    expect(history?.find((entry) => entry.kind === 'message_changed')?.detail).toMatchObject({
      text: `${ERASED_MENTION}, у нас на Мира 7 тоже мусор не вывозят, и крысы`,
      previousText: `${ERASED_MENTION}, у нас на Мира 7 тоже мусор не вывозят неделю`,
    });
    const linkedWords =
      `Его страница ${ERASED_MENTION}, пишите ему ${ERASED_MENTION} или ${ERASED_MENTION}, а не vk.com/write77315590. ` +
      `Фото: ${ERASED_MENTION}, пост: vk.com/wall-7731559_8, почта: ivan@id7731559.ru. ` +
      `Альбомы: ${ERASED_MENTION}, друзья: ${ERASED_MENTION}, а не vk.com/albums-7731559.`;
    expect((await repository.getInquiry(linked))?.text).toBe(linkedWords);
    expect(
      (await repository.get(linked))?.history.find((entry) => entry.kind === 'message')?.detail.text,
    ).toBe(linkedWords);
    expect(await holding('ID7731559')).toEqual([]);
    expect(await holding('write7731559,')).toEqual([]);
    expect(await holding('photo7731559')).toEqual([]);
    expect(await holding('albums7731559')).toEqual([]);
    expect(await holding('id=7731559')).toEqual([]);
    expect(await holding('7731559 (')).toEqual([]);
    expect((await repository.getInquiry(kept))?.text).toBe(
      '[id77315590|Пётр Сидоров], и на Ленина контейнеры полные',
    );
    expect(namesake).toBe(77_315_590);

    // Nothing is left for a second run.
    expect(await erase(erased)).toMatchObject({ redacted: 0, kept: [] });
  });

  it("replaces them in operators' own words: a note, the reason of a close, an answer", async () => {
    const erased = 7_731_801;
    const neighbour = 7_731_802;
    await comment('wall_reply_new', 10, 50, erased, 'Во дворе дома 9 по улице Мира не горит фонарь', ago(60));
    // Ids as the router makes them, which the operator API's paths take.
    const router = createMessageRouter({ config, inquiries: repository, clock: systemClock, inquiryIdFor });
    const id = await comment('wall_reply_new', 11, 60, neighbour, 'На Мира 11 не горит фонарь', ago(50), {
      router,
    });
    const change = async (action: string, body: unknown) => {
      const changed = await call('POST', `/api/v1/inquiries/${id}/${action}`, ADMIN, body, {
        'idempotency-key': `${action}-${id}`,
      });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    };
    // What operators type of a neighbour who complained too, in the forms the console's users paste or type.
    await change('note', { text: 'Сосед [id7731801|Иван] тоже жаловался, звонили ему' });
    await change('reply', { text: 'Фонарь заменили, как и у @id7731801 (Иван) на Мира 9' });
    await change('close', { reason: 'Заменили оба фонаря, см. https://vk.com/id7731801' });
    // A note of someone whose id starts with the same digits is another's, and stays as typed.
    const namesake = 'Звонили и [id77318010|Пётр], у него тоже темно';
    await change('note', { text: namesake });
    const entries = async () => (await repository.get(id))?.history ?? [];
    expect(await holding('id7731801|')).toEqual(expect.arrayContaining([`INQ#${id} history`]));

    const before = await items();
    // The erased citizen's own inquiry goes; the note, the answer's entry and the close's entry are redacted.
    expect(await erase(erased, { dryRun: true })).toMatchObject({ deleted: 1, redacted: 3, kept: [] });
    expect(await items()).toEqual(before);
    expect(await erase(erased)).toMatchObject({ deleted: 1, redacted: 3, kept: [] });

    const history = await entries();
    expect(history.filter((entry) => entry.kind === 'note').map((entry) => entry.reason)).toEqual([
      `Сосед ${ERASED_MENTION} тоже жаловался, звонили ему`,
      namesake,
    ]);
    expect(history.find((entry) => entry.kind === 'reply')?.detail.text).toBe(
      `Фонарь заменили, как и у ${ERASED_MENTION} на Мира 9`,
    );
    expect(history.find((entry) => entry.kind === 'status' && entry.to === 'closed')?.reason).toBe(
      `Заменили оба фонаря, см. ${ERASED_MENTION}`,
    );
    expect(await holding('id7731801|')).toEqual([]);
    expect(await holding('id7731801 (')).toEqual([]);
    expect(await holding('vk.com/id7731801')).toEqual([]);
    expect(await holding('id77318010|')).toEqual([`INQ#${id} history`]);

    // Nothing is left for a second run, which changes nothing of the inquiry.
    const after = await items();
    expect(await erase(erased)).toMatchObject({ deleted: 0, redacted: 0, kept: [] });
    expect((await items()).filter((item) => item.pk === `INQ#${id}`)).toEqual(
      after.filter((item) => item.pk === `INQ#${id}`),
    );
  });

  it('keeps an edit stored between the redaction’s read of a lookup and its write', async () => {
    const erased = 7_731_601;
    const neighbour = 7_731_602;
    const inquiryId = await comment(
      'wall_reply_new',
      8,
      30,
      neighbour,
      '[id7731601|Анна Смирнова], подтверждаю, фонарь не горит',
      ago(30),
    );
    const base = localDynamoClient(aws.emulators.dynamoEndpoint);
    let edited = false;
    // The router that stores the edit reads the erasure's mark, written before any redaction.
    const router = routerWith(new DynamoErasedCitizens(documents, aws.tableName, { now: () => new Date() }));
    base.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: { pk?: { S?: string } } };
        if (!edited && context.commandName === 'UpdateItemCommand' && input.Key?.pk?.S?.startsWith('MSG#')) {
          edited = true;
          await comment(
            'wall_reply_edit',
            8,
            30,
            neighbour,
            '[id7731601|Анна Смирнова], подтверждаю, фонарь не горит третью ночь',
            ago(30),
            { router },
          );
        }
        return next(args);
      },
      { step: 'build' },
    );
    const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    const run = await erase(erased, { client });
    expect(edited).toBe(true);
    expect(run.kept).toEqual([]);
    expect(await holding('Анна Смирнова')).toEqual([]);
    const lookup = (await items()).find((item) => item.entity === 'message' && item.inquiryId === inquiryId);
    expect(lookup?.text).toBe(`${ERASED_MENTION}, подтверждаю, фонарь не горит третью ночь`);
    expect((await repository.getInquiry(inquiryId))?.text).toBe(
      `${ERASED_MENTION}, подтверждаю, фонарь не горит третью ночь`,
    );
  });

  it('stores a reply written after the erasure without the mention, and asks the marks nothing without one', async () => {
    const erased = 7_731_701;
    const neighbour = 7_731_702;
    await erase(erased, { at: ago(10) });
    const marks = countedMarks(documents, aws.tableName, { now: () => new Date() });
    const router = routerWith(marks);
    const id = await comment(
      'wall_reply_new',
      9,
      40,
      neighbour,
      '[id7731701|Ольга Иванова], да, и у нас @id7731701 (Оля) права, яма на Садовой',
      ago(1),
      { thread: 39, router },
    );
    expect((await repository.getInquiry(id))?.text).toBe(
      `${ERASED_MENTION}, да, и у нас ${ERASED_MENTION} права, яма на Садовой`,
    );
    // An edit written after it too.
    await comment(
      'wall_reply_edit',
      9,
      40,
      neighbour,
      '[id7731701|Ольга Иванова], яма на Садовой 3, фото у неё: https://m.vk.com/id7731701',
      ago(1),
      {
        thread: 39,
        router,
      },
    );
    expect(await holding('Ольга Иванова')).toEqual([]);
    expect((await repository.getInquiry(id))?.text).toBe(
      `${ERASED_MENTION}, яма на Садовой 3, фото у неё: ${ERASED_MENTION}`,
    );
    expect(marks.asked).toEqual([erased, erased]);

    marks.asked.length = 0;
    await comment('wall_reply_new', 9, 41, neighbour + 1, 'Яма на Садовой 5 тоже', ago(1), { router });
    expect(marks.asked).toEqual([]);
  });

  it('replaces every mention in a comment naming more people than are looked up one by one', async () => {
    const erased = 7_731_801;
    const neighbour = 7_731_802;
    // Ten neighbours and the erased citizen: one more than the marks are looked up for one by one.
    const named = [erased, ...Array.from({ length: MAX_PEOPLE_LOOKED_UP }, (_, index) => 7_731_810 + index)];
    await erase(erased, { at: ago(10) });
    const router = routerWith(new DynamoErasedCitizens(documents, aws.tableName, systemClock));
    const many = await comment(
      'wall_reply_new',
      12,
      60,
      neighbour,
      `Соседи ${named.map((person) => `@id${person}`).join(', ')}: в подвале вода`,
      ago(1),
      { router },
    );
    expect((await repository.getInquiry(many))?.text).toBe(
      `Соседи ${named.map(() => ERASED_MENTION).join(', ')}: в подвале вода`,
    );
    // As many as are looked up: each is, and only the erased citizen's mention is replaced.
    const few = await comment(
      'wall_reply_new',
      12,
      61,
      neighbour + 100,
      `Соседи ${named
        .slice(0, MAX_PEOPLE_LOOKED_UP)
        .map((person) => `@id${person}`)
        .join(', ')}: вода`,
      ago(1),
      { router },
    );
    expect((await repository.getInquiry(few))?.text).toBe(
      `Соседи ${[ERASED_MENTION, ...named.slice(1, MAX_PEOPLE_LOOKED_UP).map((person) => `@id${person}`)].join(', ')}: вода`,
    );
  });

  it("stores an operator's reply typed in VK after the erasure without the mention, as a citizen's words", async () => {
    const erased = 7_731_901;
    const neighbour = 7_731_902;
    await erase(erased, { at: ago(10) });
    const marks = countedMarks(documents, aws.tableName, { now: () => new Date() });
    const router = routerWith(marks);
    const written = ago(5);
    const { inquiryId } = await router.routeCitizenMessage(
      citizenDirectMessage({
        citizen: neighbour,
        cmid: 1,
        vkId: neighbour * 100 + 1,
        at: written,
        text: 'На Мира 9 не горит фонарь, как и у соседа',
        eventKey: `e:mentions-dm-${neighbour}-1`,
      }),
    );
    if (inquiryId === null) throw new Error('the message opened no inquiry');
    // An admin answers in VK's own interface, naming the neighbour the citizen wrote of.
    const recorded = fixture('vknet/MessageReplyTest.json') as { type: string; object: object };
    const object = {
      ...recorded.object,
      peer_id: neighbour,
      admin_author_id: 42,
      id: neighbour * 100 + 2,
      conversation_message_id: 2,
      date: unix(ago(1)),
      text: 'Фонарь заменим завтра, и у [id7731901|Ивана Петрова] тоже',
    };
    const reply = handedOn(recorded.type, object, `e:mentions-reply-${neighbour}-2`, ago(1));
    if (reply?.kind !== 'operator_reply_in_vk') throw new Error('the reply hands on no operator reply');
    expect(await router.recordOperatorReply(reply)).toMatchObject({ inquiryId, outcome: 'recorded' });

    const entry = (await repository.get(inquiryId))?.history.find((item) => item.kind === 'reply');
    expect(entry?.detail.text).toBe(`Фонарь заменим завтра, и у ${ERASED_MENTION} тоже`);
    expect(await holding('Ивана Петрова')).toEqual([]);
    expect(marks.asked).toContain(erased);
  });
});
