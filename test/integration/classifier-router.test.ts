import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import type { ReceivedVkEvent } from '../../lambdas/domain/vk/envelope.js';
import { CLASSIFIER } from '../../lib/resources.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID, fixture, receivedMessageNew } from '../support/fixtures.js';
import { localOperatorApi, type OperatorApiCall } from '../support/operator-api.js';
import { sqsEvent } from '../support/sqs-events.js';

type Consumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let aws: TestAws;
let classifier: Consumer;
let router: Consumer;
let inquiries: DynamoInquiryRepository;
let operatorApi: OperatorApiCall;
const context = {
  functionName: 'test',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as Context;

const received = (eventKey: string, text: string): ReceivedVkEvent =>
  receivedMessageNew(eventKey, { text }) as ReceivedVkEvent;

beforeAll(async () => {
  aws = await startTestAws();
  classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as Consumer;
  router = (await import('../../lambdas/router/handler.js')).handler as unknown as Consumer;
  inquiries = new DynamoInquiryRepository(DynamoDBDocumentClient.from(aws.dynamo), aws.tableName);
  operatorApi = await localOperatorApi();
});
afterAll(() => aws?.stop());

describe('classifier handler, against fauxqs', () => {
  it('sends each citizen message, classified, to the routing queue, and skips events without one', async () => {
    const join = {
      ...received('e:join', ''),
      type: 'group_join',
      event: { type: 'group_join', group_id: DEMO_GROUP_ID, object: { user_id: 1 } },
    };
    const response = await classifier(
      sqsEvent([received('e:1', 'На дороге огромная яма, объехать невозможно'), join]),
      context,
    );
    expect(response.batchItemFailures).toEqual([]);
    const routed = (await drainQueue(aws.sqs, aws.queues.routing.url)).map(
      (body) => JSON.parse(body) as ClassifiedMessage,
    );
    expect(routed).toHaveLength(1);
    expect(routed[0]?.eventKey).toBe('e:1');
    expect(routed[0]?.message.channel).toBe('direct_message');
    expect(routed[0]?.classification).toMatchObject({
      category: expect.any(String),
      priority: expect.any(String),
      inquiry: true,
    });
  });

  it('reports only the malformed record as failed, so that SQS retries it alone', async () => {
    const response = await classifier(
      sqsEvent([received('e:2', 'Не вывозят мусор'), '{"not":"an event"}']),
      context,
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'message-1' }]);
    expect(await drainQueue(aws.sqs, aws.queues.routing.url)).toHaveLength(1);
  });
});

describe('classifier handler, running out of time', () => {
  it('begins no record with too little of the invocation left: it reports the rest, which it hands on once when SQS delivers them again', async () => {
    const keys = ['e:late-1', 'e:late-2', 'e:late-3', 'e:late-4'];
    const events = keys.map((key, i) => received(key, `Во дворе дома ${i + 1} третий день не вывозят мусор`));
    // Two records begun with time to spare, then too little left.
    let asked = 0;
    const runningOut = {
      ...context,
      getRemainingTimeInMillis: () => (++asked <= 2 ? 30_000 : CLASSIFIER.recordReserveMs - 1),
    } as Context;
    const first = await classifier(sqsEvent(events, 'late'), runningOut);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'late-2' }, { itemIdentifier: 'late-3' }]);
    const routedKeys = async () =>
      (await drainQueue(aws.sqs, aws.queues.routing.url)).map(
        (body) => (JSON.parse(body) as ClassifiedMessage).eventKey,
      );
    expect((await routedKeys()).sort()).toEqual(['e:late-1', 'e:late-2']);

    // SQS delivers the two left again, and may deliver the whole batch: what was handed on is not again.
    const again = await classifier(sqsEvent(events, 'again'), context);
    expect(again.batchItemFailures).toEqual([]);
    expect((await routedKeys()).sort()).toEqual(['e:late-3', 'e:late-4']);
  });
});

describe('classifier and router, against fauxqs and dynalite', () => {
  /** A comment under the community's post, as VK sends it when written and when edited. */
  const comment = (
    eventKey: string,
    type: 'wall_reply_new' | 'wall_reply_edit',
    text: string,
    at: string,
    more: { id?: number; post_id?: number; attachments?: unknown[] } = {},
  ) => ({
    eventKey,
    groupId: DEMO_GROUP_ID,
    type,
    receivedAt: at,
    event: {
      type,
      group_id: DEMO_GROUP_ID,
      object: {
        id: 77,
        from_id: 321,
        date: 1772431200,
        text,
        post_owner_id: -DEMO_GROUP_ID,
        post_id: 6,
        ...more,
      },
    },
  });
  const handOn = async (event: ReceivedVkEvent) => {
    expect((await classifier(sqsEvent([event]), context)).batchItemFailures).toEqual([]);
    const bodies = await drainQueue(aws.sqs, aws.queues.routing.url);
    expect((await router(sqsEvent(bodies), context)).batchItemFailures).toEqual([]);
  };

  it('routes a comment taken for no inquiry once the citizen edits it into one, and acknowledges it', async () => {
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    await handOn(comment('e:greeting', 'wall_reply_new', 'Добрый день!', '2026-03-03T06:00:00.000Z'));
    const rejected = (await inquiries.listAll()).find((one) => one.sourceEventKey === 'e:greeting');
    // Listed under triage for review, with no clock: an edit into an inquiry still routes it.
    expect(rejected).toMatchObject({ status: 'rejected', department: 'triage', clockCount: 0 });
    expect(rejected?.clock).toBeUndefined();

    const edited = 'Добрый день! У нас в доме прорвало трубу, заливает подвал';
    await handOn(comment('e:greeting-edit', 'wall_reply_edit', edited, '2026-03-03T06:30:00.000Z'));
    const routed = await inquiries.get(rejected?.id as string);
    // `critical`: 1 working hour from the edit, Tue 3 March 11:30 Perm: 12:30 local.
    expect(routed?.inquiry).toMatchObject({
      status: 'routed',
      text: edited,
      category: 'housing',
      priority: 'critical',
      department: 'housing',
      firstResponseDueAt: '2026-03-03T07:30:00.000Z',
      clock: { kind: 'first_response', cycle: 1 },
    });
    // Critical, and routed (by the system's clock) long after that hour: escalated as it is routed, told to
    // its department on the escalator's next run.
    expect(routed?.inquiry.pendingNotification).toMatchObject({ kind: 'critical', department: 'housing' });
    expect(routed?.history.map((entry) => entry.kind)).toEqual([
      'message',
      'classified',
      'rejected',
      'message_changed',
      'classified',
      'routed',
      'escalated',
    ]);
    const acknowledgements = (await drainQueue(aws.sqs, aws.queues.outbox.url)).filter((body) =>
      body.includes(rejected?.id as string),
    );
    expect(acknowledgements).toHaveLength(1);
  });

  it('keeps the photo an edit adds, and routes a greeting edited to add only a photo, for triage', async () => {
    const photoUrl = 'https://sun9-1.userapi.com/impg/pothole.jpg';
    const photo = {
      type: 'photo',
      photo: { id: 457239017, owner_id: 321, sizes: [{ type: 'x', url: photoUrl, width: 604, height: 453 }] },
    };
    // Each under a post of its own: the citizen's comments under one post are one conversation.
    await handOn(
      comment('e:photo-below', 'wall_reply_new', 'фото ниже', '2026-03-03T06:00:00.000Z', {
        id: 78,
        post_id: 8,
      }),
    );
    await handOn(
      comment('e:photo-below-edit', 'wall_reply_edit', 'фото ниже', '2026-03-03T06:10:00.000Z', {
        id: 78,
        post_id: 8,
        attachments: [photo],
      }),
    );
    const opened = (await inquiries.listAll()).find((one) => one.sourceEventKey === 'e:photo-below');
    const { status, body } = await operatorApi(
      'GET',
      `/api/v1/inquiries/${opened?.id}`,
      'local-admin-token-change-me',
    );
    expect(status).toBe(200);
    const changed = body.history.find((entry: { kind: string }) => entry.kind === 'message_changed');
    expect(changed.detail).toMatchObject({
      change: 'edited',
      attachments: [{ kind: 'photo', count: 1, links: [photoUrl] }],
    });

    await handOn(
      comment('e:hello', 'wall_reply_new', 'Добрый день!', '2026-03-03T06:00:00.000Z', {
        id: 79,
        post_id: 7,
      }),
    );
    const rejected = (await inquiries.listAll()).find((one) => one.sourceEventKey === 'e:hello');
    expect(rejected).toMatchObject({ status: 'rejected' });
    await handOn(
      comment('e:hello-edit', 'wall_reply_edit', '', '2026-03-03T06:20:00.000Z', {
        id: 79,
        post_id: 7,
        attachments: [photo],
      }),
    );
    expect((await inquiries.get(rejected?.id as string))?.inquiry).toMatchObject({
      status: 'routed',
      triage: true,
      department: 'triage',
      clock: { kind: 'first_response', cycle: 1 },
    });
  });

  it('routes a suggested post like a post on an open wall, but does not acknowledge it by a comment', async () => {
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    /** A citizen's post on the community's wall: published (an open wall), or suggested, awaiting the admins. */
    const post = (eventKey: string, id: number, postType: 'post' | 'suggest') => ({
      eventKey,
      groupId: DEMO_GROUP_ID,
      type: 'wall_post_new',
      receivedAt: '2026-03-03T06:00:00.000Z',
      event: {
        type: 'wall_post_new',
        group_id: DEMO_GROUP_ID,
        object: {
          id,
          owner_id: -DEMO_GROUP_ID,
          from_id: 654,
          date: 1772431200,
          post_type: postType,
          text: 'У нас в доме прорвало трубу, заливает подвал',
        },
      },
    });
    await handOn(post('e:open-wall-post', 41, 'post'));
    await handOn(post('e:suggested-post', 42, 'suggest'));
    const all = await inquiries.listAll();
    const open = all.find((one) => one.sourceEventKey === 'e:open-wall-post');
    const suggested = all.find((one) => one.sourceEventKey === 'e:suggested-post');
    for (const inquiry of [open, suggested]) expect(inquiry).toMatchObject({ status: 'routed' });
    expect(suggested?.replyTo).toEqual({
      channel: 'wall_post',
      ownerId: -DEMO_GROUP_ID,
      postId: 42,
      suggested: true,
    });
    // Only the published post is commented on: the suggested one is left to the operator who publishes it.
    const outbox = (await drainQueue(aws.sqs, aws.queues.outbox.url)).map(
      (body) => JSON.parse(body) as { inquiryId: string; purpose: string },
    );
    expect(outbox.map((message) => [message.inquiryId, message.purpose])).toEqual([
      [open?.id, 'acknowledgement'],
    ]);
  });
});

describe('words a citizen passes on, from the VK event to the operator API', () => {
  const ADMIN = 'local-admin-token-change-me';
  /** A direct message as VK sends it, with what it forwards and quotes. */
  const passingOn = (eventKey: string, peerId: number, fields: Record<string, unknown>): ReceivedVkEvent => {
    const body = fixture('03_message_new__vknet.json') as { object: { message: Record<string, unknown> } };
    const message = { ...body.object.message, peer_id: peerId, from_id: peerId, text: '', ...fields };
    return {
      eventKey,
      groupId: DEMO_GROUP_ID,
      type: 'message_new',
      receivedAt: '2026-03-02T06:00:00.000Z',
      event: { type: 'message_new', group_id: DEMO_GROUP_ID, object: { message, client_info: {} } },
    };
  };
  const forwarded = (fromId: number, text: string, more: Record<string, unknown> = {}) => ({
    date: 1772420000,
    from_id: fromId,
    text,
    attachments: [],
    ...more,
  });
  const routedFrom = async (event: ReceivedVkEvent) => {
    expect((await classifier(sqsEvent([event]), context)).batchItemFailures).toEqual([]);
    const bodies = await drainQueue(aws.sqs, aws.queues.routing.url);
    expect((await router(sqsEvent(bodies), context)).batchItemFailures).toEqual([]);
    const opened = (await inquiries.listAll()).find((one) => one.sourceEventKey === event.eventKey);
    expect(opened).toBeDefined();
    return operatorApi('GET', `/api/v1/inquiries/${opened?.id}`, ADMIN);
  };

  it('shows operators the forwarded messages, nested ones, the quoted reply and who wrote each', async () => {
    const words = 'Во дворе дома 12 по ул. Ленина третий день не вывозят мусор, контейнеры переполнены';
    const { status, body } = await routedFrom(
      passingOn('e:forwarded-only', 7000001, {
        reply_message: forwarded(-DEMO_GROUP_ID, 'Опишите, пожалуйста, проблему'),
        fwd_messages: [forwarded(7000099, words, { fwd_messages: [forwarded(7000098, 'Фото у подъезда')] })],
        is_cropped: true,
      }),
    );
    expect(status).toBe(200);
    const quoted = [
      { kind: 'reply', depth: 1, authorId: -DEMO_GROUP_ID, text: 'Опишите, пожалуйста, проблему' },
      { kind: 'forwarded', depth: 1, authorId: 7000099, text: words },
      { kind: 'forwarded', depth: 2, authorId: 7000098, text: 'Фото у подъезда' },
    ].map((one) => ({ ...one, sentAt: '2026-03-02T02:53:20.000Z' }));
    expect(body.inquiry).toMatchObject({ text: '', quoted, cropped: true });
    const message = body.history.find((entry: { kind: string }) => entry.kind === 'message');
    expect(message.detail).toMatchObject({ text: '', quoted, cropped: true });
    const list = await operatorApi('GET', '/api/v1/inquiries?limit=100', ADMIN);
    expect(list.body.items.find((item: { id: string }) => item.id === body.inquiry.id)).toMatchObject({
      quoted,
    });
  });

  it('gives a forwarded danger its priority and department, and a repost the same', async () => {
    const { body } = await routedFrom(
      passingOn('e:forwarded-gas', 7000002, {
        fwd_messages: [forwarded(7000097, 'В подъезде дома 3 сильно пахнет газом')],
      }),
    );
    const danger = { priority: 'critical', category: 'housing', department: 'housing', triage: false };
    expect(body.inquiry).toMatchObject(danger);

    const repost = await routedFrom({
      eventKey: 'e:reposted-gas',
      groupId: DEMO_GROUP_ID,
      type: 'wall_post_new',
      receivedAt: '2026-03-02T06:00:00.000Z',
      event: {
        type: 'wall_post_new',
        group_id: DEMO_GROUP_ID,
        object: {
          id: 4301,
          owner_id: -DEMO_GROUP_ID,
          from_id: 7000003,
          date: 1772431200,
          text: '',
          post_type: 'post',
          copy_history: [
            { id: 9, owner_id: 7000004, from_id: 7000004, date: 1772420000, text: 'На Мира, 5 пахнет газом' },
          ],
        },
      },
    });
    expect(repost.body.inquiry).toMatchObject({
      ...danger,
      quoted: [expect.objectContaining({ kind: 'repost', link: 'https://vk.com/wall7000004_9' })],
    });
  });

  it('classifies and routes a voice message on what VK heard in it, and shows operators the transcript', async () => {
    const words = 'В подъезде дома пять по улице Ленина сильно пахнет газом';
    /** A voice message as VK sends it once its speech recognition is done (vknet/vk#1017). */
    const voice = (transcript: string, state: string) => ({
      type: 'audio_message',
      audio_message: {
        id: 456239017,
        owner_id: 7000005,
        duration: 6,
        waveform: [0, 3, 12, 25, 9, 1],
        link_ogg: 'https://psv4.userapi.com/c205420/u7000005/audiomsg/d12/794c8440a8.ogg',
        link_mp3: 'https://psv4.userapi.com/c205420/u7000005/audiomsg/d12/794c8440a8.mp3',
        access_key: 'd11e675f1ef73c0375',
        transcript,
        transcript_state: state,
      },
    });
    const { body } = await routedFrom(
      passingOn('e:voice-gas', 7000005, { attachments: [voice(words, 'done')] }),
    );
    expect(body.inquiry).toMatchObject({ priority: 'critical', category: 'housing', triage: false });
    const message = body.history.find((entry: { kind: string }) => entry.kind === 'message');
    expect(message.detail.attachments).toEqual([
      {
        kind: 'audio_message',
        count: 1,
        links: ['https://psv4.userapi.com/c205420/u7000005/audiomsg/d12/794c8440a8.mp3'],
        transcripts: [words],
      },
    ]);

    // Forwarded, it is as urgent; one still being recognised is something to listen to, in triage.
    const passed = await routedFrom(
      passingOn('e:voice-forwarded', 7000006, {
        fwd_messages: [forwarded(7000005, '', { attachments: [voice(words, 'done')] })],
      }),
    );
    expect(passed.body.inquiry).toMatchObject({ priority: 'critical', category: 'housing' });
    const pending = await routedFrom(
      passingOn('e:voice-pending', 7000007, { attachments: [voice('', 'in_progress')] }),
    );
    expect(pending.body.inquiry).toMatchObject({ status: 'routed', triage: true, department: 'triage' });
  });

  it('shows in the lists what a voice-only or photo-only inquiry is about, as its opening message does', async () => {
    const words = 'Во дворе дома 7 по улице Мира прорвало трубу, течёт кипяток';
    const voice = {
      type: 'audio_message',
      audio_message: {
        id: 456239018,
        owner_id: 7000008,
        duration: 5,
        link_mp3: 'https://psv4.userapi.com/c205420/u7000008/audiomsg/d12/a1b2c3d4e5.mp3',
        transcript: words,
        transcript_state: 'done',
      },
    };
    // A photo object as VK sends it (vknet's recorded message_new with a template carries one).
    const template = fixture('vknet/MessageNewTemplateTest.json') as {
      object: { message: { template: { elements: { photo: Record<string, unknown> }[] } } };
    };
    const photo = { type: 'photo', photo: template.object.message.template.elements[0]?.photo };
    for (const [eventKey, peerId, attachment] of [
      ['e:voice-only', 7000008, voice],
      ['e:photo-only', 7000009, photo],
    ] as const) {
      const { body } = await routedFrom(passingOn(eventKey, peerId, { attachments: [attachment] }));
      const opening = body.history.find((entry: { kind: string }) => entry.kind === 'message');
      expect(opening.detail.attachments).toEqual([
        expect.objectContaining({ kind: attachment.type, count: 1 }),
      ]);
      const listed = await operatorApi(
        'GET',
        `/api/v1/inquiries?author=${peerId}&community=${DEMO_GROUP_ID}`,
        ADMIN,
      );
      expect(listed.body.items).toHaveLength(1);
      // No words typed: what the console shows instead is in the list, as the opening message has it.
      expect(listed.body.items[0]).toMatchObject({ text: '', attachments: opening.detail.attachments });
      expect(body.inquiry.attachments).toEqual(opening.detail.attachments);
    }
  });
});

describe('where the citizen is, from the VK event to the operator API', () => {
  const ADMIN = 'local-admin-token-change-me';
  const routedFrom = async (event: ReceivedVkEvent) => {
    expect((await classifier(sqsEvent([event]), context)).batchItemFailures).toEqual([]);
    const bodies = await drainQueue(aws.sqs, aws.queues.routing.url);
    expect((await router(sqsEvent(bodies), context)).batchItemFailures).toEqual([]);
    const opened = (await inquiries.listAll()).find((one) => one.sourceEventKey === event.eventKey);
    expect(opened).toBeDefined();
    return operatorApi('GET', `/api/v1/inquiries/${opened?.id}`, ADMIN);
  };

  it('shows the place a citizen shared, with a map link, and a link to the dialogue in VK', async () => {
    const body = fixture('03_message_new__vknet.json') as { object: { message: Record<string, unknown> } };
    const geo = {
      type: 'point',
      coordinates: { latitude: 58.0105, longitude: 56.2502 },
      place: { title: 'Пермь, ул. Ленина, 12', city: 'Пермь', country: 'Россия' },
    };
    const message = { ...body.object.message, peer_id: 7000010, from_id: 7000010, text: '', geo };
    const { status, body: found } = await routedFrom({
      eventKey: 'e:location-only',
      groupId: DEMO_GROUP_ID,
      type: 'message_new',
      receivedAt: '2026-03-02T06:00:00.000Z',
      event: { type: 'message_new', group_id: DEMO_GROUP_ID, object: { message, client_info: {} } },
    });
    expect(status).toBe(200);
    const location = {
      latitude: 58.0105,
      longitude: 56.2502,
      title: 'Пермь, ул. Ленина, 12',
      city: 'Пермь',
      country: 'Россия',
      mapUrl: 'https://yandex.ru/maps/?pt=56.2502,58.0105&z=17&l=map',
    };
    // Wordless, so a person looks, in triage: now with the place to look at.
    expect(found.inquiry).toMatchObject({
      text: '',
      triage: true,
      department: 'triage',
      location,
      vkUrl: `https://vk.com/gim${DEMO_GROUP_ID}?sel=7000010`,
    });
    const entry = found.history.find((one: { kind: string }) => one.kind === 'message');
    expect(entry.detail).toMatchObject({ location, attachments: [{ kind: 'geo', count: 1 }] });
    const list = await operatorApi('GET', '/api/v1/inquiries?limit=100', ADMIN);
    expect(list.body.items.find((item: { id: string }) => item.id === found.inquiry.id)).toMatchObject({
      location,
      vkUrl: `https://vk.com/gim${DEMO_GROUP_ID}?sel=7000010`,
    });
  });

  it('links a wall comment in a thread to its place in the thread', async () => {
    const { body } = await routedFrom({
      eventKey: 'e:comment-in-thread',
      groupId: DEMO_GROUP_ID,
      type: 'wall_reply_new',
      receivedAt: '2026-03-02T06:00:00.000Z',
      event: {
        type: 'wall_reply_new',
        group_id: DEMO_GROUP_ID,
        object: {
          id: 78,
          from_id: 7000011,
          date: 1772431200,
          text: 'Во дворе третий день не вывозят мусор',
          post_id: 41,
          owner_id: -DEMO_GROUP_ID,
          parents_stack: [77],
        },
      },
    });
    expect(body.inquiry.vkUrl).toBe(`https://vk.com/wall-${DEMO_GROUP_ID}_41?reply=78&thread=77`);
  });
});

describe('router handler, against dynalite', () => {
  const classified = (eventKey: string): ClassifiedMessage => ({
    kind: 'citizen_message',
    eventKey,
    receivedAt: '2026-03-02T06:00:00.000Z',
    message: {
      groupId: DEMO_GROUP_ID,
      channel: 'direct_message',
      replyTo: { channel: 'direct_message', peerId: 42 },
      messageRef: `dm:42:${eventKey}`,
      // A conversation of its own per test: a second message in one dialogue would join the first inquiry.
      conversationKey: `dm:42:${eventKey}`,
      authorId: 42,
      text: 'Во дворе третий день не вывозят мусор',
      attachments: [],
      sentAt: '2026-03-02T05:59:00.000Z',
    },
    classification: {
      category: 'waste',
      priority: 'high',
      confidence: 0.9,
      inquiry: true,
      triage: false,
      model: 'test',
    },
  });

  it('creates the inquiry with its department, deadline and history', async () => {
    const response = await router(sqsEvent([classified('e:route-1')]), context);
    expect(response.batchItemFailures).toEqual([]);
    const all = await inquiries.listAll();
    const inquiry = all.find((candidate) => candidate.sourceEventKey === 'e:route-1');
    expect(inquiry).toMatchObject({
      status: 'routed',
      category: 'waste',
      priority: 'high',
      department: 'housing',
    });
    const sla = JSON.parse(readFileSync('config/local.json', 'utf8')).sla.defaults.high.firstResponseHours;
    expect(sla).toBe(4);
    // Monday 2 March 2026, 11:00 in Perm (UTC+5): 4 working hours, with the lunch hour 13-14, end at 16:00.
    expect(inquiry?.firstResponseDueAt).toBe('2026-03-02T11:00:00.000Z');
    const found = await inquiries.get(inquiry?.id as string);
    expect(found?.history.map((entry) => entry.kind)).toEqual(['message', 'classified', 'routed']);
  });

  it('is safe to run twice on the same message: still one inquiry, its history unchanged', async () => {
    await router(sqsEvent([classified('e:route-2')]), context);
    const first = (await inquiries.listAll()).find((candidate) => candidate.sourceEventKey === 'e:route-2');
    await router(sqsEvent([classified('e:route-2'), classified('e:route-2')]), context);
    const matching = (await inquiries.listAll()).filter(
      (candidate) => candidate.sourceEventKey === 'e:route-2',
    );
    expect(matching).toHaveLength(1);
    expect(matching[0]).toEqual(first);
    expect((await inquiries.get(first?.id as string))?.history).toHaveLength(3);
  });

  // An older release's message, or one edited by hand before a replay: a person reads it in triage, rather than
  // the router failing it over every attempt into the dead-letter queue, and failing it again when replayed.
  it.each<[string, string, (message: ClassifiedMessage) => unknown]>([
    ['without a classification', 'none', ({ classification: _, ...rest }) => rest],
    [
      'with a classification this release cannot read',
      'category',
      (message) => ({ ...message, classification: { ...message.classification, category: 'дороги' } }),
    ],
    [
      'with a confidence that is no number',
      'confidence',
      (message) => ({ ...message, classification: { ...message.classification, confidence: null } }),
    ],
  ])('sends a citizen message %s to triage', async (_, fault, change) => {
    const key = `e:unclassified-${fault}`;
    // Words that name no danger and no shortened-deadline theme: the rules leave it `normal`.
    const base = classified(key);
    const plain = {
      ...base,
      message: { ...base.message, text: 'Когда отремонтируют дорогу на улице Мира?' },
    };
    const response = await router(sqsEvent([change(plain)]), context);
    expect(response.batchItemFailures).toEqual([]);
    const inquiry = (await inquiries.listAll()).find((candidate) => candidate.sourceEventKey === key);
    // The community's triage department (config/local.json), with no rule's department guessed from a category.
    expect(inquiry).toMatchObject({
      status: 'routed',
      department: 'triage',
      triage: true,
      confidence: 0,
      priority: 'normal',
    });
  });

  // The classifier's danger rules are rules, not the model: the router applies them to such a message's words,
  // so that a danger to life waits for no normal deadline in triage.
  it.each<[string, (message: ClassifiedMessage) => ClassifiedMessage]>([
    [
      'typed',
      (message) => ({
        ...message,
        message: { ...message.message, text: 'Пахнет газом в подъезде, дети рядом!' },
      }),
    ],
    [
      'passed on',
      (message) => ({
        ...message,
        message: {
          ...message.message,
          text: 'Посмотрите',
          quoted: [{ kind: 'forwarded', depth: 1, text: 'Искрит проводка в щитке, дети рядом' }],
        },
      }),
    ],
  ])(
    'sends a danger %s without a classification to triage as critical, as the classifier would',
    async (how, dangerous) => {
      const unclassifiedKey = `e:unclassified-danger-${how}`;
      const classifiedKey = `e:classified-danger-${how}`;
      const { classification: _, ...unclassified } = dangerous(classified(unclassifiedKey));
      const critical = dangerous(classified(classifiedKey));
      critical.classification = {
        category: 'other',
        priority: 'critical',
        confidence: 0,
        inquiry: true,
        triage: true,
        model: 'test',
      };
      const response = await router(sqsEvent([unclassified, critical]), context);
      expect(response.batchItemFailures).toEqual([]);
      const all = await inquiries.listAll();
      const inquiry = all.find((candidate) => candidate.sourceEventKey === unclassifiedKey);
      const expected = all.find((candidate) => candidate.sourceEventKey === classifiedKey);
      expect(inquiry).toMatchObject({
        department: 'triage',
        triage: true,
        priority: 'critical',
        category: 'other',
      });
      // Its deadline on the critical terms (1 hour, round the clock), and the duty officers told at once.
      expect(inquiry?.firstResponseDueAt).toBe('2026-03-02T07:00:00.000Z');
      expect(inquiry?.pendingNotification).toMatchObject({ kind: 'critical', department: 'triage' });
      const { at: _notedAt, ...notice } = expected?.pendingNotification ?? { at: '' };
      expect(inquiry?.pendingNotification).toMatchObject(notice);
      for (const field of [
        'priority',
        'firstResponseDueAt',
        'resolutionDueAt',
        'clock',
        'escalated',
      ] as const)
        expect(inquiry?.[field]).toEqual(expected?.[field]);
    },
  );

  // The shortened-deadline themes are rules too (classifier/priority-rules.ts): icicles over a pavement wait
  // for no normal deadline in triage either.
  it('sends a shortened-deadline theme without a classification to triage as high, as the classifier would', async () => {
    const icicles = (message: ClassifiedMessage): ClassifiedMessage => ({
      ...message,
      message: { ...message.message, text: 'Над тротуаром у дома 7 висят огромные сосульки' },
    });
    const { classification: _, ...unclassified } = icicles(classified('e:unclassified-theme'));
    const high = icicles(classified('e:classified-theme'));
    high.classification = { ...high.classification, category: 'other', confidence: 0, triage: true };
    const response = await router(sqsEvent([unclassified, high]), context);
    expect(response.batchItemFailures).toEqual([]);
    const all = await inquiries.listAll();
    const inquiry = all.find((candidate) => candidate.sourceEventKey === 'e:unclassified-theme');
    const expected = all.find((candidate) => candidate.sourceEventKey === 'e:classified-theme');
    expect(inquiry).toMatchObject({
      department: 'triage',
      triage: true,
      priority: 'high',
      category: 'other',
    });
    // Monday 2 March 2026, 11:00 in the community (UTC+5): 4 working hours, not the normal 9, end at 16:00.
    expect(inquiry?.firstResponseDueAt).toBe('2026-03-02T11:00:00.000Z');
    for (const field of ['firstResponseDueAt', 'resolutionDueAt', 'clock'] as const)
      expect(inquiry?.[field]).toEqual(expected?.[field]);
  });

  it('applies an edit whose classification it cannot read as an edit of an older release, without one', async () => {
    await router(sqsEvent([classified('e:edit-base')]), context);
    const edit = {
      kind: 'message_changed',
      eventKey: 'e:edit-unreadable',
      receivedAt: '2026-03-02T06:10:00.000Z',
      groupId: DEMO_GROUP_ID,
      change: 'edited',
      channel: 'direct_message',
      messageRef: 'dm:42:e:edit-base',
      text: 'Во дворе неделю не вывозят мусор',
      classification: { category: 'waste', priority: 'срочно' },
    };
    const response = await router(sqsEvent([edit]), context);
    expect(response.batchItemFailures).toEqual([]);
    const inquiry = (await inquiries.listAll()).find(
      (candidate) => candidate.sourceEventKey === 'e:edit-base',
    );
    expect(inquiry).toMatchObject({ text: 'Во дворе неделю не вывозят мусор', category: 'waste' });
  });

  it.each([
    ['a danger', 'Пахнет газом в подъезде, дети рядом!', 'critical', '2026-03-02T07:10:00.000Z'],
    [
      'a shortened-deadline theme',
      'Над тротуаром у дома 7 висят огромные сосульки',
      'high',
      '2026-03-02T11:10:00.000Z',
    ],
  ] as const)(
    'routes a greeting edited into %s to triage when it cannot read the edit’s classification',
    async (_, text, priority, due) => {
      const key = `e:greeting-${priority}`;
      const greeting = classified(key);
      greeting.message = { ...greeting.message, text: 'Добрый день!' };
      greeting.classification = {
        ...greeting.classification,
        category: 'other',
        priority: 'normal',
        inquiry: false,
      };
      await router(sqsEvent([greeting]), context);
      const edit = {
        kind: 'message_changed',
        eventKey: `${key}-edit`,
        receivedAt: '2026-03-02T06:10:00.000Z',
        groupId: DEMO_GROUP_ID,
        change: 'edited',
        channel: 'direct_message',
        messageRef: greeting.message.messageRef,
        text,
      };
      const response = await router(sqsEvent([edit]), context);
      expect(response.batchItemFailures).toEqual([]);
      const inquiry = (await inquiries.listAll()).find((candidate) => candidate.sourceEventKey === key);
      expect(inquiry).toMatchObject({ status: 'routed', department: 'triage', triage: true, priority, text });
      // Its clock from the edit, on the terms of its priority: critical's hour round the clock, high's 4 working hours.
      expect(inquiry?.firstResponseDueAt).toBe(due);
    },
  );

  it('raises a routed inquiry whose edit it cannot read where the rules find a danger, keeping its routing', async () => {
    const key = 'e:routed-danger';
    await router(sqsEvent([classified(key)]), context);
    const before = (await inquiries.listAll()).find((candidate) => candidate.sourceEventKey === key);
    expect(before).toMatchObject({
      department: 'housing',
      category: 'waste',
      priority: 'high',
      triage: false,
    });
    const edit = {
      kind: 'message_changed',
      eventKey: `${key}-edit`,
      receivedAt: '2026-03-02T06:10:00.000Z',
      groupId: DEMO_GROUP_ID,
      change: 'edited',
      channel: 'direct_message',
      messageRef: `dm:42:${key}`,
      text: 'Во дворе третий день не вывозят мусор, и теперь пахнет газом в подъезде',
    };
    const response = await router(sqsEvent([edit]), context);
    expect(response.batchItemFailures).toEqual([]);
    const raised = (await inquiries.listAll()).find((candidate) => candidate.sourceEventKey === key);
    // The rules' priority alone: the category, department and certainty stay the inquiry's.
    expect(raised).toMatchObject({
      status: 'routed',
      department: 'housing',
      category: 'waste',
      triage: false,
      confidence: before?.confidence,
      priority: 'critical',
      raiseCause: edit.eventKey,
      pendingNotification: { kind: 'critical', department: 'housing' },
    });
    expect(String(raised?.firstResponseDueAt) < String(before?.firstResponseDueAt)).toBe(true);
  });

  it('keeps a greeting whose edit it cannot read rejected where the rules find nothing in the new words', async () => {
    const greeting = classified('e:greeting-typo');
    greeting.message = { ...greeting.message, text: 'Добрый день' };
    greeting.classification = {
      ...greeting.classification,
      category: 'other',
      priority: 'normal',
      inquiry: false,
    };
    await router(sqsEvent([greeting]), context);
    const edit = {
      kind: 'message_changed',
      eventKey: 'e:greeting-typo-edit',
      receivedAt: '2026-03-02T06:10:00.000Z',
      groupId: DEMO_GROUP_ID,
      change: 'edited',
      channel: 'direct_message',
      messageRef: greeting.message.messageRef,
      text: 'Добрый день!',
    };
    expect((await router(sqsEvent([edit]), context)).batchItemFailures).toEqual([]);
    const inquiry = (await inquiries.listAll()).find(
      (candidate) => candidate.sourceEventKey === 'e:greeting-typo',
    );
    expect(inquiry).toMatchObject({ status: 'rejected', text: 'Добрый день!' });
  });
});
