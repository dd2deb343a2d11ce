import { describe, expect, it } from 'vitest';
import { vkEventSchema } from '../../../lambdas/domain/vk/envelope.js';
import { interpretVkEvent, type VkEventMeaning } from '../../../lambdas/domain/vk/interpret.js';
import { EXPECTED, type Expected } from '../../integration/fixtures-expected.js';
import { allFixtureNames, fixture } from '../../support/fixtures.js';

const event = (body: Record<string, unknown>) => vkEventSchema.parse(body);

/** The part of a meaning the expectations name. */
function shapeOf(meaning: VkEventMeaning): Record<string, unknown> {
  switch (meaning.kind) {
    case 'citizen_message': {
      const { channel, replyTo, messageRef } = meaning.message;
      return { kind: meaning.kind, channel, replyTo, messageRef };
    }
    case 'message_changed': {
      const { change, channel, messageRef } = meaning.change;
      return { kind: meaning.kind, change, channel, messageRef };
    }
    case 'operator_reply_in_vk': {
      const { peerId, adminId, messageRef } = meaning.reply;
      return { kind: meaning.kind, peerId, adminId, messageRef };
    }
    default:
      return { kind: meaning.kind };
  }
}

const withoutUndefined = (value: Record<string, unknown>) => JSON.parse(JSON.stringify(value));

describe('interpretVkEvent, on every recorded payload', () => {
  it('has an expectation for every fixture', () => {
    expect(allFixtureNames().sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(allFixtureNames())('%s', (name) => {
    const expected = EXPECTED[name] as Expected;
    const meaning = interpretVkEvent(event(fixture(name)));
    if (expected.kind === 'confirmation') expect(meaning.kind).toBe('service');
    else expect(withoutUndefined(shapeOf(meaning))).toEqual(expected);
  });
});

describe('the loop guard', () => {
  const comment = fixture('vknet/WallReplyNewTest.json');
  const object = comment.object as Record<string, unknown>;

  it.each([
    ['a comment as the community', { ...comment, object: { ...object, from_id: -1234 } }],
    [
      'an edit of the community comment',
      { ...fixture('vknet/WallReplyEditTest.json'), object: { ...object, from_id: -1234 } },
    ],
    [
      'a message_reply by a bot',
      {
        ...fixture('vknet/MessageReplyTest.json'),
        object: { ...(fixture('vknet/MessageReplyTest.json').object as object), admin_author_id: undefined },
      },
    ],
    ['a message_edit of its own message (out 1)', fixture('vknet/MessageEditTest.json')],
    [
      'a message_edit by the community in a chat',
      {
        ...fixture('vknet/MessageEditTest.json'),
        object: {
          ...(fixture('vknet/MessageEditTest.json').object as object),
          out: 0,
          from_id: -1234,
          peer_id: 2000000005,
        },
      },
    ],
    [
      'a wall post by the community',
      {
        ...fixture('vknet/WallPostNewTest.json'),
        object: { ...(fixture('vknet/WallPostNewTest.json').object as object), from_id: -1234 },
      },
    ],
    [
      'a photo comment as the community',
      {
        ...fixture('vknet/PhotoCommentNewTest.json'),
        object: { ...(fixture('vknet/PhotoCommentNewTest.json').object as object), from_id: -1234 },
      },
    ],
    [
      'a video comment as the community',
      {
        ...fixture('vknet/VideoCommentNewTest.json'),
        object: { ...(fixture('vknet/VideoCommentNewTest.json').object as object), from_id: -1234 },
      },
    ],
    [
      'a market comment as the community',
      {
        ...fixture('vknet/MarketCommentNewTest.json'),
        object: { ...(fixture('vknet/MarketCommentNewTest.json').object as object), from_id: -1234 },
      },
    ],
    [
      'a message_reply whose admin_author_id is 0: no person wrote it',
      {
        ...fixture('vknet/MessageReplyTest.json'),
        object: { ...(fixture('vknet/MessageReplyTest.json').object as object), admin_author_id: 0 },
      },
    ],
    [
      'a deleted comment whose author was the community',
      {
        ...fixture('vknet/PhotoCommentDeleteTest.json'),
        object: { ...(fixture('vknet/PhotoCommentDeleteTest.json').object as object), user_id: -1234 },
      },
    ],
  ])('keeps %s out of inquiries', (_case, body) => {
    expect(interpretVkEvent(event(body as Record<string, unknown>)).kind).toBe('own_words');
  });
});

describe("another community's words", () => {
  /** A residents' association's page: a community, but not the one whose events these are (1234). */
  const ASSOCIATION = -555;
  const withAuthor = (name: string, author: Record<string, number>) => {
    const body = fixture(name);
    return event({ ...body, object: { ...(body.object as object), ...author } });
  };

  it('takes its comment and its post for an inquiry, answered where it wrote', () => {
    const comment = interpretVkEvent(withAuthor('vknet/WallReplyNewTest.json', { from_id: ASSOCIATION }));
    expect(comment.kind).toBe('citizen_message');
    expect(comment.kind === 'citizen_message' && comment.message).toMatchObject({
      authorId: ASSOCIATION,
      channel: 'wall_comment',
      replyTo: { channel: 'wall_comment', ownerId: -1234, postId: 6, commentId: 9 },
    });
    for (const name of [
      'vknet/WallPostNewTest.json',
      'vknet/PhotoCommentNewTest.json',
      'vknet/VideoCommentNewTest.json',
      'vknet/MarketCommentNewTest.json',
    ]) {
      const meaning = interpretVkEvent(withAuthor(name, { from_id: ASSOCIATION }));
      expect(meaning.kind === 'citizen_message' && meaning.message.authorId, name).toBe(ASSOCIATION);
    }
  });

  it("takes its edits and deletes for changes of its message, not the community's own", () => {
    const edited = interpretVkEvent(withAuthor('vknet/WallReplyEditTest.json', { from_id: ASSOCIATION }));
    expect(edited.kind === 'message_changed' && edited.change).toMatchObject({
      change: 'edited',
      authorId: ASSOCIATION,
    });
    const deleted = interpretVkEvent(
      withAuthor('vknet/PhotoCommentDeleteTest.json', { user_id: ASSOCIATION }),
    );
    expect(deleted.kind === 'message_changed' && deleted.change).toMatchObject({
      change: 'deleted',
      authorId: ASSOCIATION,
    });
  });
});

describe("a citizen's edit of a direct message", () => {
  const edit = (fields: Record<string, unknown>) => {
    const body = fixture('vknet/MessageEditTest.json');
    return interpretVkEvent(event({ ...body, object: { ...(body.object as object), ...fields } }));
  };

  it("is the citizen's change of the message we hold, named as its message_new named it", () => {
    // Edited an hour after it was sent.
    const meaning = edit({ out: 0, from_id: 123, text: 'Нет отопления, дом 15', update_time: 1533401438 });
    expect(meaning).toEqual({
      kind: 'message_changed',
      change: {
        change: 'edited',
        channel: 'direct_message',
        messageRef: 'dm:123:791',
        text: 'Нет отопления, дом 15',
        attachments: [],
        authorId: 123,
        // When it was sent (`date`), not when it was edited (`update_time`).
        sentAt: '2018-08-04T15:50:38.000Z',
      },
    });
  });

  it('in a group chat, telling whether it is written to the community now, with the message as new words then', () => {
    const inChat = { out: 0, from_id: 123, id: 0, peer_id: 2000000005 };
    // The router decides with what it holds: a stored message edited so that its mention goes is changed.
    const talk = edit({ ...inChat, text: 'у нас тоже' });
    expect(talk.kind === 'message_changed' && talk.change).toMatchObject({
      messageRef: 'dm:2000000005:791',
      chat: { addressed: false },
    });
    expect(talk.kind === 'message_changed' && talk.change.chat).not.toHaveProperty('message');
    const text = '[club1234|Администрация] Нет отопления, дом 15';
    const addressed = edit({ ...inChat, text });
    expect(addressed.kind === 'message_changed' && addressed.change).toMatchObject({
      messageRef: 'dm:2000000005:791',
      text,
      chat: {
        addressed: true,
        message: {
          messageRef: 'dm:2000000005:791',
          conversationKey: 'dm:2000000005',
          authorId: 123,
          text,
          replyTo: { channel: 'direct_message', peerId: 2000000005, conversationMessageId: 791 },
        },
      },
    });
    // A direct message's edit is no chat's: the change alone.
    const direct = edit({ out: 0, from_id: 123, peer_id: 123, text });
    expect(direct.kind === 'message_changed' && direct.change).not.toHaveProperty('chat');
    // A chat's service message is counted, as its message_new is.
    const service = edit({ ...inChat, text: '', action: { type: 'chat_pin_message', member_id: 123 } });
    expect(service).toEqual({ kind: 'chat_chatter', chatter: 'service_message' });
  });
});

describe('group chats', () => {
  const GROUP = 123456789;
  const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
  const inChat = (fields: Record<string, unknown>) =>
    interpretVkEvent(
      event({
        type: 'message_new',
        group_id: GROUP,
        object: {
          message: { ...message, id: 0, peer_id: 2000000005, conversation_message_id: 41, ...fields },
        },
      }),
    );
  const WATER = 'Соседи, у кого тоже третий день нет горячей воды?';

  it("counts the members' talk among themselves, never an inquiry", () => {
    expect(inChat({ text: WATER })).toEqual({ kind: 'chat_chatter', chatter: 'not_addressed' });
    // Another community's mention, a longer id that starts with ours, a reply to a neighbour: not ours.
    for (const text of [`[club555|ТСЖ] ${WATER}`, `@club${GROUP}0 ${WATER}`, `[id1|Иван] ${WATER}`])
      expect(inChat({ text }).kind, text).toBe('chat_chatter');
    // An e-mail's address is no typed mention of the community: its domain merely reads like one.
    for (const text of [
      `${WATER} Пишите на ivan@club${GROUP}.ru`,
      `${WATER} почта: ivan.petrov@public${GROUP}`,
      `${WATER} ivan_2*CLUB${GROUP}`,
    ])
      expect(inChat({ text }).kind, text).toBe('chat_chatter');
    expect(inChat({ text: WATER, reply_message: { from_id: 777, text: 'и у нас' } }).kind).toBe(
      'chat_chatter',
    );
    expect(inChat({ text: WATER, fwd_messages: [{ from_id: 777, text: 'и у нас' }] }).kind).toBe(
      'chat_chatter',
    );
  });

  it('takes a message written to the community for an inquiry: a mention, a reply or a forward of its words', () => {
    for (const fields of [
      { text: `[club${GROUP}|Администрация района] ${WATER}` },
      { text: `[public${GROUP}|@admin_rayona], ${WATER}` },
      { text: `@club${GROUP} ${WATER}` },
      { text: `${WATER} (@club${GROUP}), ответьте` },
      { text: WATER, reply_message: { from_id: -GROUP, text: 'Обращение принято' } },
      { text: WATER, fwd_messages: [{ from_id: -GROUP, text: 'Обращение принято' }] },
    ]) {
      const meaning = inChat(fields);
      expect(meaning.kind, JSON.stringify(fields)).toBe('citizen_message');
      expect(meaning.kind === 'citizen_message' && meaning.message).toMatchObject({
        conversationKey: 'dm:2000000005',
        authorId: 123456789,
        messageRef: 'dm:2000000005:41',
      });
    }
  });

  it("counts the chat's service messages, addressed or not", () => {
    const action = { type: 'chat_invite_user', member_id: 777 };
    expect(inChat({ text: '', action })).toEqual({ kind: 'chat_chatter', chatter: 'service_message' });
    expect(inChat({ text: `[club${GROUP}|Администрация]`, action }).kind).toBe('chat_chatter');
  });

  it("names the member an admin's answer typed in the chat replies to, or forwards", () => {
    const answer = (fields: Record<string, unknown>) => {
      const body = fixture('vknet/MessageReplyTest.json');
      const object = { ...(body.object as object), peer_id: 2000000005, admin_author_id: 42, ...fields };
      const meaning = interpretVkEvent(event({ ...body, object }));
      return meaning.kind === 'operator_reply_in_vk' ? meaning.reply.citizenId : 'not a reply';
    };
    expect(answer({ reply_message: { from_id: 7001, text: 'нет воды' } })).toBe(7001);
    expect(answer({ fwd_messages: [{ from_id: -GROUP }, { from_id: 7002 }] })).toBe(7002);
    expect(answer({})).toBeUndefined();
  });

  it('reads the author of what a chat message replies to or forwards from a digit string too', () => {
    // As a library that replays VK's events with ids as digit strings sends them, nested messages and all.
    for (const fields of [
      { text: WATER, reply_message: { from_id: String(-GROUP), text: 'Обращение принято' } },
      { text: WATER, fwd_messages: [{ from_id: String(-GROUP), text: 'Обращение принято' }] },
    ])
      expect(inChat(fields).kind, JSON.stringify(fields)).toBe('citizen_message');
    const body = fixture('vknet/MessageReplyTest.json');
    const object = {
      ...(body.object as object),
      peer_id: 2000000005,
      admin_author_id: 42,
      reply_message: { from_id: '7001', text: 'нет воды' },
    };
    const answer = interpretVkEvent(event({ ...body, object }));
    expect(answer.kind === 'operator_reply_in_vk' && answer.reply.citizenId).toBe(7001);
  });

  it('leaves a private dialogue as it was: every message there is to the community', () => {
    const meaning = interpretVkEvent(event(fixture('03_message_new__vknet.json')));
    expect(meaning.kind).toBe('citizen_message');
  });
});

describe('tolerance', () => {
  it('reads a message_new in the shape before API 5.103, where the object is the message', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const meaning = interpretVkEvent(event({ type: 'message_new', group_id: 1, object: message }));
    expect(meaning.kind === 'citizen_message' && meaning.message.messageRef).toBe('dm:123456789:614');
  });

  it('names a group chat message by its conversation message id, as its id is 0 there', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const chat = {
      ...message,
      id: 0,
      peer_id: 2000000001,
      conversation_message_id: 77,
      text: '[club1|Администрация] f',
    };
    const meaning = interpretVkEvent(event({ type: 'message_new', group_id: 1, object: { message: chat } }));
    expect(meaning.kind === 'citizen_message' && meaning.message.messageRef).toBe('dm:2000000001:77');
  });

  it('lets unknown fields pass and takes a comment without text as empty text', () => {
    const { text: _text, ...object } = fixture('vknet/WallReplyNewTest.json').object as Record<
      string,
      unknown
    >;
    const meaning = interpretVkEvent(
      event({ type: 'wall_reply_new', group_id: 1234, object: { ...object, brand_new_field: { a: 1 } } }),
    );
    expect(meaning.kind === 'citizen_message' && meaning.message.text).toBe('');
  });

  it('says what does not fit in a known event, and takes unknown types for service events', () => {
    expect(interpretVkEvent(event({ type: 'wall_reply_new', group_id: 1, object: { id: 'x' } })).kind).toBe(
      'malformed',
    );
    expect(interpretVkEvent(event({ type: 'message_new', group_id: 1 })).kind).toBe('malformed');
    expect(interpretVkEvent(event({ type: 'poll_vote_new', group_id: 1, object: {} })).kind).toBe('service');
  });

  it('summarises attachments with the links VK gives, and forwarded messages', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const attachments = [
      {
        type: 'photo',
        photo: {
          sizes: [
            { url: 'https://sun.userapi.com/small.jpg', width: 75, height: 75 },
            { url: 'https://sun.userapi.com/big.jpg', width: 1280, height: 960 },
          ],
        },
      },
      { type: 'doc', doc: { url: 'https://vk.com/doc1_2' } },
      { type: 'sticker', sticker: { sticker_id: 9 } },
    ];
    const meaning = interpretVkEvent(
      event({
        type: 'message_new',
        group_id: 1,
        object: { message: { ...message, attachments, fwd_messages: [{}, {}], geo: { type: 'point' } } },
      }),
    );
    expect(meaning.kind === 'citizen_message' && meaning.message.attachments).toEqual([
      { kind: 'photo', count: 1, links: ['https://sun.userapi.com/big.jpg'] },
      { kind: 'doc', count: 1, links: ['https://vk.com/doc1_2'] },
      { kind: 'sticker', count: 1 },
      { kind: 'forwarded_messages', count: 2 },
      { kind: 'geo', count: 1 },
    ]);
  });

  it('links a shared post and a shared comment to their place in VK, made from their ids', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const attachments = [
      {
        type: 'wall',
        wall: { id: 4567, owner_id: -123456789, from_id: -123456789, text: 'Отключение воды' },
      },
      // Older API versions name the wall's owner `to_id`.
      { type: 'wall', wall: { id: 12, to_id: 5550001, from_id: 5550001, text: '' } },
      { type: 'wall', wall: { text: 'no ids' } },
      { type: 'wall_reply', wall_reply: { id: 89, owner_id: -123456789, post_id: 4567, from_id: 77 } },
    ];
    const meaning = interpretVkEvent(
      event({ type: 'message_new', group_id: 1, object: { message: { ...message, attachments } } }),
    );
    expect(meaning.kind === 'citizen_message' && meaning.message.attachments).toEqual([
      {
        kind: 'wall',
        count: 3,
        links: ['https://vk.com/wall-123456789_4567', 'https://vk.com/wall5550001_12'],
      },
      { kind: 'wall_reply', count: 1, links: ['https://vk.com/wall-123456789_4567?reply=89'] },
    ]);
  });

  it('gives an edit and a later delete of one comment the ref of the comment itself', () => {
    const created = interpretVkEvent(event(fixture('vknet/WallReplyNewTest.json')));
    const edited = interpretVkEvent(event(fixture('vknet/WallReplyEditTest.json')));
    const deleted = interpretVkEvent(event(fixture('vknet/WallReplyDeleteTest.json')));
    const ref = created.kind === 'citizen_message' ? created.message.messageRef : undefined;
    expect(edited.kind === 'message_changed' && edited.change.messageRef).toBe(ref);
    expect(deleted.kind === 'message_changed' && deleted.change.messageRef).toBe(ref);
  });
});

describe('a field VK sends as null', () => {
  /** Each field of the event's object, and of the message within a newer `message_new`, by its path. */
  const fieldsOf = (object: Record<string, unknown>): string[][] => [
    ...Object.keys(object).map((key) => [key]),
    ...(typeof object.message === 'object' && object.message !== null
      ? Object.keys(object.message).map((key) => ['message', key])
      : []),
  ];
  const changed = (object: Record<string, unknown>, [first, second]: string[], value: unknown) => {
    const copy = structuredClone(object) as Record<string, Record<string, unknown>>;
    const holder = second === undefined ? copy : (copy[first as string] as Record<string, unknown>);
    const key = (second ?? first) as string;
    if (value === undefined) delete holder[key];
    else holder[key] = value;
    return copy;
  };

  it.each(allFixtureNames())('means what its absence means: %s', (name) => {
    const recorded = fixture(name);
    const object = (recorded.object ?? {}) as Record<string, unknown>;
    for (const path of fieldsOf(object)) {
      const meaningOf = (value: unknown) =>
        interpretVkEvent(
          event({ ...recorded, object: changed(object, path, value) }),
          '2026-03-02T06:00:00.000Z',
        );
      const dropped = meaningOf(undefined);
      const nulled = meaningOf(null);
      // A field that cannot be done without makes the object malformed either way, each named by its problem.
      if (dropped.kind === 'malformed') expect(nulled.kind, path.join('.')).toBe('malformed');
      else expect(withoutUndefined(nulled), path.join('.')).toEqual(withoutUndefined(dropped));
    }
  });
});

describe('a message whose VK date is no time of a message', () => {
  const RECEIVED = '2026-03-02T06:00:00.000Z';
  const FAR_OFF = 253_402_300_800;
  const withDate = (name: string, fields: Record<string, unknown>) => {
    const body = fixture(name);
    return event({ ...body, object: { ...(body.object as object), ...fields } });
  };

  it("is an operator's answer in VK sent when ingest received it, and does not fit without that time", () => {
    const answer = withDate('vknet/MessageReplyTest.json', { date: FAR_OFF });
    const read = interpretVkEvent(answer, RECEIVED);
    expect(read.kind === 'operator_reply_in_vk' && read.reply.sentAt).toBe(RECEIVED);
    expect(interpretVkEvent(answer)).toEqual({ kind: 'malformed', problem: 'date: no time of a message' });
  });

  it("is a direct message's edit that says nothing of when it was written, when it was received or not", () => {
    const edited = withDate('vknet/MessageEditTest.json', { out: 0, from_id: 123, date: FAR_OFF });
    for (const meaning of [interpretVkEvent(edited, RECEIVED), interpretVkEvent(edited)]) {
      expect(meaning.kind === 'message_changed' && meaning.change).toMatchObject({ change: 'edited' });
      expect(meaning.kind === 'message_changed' && meaning.change).not.toHaveProperty('sentAt');
    }
  });

  it("is a group chat's edit written to the community, as new words sent when ingest received it", () => {
    const text = '[club1234|Администрация] Нет отопления, дом 15';
    const edited = withDate('vknet/MessageEditTest.json', {
      out: 0,
      from_id: 123,
      id: 0,
      peer_id: 2000000005,
      text,
      date: FAR_OFF,
    });
    const meaning = interpretVkEvent(edited, RECEIVED);
    expect(meaning.kind === 'message_changed' && meaning.change.chat).toMatchObject({
      addressed: true,
      message: { text, sentAt: RECEIVED },
    });
  });

  it("is a wall comment's new words with VK's own date when that is a time, whenever it was received", () => {
    const comment = event(fixture('vknet/WallReplyNewTest.json'));
    const date = (comment.object as { date: number }).date;
    const read = interpretVkEvent(comment, RECEIVED);
    expect(read.kind === 'citizen_message' && read.message.sentAt).toBe(new Date(date * 1000).toISOString());
  });
});
