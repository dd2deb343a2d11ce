import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type VkEvent, vkEventSchema } from '../../../lambdas/domain/vk/envelope.js';
import { eventKeyOf as keyOf } from '../../../lambdas/domain/vk/event-key.js';
import { citizenWordsOf, toCitizenMessage } from '../../../lambdas/domain/vk/normalise.js';
import { fixture } from '../../support/fixtures.js';

const event = (body: Record<string, unknown>) => vkEventSchema.parse(body);
const eventKeyOf = (envelope: VkEvent) =>
  keyOf(envelope, (text) => createHash('sha256').update(text).digest('base64url'));

describe('toCitizenMessage', () => {
  it('turns a message_new of API 5.103+ into a direct message with its reply ids', () => {
    const message = toCitizenMessage(event(fixture('03_message_new__vknet.json')));
    expect(message).toEqual({
      groupId: 123456789,
      channel: 'direct_message',
      replyTo: { channel: 'direct_message', peerId: 123456789, conversationMessageId: 614, messageId: 985 },
      messageRef: 'dm:123456789:614',
      conversationKey: 'dm:123456789',
      authorId: 123456789,
      text: 'f',
      attachments: [],
      sentAt: new Date(1572809816 * 1000).toISOString(),
    });
  });

  it('accepts the older message_new shape, where the object is the message itself', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const old = toCitizenMessage(event({ type: 'message_new', group_id: 1, object: message }));
    expect(old?.channel).toBe('direct_message');
    expect(old?.text).toBe('f');
  });

  it("never takes the community's own words for a citizen's", () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    expect(
      toCitizenMessage(
        event({ type: 'message_new', group_id: 1, object: { message: { ...message, out: 1 } } }),
      ),
    ).toBeNull();
    expect(
      toCitizenMessage(event({ type: 'message_new', group_id: 1, object: { ...message, from_id: -1 } })),
    ).toBeNull();
  });

  it("puts a wall comment in its author's conversation under the post, in any thread, answered in its thread", () => {
    const wall = fixture('vknet/WallReplyNewTest.json');
    const comment = toCitizenMessage(event(wall));
    expect(comment?.channel).toBe('wall_comment');
    const object = wall.object as Record<string, number>;
    const ownerId = object.post_owner_id ?? object.owner_id;
    expect(comment?.replyTo).toMatchObject({ postId: object.post_id, commentId: object.id });
    expect(comment?.conversationKey).toBe(`post:${ownerId}:${object.post_id}`);
    const inThread = toCitizenMessage(
      event({ ...wall, object: { ...object, id: 999, parents_stack: [42] } }),
    );
    expect(inThread?.conversationKey).toBe(comment?.conversationKey);
    expect(inThread?.replyTo).toMatchObject({ commentId: 999, threadCommentId: 42 });
  });

  it('counts attachments by kind', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const withPhotos = { ...message, attachments: [{ type: 'photo' }, { type: 'photo' }, { type: 'doc' }] };
    expect(
      toCitizenMessage(event({ type: 'message_new', group_id: 1, object: withPhotos }))?.attachments,
    ).toEqual([
      { kind: 'photo', count: 2 },
      { kind: 'doc', count: 1 },
    ]);
  });

  it('counts an attachment not shaped as VK gives one as `unknown`, and reads the message all the same', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const odd = [null, 'photo', { photo: {} }, { type: 5 }, { type: 'x'.repeat(65) }, [], { type: 'doc' }];
    const read = toCitizenMessage(
      event({ type: 'message_new', group_id: 1, object: { ...message, attachments: odd } }),
    );
    expect(read?.text).toBe(message.text);
    expect(read?.attachments).toEqual([
      { kind: 'unknown', count: 6 },
      { kind: 'doc', count: 1 },
    ]);
  });

  it('links a video, photo, document or audio VK sends with its ids only, by its address on vk.com', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    // A real video object (video_new) as VK sends it: no `player`, and `access_key` never made into a link.
    const video = {
      ...(fixture('vknet/VideoNewTest.json').object as Record<string, unknown>),
      access_key: 'k1',
    };
    const photo = fixture('vknet/PhotoNewTest.json').object as Record<string, unknown>;
    const attachments = [
      { type: 'video', video },
      { type: 'video', video: { ...video, player: 'https://vk.com/video_ext.php?oid=-1234&id=4444' } },
      { type: 'photo', photo: { id: 5, owner_id: 7000001 } },
      { type: 'photo', photo },
      { type: 'doc', doc: { id: 6, owner_id: 7000001, title: 'заявление.pdf' } },
      { type: 'audio', audio: { id: 7, owner_id: 7000001, url: '' } },
      { type: 'market', market: { id: 8, owner_id: -1234 } },
    ];
    expect(
      toCitizenMessage(event({ type: 'message_new', group_id: 1, object: { ...message, attachments } }))
        ?.attachments,
    ).toEqual([
      {
        kind: 'video',
        count: 2,
        links: ['https://vk.com/video-1234_4444', 'https://vk.com/video_ext.php?oid=-1234&id=4444'],
      },
      {
        kind: 'photo',
        count: 2,
        links: ['https://vk.com/photo7000001_5', expect.stringMatching(/^https:\/\/pp\.userapi\.com\//)],
      },
      { kind: 'doc', count: 1, links: ['https://vk.com/doc7000001_6'] },
      { kind: 'audio', count: 1, links: ['https://vk.com/audio7000001_7'] },
      { kind: 'market', count: 1 },
    ]);
  });

  it('reads ids and dates sent as digit strings, as some libraries replay them, as the numbers they are', () => {
    const asText = (object: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(object).map(([key, value]) => [
          key,
          typeof value === 'number' && key !== 'out' ? String(value) : value,
        ]),
      );
    for (const name of [
      '03_message_new__vknet.json',
      'vknet/WallReplyNewTest.json',
      'vknet/BoardPostNew.json',
    ]) {
      const recorded = fixture(name);
      const object = recorded.object as Record<string, unknown>;
      const message = object.message as Record<string, unknown> | undefined;
      const replayed = message ? { ...object, message: asText(message) } : asText(object);
      const read = toCitizenMessage(event({ ...recorded, object: replayed }));
      expect(read, name).not.toBeNull();
      expect(read, name).toEqual(toCitizenMessage(event(recorded)));
    }
    // Beyond what a JavaScript number holds exactly, it would name another message: not read.
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const huge = { ...message, peer_id: '9007199254740993' };
    expect(
      toCitizenMessage(event({ type: 'message_new', group_id: 1, object: { message: huge } })),
    ).toBeNull();
  });

  it('reads the ids and dates of what a message passes on from digit strings too, as the numbers they are', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const passing = (id: (value: number) => unknown) => ({
      ...message,
      fwd_messages: [{ from_id: id(5550077), date: id(1572809000), text: 'Нет воды' }],
      attachments: [
        {
          type: 'wall',
          wall: { owner_id: id(-1), id: id(42), from_id: id(-1), date: id(1572800000), text: 'Пост' },
        },
        { type: 'video', video: { owner_id: id(-1), id: id(8) } },
      ],
    });
    const read = (id: (value: number) => unknown) =>
      toCitizenMessage(event({ type: 'message_new', group_id: 1, object: { message: passing(id) } }));
    const asNumbers = read((value) => value);
    expect(asNumbers?.quoted?.[0]).toMatchObject({ authorId: 5550077, sentAt: '2019-11-03T19:23:20.000Z' });
    expect(asNumbers?.attachments?.[0]?.links).toEqual(['https://vk.com/wall-1_42']);
    expect(read(String)).toEqual(asNumbers);
    // Beyond what a JavaScript number holds exactly, or not only digits: no author.
    for (const fromId of ['9007199254740993', '1e3', ' 5'])
      expect(read((value) => (value === 5550077 ? fromId : value))?.quoted?.[0], fromId).not.toHaveProperty(
        'authorId',
      );
  });

  it('reads no id that is not a whole number a JavaScript number holds exactly, as a number or as digits', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const from = (fromId: unknown) =>
      toCitizenMessage(
        event({ type: 'message_new', group_id: 1, object: { message: { ...message, from_id: fromId } } }),
      );
    expect(from('123456789')?.authorId).toBe(123456789);
    for (const fromId of ['9007199254740993', '1e3', '0x10', ' 42', '42 ', 1.5, 2 ** 53])
      expect(from(fromId), String(fromId)).toBeNull();
  });

  it('keeps an attachment of a `type` up to 64 characters as its own kind', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const type = 'x'.repeat(64);
    const read = toCitizenMessage(
      event({
        type: 'message_new',
        group_id: 1,
        object: { message: { ...message, attachments: [{ type }] } },
      }),
    );
    expect(read?.attachments).toEqual([{ kind: type, count: 1 }]);
  });

  it('reads no text longer than 100,000 characters', () => {
    const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
    const withText = (text: string) =>
      toCitizenMessage(
        event({ type: 'message_new', group_id: 1, object: { message: { ...message, text } } }),
      );
    expect(withText('а'.repeat(100_000))?.text).toHaveLength(100_000);
    expect(withText('а'.repeat(100_001))).toBeNull();
  });

  it("dates new words by VK's date, else by when ingest received them, else does not read them", () => {
    const recorded = fixture('vknet/BoardPostNew.json');
    const object = recorded.object as Record<string, unknown>;
    const received = '2026-03-02T06:00:00.000Z';
    const dated = citizenWordsOf(event(recorded), received);
    expect(dated?.kind === 'citizen_message' && dated.message.sentAt).toBe(
      new Date((object.date as number) * 1000).toISOString(),
    );
    const farOff = event({ ...recorded, object: { ...object, date: -1 } });
    const undated = citizenWordsOf(farOff, received);
    expect(undated?.kind === 'citizen_message' && undated.message.sentAt).toBe(received);
    expect(citizenWordsOf(farOff)).toEqual({ kind: 'malformed', problem: 'date: no time of a message' });
  });

  it('finds no citizen message in service events or malformed objects', () => {
    expect(toCitizenMessage(event(fixture('02_group_join__vk_docs_example.json')))).toBeNull();
    expect(
      toCitizenMessage(event({ type: 'message_new', group_id: 1, object: { message: { text: 1 } } })),
    ).toBeNull();
  });
});

describe('eventKeyOf', () => {
  it('uses event_id, whether VK sends it as a string or a number', () => {
    expect(eventKeyOf(event({ type: 'group_join', group_id: 1, event_id: 'abc' }))).toBe('e:abc');
    expect(eventKeyOf(event({ type: 'group_join', group_id: 1, event_id: 12345 }))).toBe('e:12345');
  });

  it('derives a stable key from the event ids when event_id is absent, distinct for distinct messages', () => {
    const body = fixture('03_message_new__vknet.json');
    const key = eventKeyOf(event(body));
    expect(eventKeyOf(event(structuredClone(body)))).toBe(key);
    const { message } = body.object as { message: Record<string, unknown> };
    const other = { ...body, object: { message: { ...message, conversation_message_id: 615, id: 986 } } };
    expect(eventKeyOf(event(other))).not.toBe(key);
  });
});

describe('eventKeyOf, without event_id', () => {
  const edit = fixture('vknet/WallReplyEditTest.json');
  const object = edit.object as Record<string, unknown>;

  it('tells two different edits of one comment apart, and keeps a retried edit one event', () => {
    const first = eventKeyOf(event(edit));
    expect(eventKeyOf(event(structuredClone(edit)))).toBe(first);
    expect(eventKeyOf(event({ ...edit, object: { ...object, text: 'second edit' } }))).not.toBe(first);
  });

  it('tells two restores of one comment with different words apart: restored, edited, deleted, restored', () => {
    const restore = fixture('vknet/WallReplyRestoreTest.json');
    const restored = restore.object as Record<string, unknown>;
    const first = eventKeyOf(event(restore));
    expect(eventKeyOf(event(structuredClone(restore)))).toBe(first);
    expect(eventKeyOf(event({ ...restore, object: { ...restored, text: 'edited' } }))).not.toBe(first);
  });

  it('takes an empty event_id for none: two messages that carry one stay two events', () => {
    const body = fixture('03_message_new__vknet.json');
    const { message } = body.object as { message: Record<string, unknown> };
    const other = { ...body, object: { message: { ...message, conversation_message_id: 615, id: 986 } } };
    const key = eventKeyOf(event({ ...body, event_id: '' }));
    expect(key).toMatch(/^d:/);
    expect(eventKeyOf(event({ ...other, event_id: '' }))).not.toBe(key);
  });

  it('reads ids sent as digit strings, as some libraries replay them: two messages stay two events', () => {
    const body = fixture('03_message_new__vknet.json');
    const { message } = body.object as { message: Record<string, unknown> };
    const asText = (ids: Record<string, number>) => ({
      ...body,
      object: {
        message: { ...message, ...Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, String(v)])) },
      },
    });
    const first = asText({ peer_id: 5550077, conversation_message_id: 614, id: 985, date: 1572809816 });
    const second = asText({ peer_id: 5550077, conversation_message_id: 615, id: 986, date: 1572809817 });
    expect(eventKeyOf(event(first))).not.toBe(eventKeyOf(event(second)));
  });

  it('holds none of the ids it is made of, only the community in clear: the key is logged', () => {
    const body = fixture('03_message_new__vknet.json');
    const { message } = body.object as { message: Record<string, unknown> };
    const ids = { peer_id: 5550077, from_id: 5550077, conversation_message_id: 615, id: 986 };
    const key = eventKeyOf(event({ ...body, group_id: 42, object: { message: { ...message, ...ids } } }));
    expect(key).toMatch(/^d:42:[\w-]{43}$/);
    for (const id of ['5550077', '615', '986', String(message.date)]) expect(key).not.toContain(id);
  });

  it('keeps the key short whatever the object holds', () => {
    const hostile = { ...fixture('03_message_new__vknet.json'), object: { peer_id: 'x'.repeat(100_000) } };
    expect(eventKeyOf(event(hostile)).length).toBeLessThan(200);
  });

  it('keys the same event alike in both message_new shapes', () => {
    const body = fixture('03_message_new__vknet.json');
    const { message } = body.object as { message: Record<string, unknown> };
    expect(eventKeyOf(event({ ...body, object: message }))).toBe(eventKeyOf(event(body)));
  });
});
