import { describe, expect, it } from 'vitest';
import { routingMessageSchema } from '../../../lambdas/domain/messages.js';
import { vkEventSchema } from '../../../lambdas/domain/vk/envelope.js';
import { toCitizenMessage } from '../../../lambdas/domain/vk/normalise.js';
import {
  MAX_QUOTED_CHARACTERS,
  MAX_QUOTED_DEPTH,
  MAX_QUOTED_MESSAGES,
  quotedIn,
  wordsOf,
} from '../../../lambdas/domain/vk/quoted.js';
import { fixture } from '../../support/fixtures.js';

const GROUP = 123456789;
const recorded = () =>
  (fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> }).message;
const directMessage = (fields: Record<string, unknown>) =>
  toCitizenMessage(
    vkEventSchema.parse({
      type: 'message_new',
      group_id: GROUP,
      object: { message: { ...recorded(), text: '', ...fields }, client_info: {} },
    }),
  );
/** A forwarded (or quoted) message as VK writes one: no id of its own in a dialogue, its author and date. */
const foreign = (fromId: number, text: string, more: Record<string, unknown> = {}) => ({
  date: 1772431200,
  from_id: fromId,
  text,
  attachments: [],
  conversation_message_id: 0,
  peer_id: fromId,
  ...more,
});

describe('the words a message passes on', () => {
  it('keeps the text of forwarded messages, nested ones too, with who wrote them and when', () => {
    const message = directMessage({
      fwd_messages: [
        foreign(7000099, 'Во дворе дома 12 по ул. Ленина третий день не вывозят мусор', {
          fwd_messages: [foreign(7000098, 'Контейнеры переполнены')],
        }),
        foreign(7000097, 'Соседи тоже жалуются'),
      ],
    });
    expect(message?.text).toBe('');
    expect(message?.quoted).toEqual([
      {
        kind: 'forwarded',
        depth: 1,
        authorId: 7000099,
        sentAt: '2026-03-02T06:00:00.000Z',
        text: 'Во дворе дома 12 по ул. Ленина третий день не вывозят мусор',
      },
      {
        kind: 'forwarded',
        depth: 2,
        authorId: 7000098,
        sentAt: '2026-03-02T06:00:00.000Z',
        text: 'Контейнеры переполнены',
      },
      {
        kind: 'forwarded',
        depth: 1,
        authorId: 7000097,
        sentAt: '2026-03-02T06:00:00.000Z',
        text: 'Соседи тоже жалуются',
      },
    ]);
    expect(message?.quotedLeftOut).toBeUndefined();
    // What it carried is still counted among its attachments, as before.
    expect(message?.attachments).toEqual([{ kind: 'forwarded_messages', count: 2 }]);
  });

  it('keeps the message replied to, and the photos a forwarded message carries with their links', () => {
    const photo = {
      type: 'photo',
      photo: { sizes: [{ url: 'https://sun.userapi.com/pit.jpg', width: 1280, height: 960 }] },
    };
    const message = directMessage({
      text: 'Вот, смотрите',
      reply_message: foreign(-GROUP, 'Пришлите, пожалуйста, фото'),
      fwd_messages: [foreign(5550001, '', { attachments: [photo] })],
    });
    expect(message?.quoted).toEqual([
      expect.objectContaining({ kind: 'reply', authorId: -GROUP, text: 'Пришлите, пожалуйста, фото' }),
      expect.objectContaining({
        kind: 'forwarded',
        text: '',
        attachments: [{ kind: 'photo', count: 1, links: ['https://sun.userapi.com/pit.jpg'] }],
      }),
    ]);
  });

  it('keeps the post a repost copies and the post shared in a message, with their links', () => {
    const post = toCitizenMessage(
      vkEventSchema.parse({
        type: 'wall_post_new',
        group_id: GROUP,
        object: {
          id: 31,
          owner_id: -GROUP,
          from_id: 5550001,
          date: 1772431200,
          text: 'Когда это починят?',
          post_type: 'post',
          copy_history: [
            { id: 8, owner_id: -777, from_id: -777, date: 1772400000, text: 'На Мира, 5 провалился асфальт' },
          ],
        },
      }),
    );
    expect(post?.quoted).toEqual([
      {
        kind: 'repost',
        depth: 1,
        authorId: -777,
        sentAt: '2026-03-01T21:20:00.000Z',
        text: 'На Мира, 5 провалился асфальт',
        link: 'https://vk.com/wall-777_8',
      },
    ]);
    const shared = directMessage({
      attachments: [
        { type: 'wall', wall: { id: 4, to_id: 5550002, from_id: 5550002, text: 'Пахнет газом' } },
      ],
    });
    expect(shared?.quoted).toEqual([
      expect.objectContaining({
        kind: 'shared_post',
        text: 'Пахнет газом',
        link: 'https://vk.com/wall5550002_4',
      }),
    ]);
  });

  it(`goes no deeper than ${MAX_QUOTED_DEPTH} levels, and counts what it left out`, () => {
    let chain: Record<string, unknown> = foreign(1, 'самое глубокое');
    for (let level = 8; level >= 1; level--)
      chain = foreign(1, `уровень ${level}`, { fwd_messages: [chain] });
    const message = directMessage({ fwd_messages: [chain] });
    expect(message?.quoted?.map((quoted) => quoted.depth)).toEqual([1, 2, 3, 4, 5]);
    expect(message?.quotedLeftOut).toBe(4);
  });

  it(`keeps at most ${MAX_QUOTED_MESSAGES} messages and ${MAX_QUOTED_CHARACTERS} characters, and says so`, () => {
    const many = quotedIn({
      fwd_messages: Array.from({ length: 60 }, (_, n) => foreign(1, `сообщение ${n}`)),
    });
    expect(many.quoted).toHaveLength(MAX_QUOTED_MESSAGES);
    expect(many.quotedLeftOut).toBe(10);

    const long = 'я'.repeat(4000);
    const cut = quotedIn({ fwd_messages: [foreign(1, long), foreign(2, long), foreign(3, long)] });
    expect(cut.quoted?.map((quoted) => [quoted.text.length, quoted.cut])).toEqual([
      [4000, undefined],
      [MAX_QUOTED_CHARACTERS - 4000, true],
    ]);
    expect(cut.quotedLeftOut).toBe(1);

    // A cut never splits an emoji (two UTF-16 units) in half.
    const emoji = quotedIn({ fwd_messages: [foreign(1, `${'я'.repeat(MAX_QUOTED_CHARACTERS - 1)}🔥🔥`)] });
    expect(emoji.quoted?.[0]?.text).toBe('я'.repeat(MAX_QUOTED_CHARACTERS - 1));
  });

  it('stays small whatever a 256 KiB body holds, and fits the routing message schema', () => {
    const flood = foreign(1, 'ж'.repeat(4096), {
      fwd_messages: Array.from({ length: 20 }, () => foreign(2, 'ш'.repeat(4096))),
    });
    const message = directMessage({ fwd_messages: [flood], date: 1772431200 });
    expect(JSON.stringify(message?.quoted).length).toBeLessThan(MAX_QUOTED_CHARACTERS + 4000);
    expect(message?.quotedLeftOut).toBeGreaterThan(0);
    const routing = {
      kind: 'citizen_message',
      eventKey: 'e:1',
      receivedAt: '2026-03-02T06:00:00.000Z',
      message,
      classification: {
        category: 'other',
        priority: 'normal',
        confidence: 0,
        inquiry: true,
        triage: true,
        model: 't',
      },
    };
    expect(routingMessageSchema.parse(JSON.parse(JSON.stringify(routing)))).toEqual(routing);
  });

  it('takes what it cannot read for nothing: no author, no date, no text', () => {
    expect(
      quotedIn({ fwd_messages: [{ from_id: 'x', date: 1e20, text: 5 }, 'not a message', null] }).quoted,
    ).toEqual([{ kind: 'forwarded', depth: 1, text: '' }]);
    expect(quotedIn({ fwd_messages: [] })).toEqual({});
  });

  it('flags a message VK cut short for the callback', () => {
    expect(directMessage({ text: 'см. ниже', is_cropped: true })?.cropped).toBe(true);
    // Some API versions give VK's flags as 0/1.
    expect(directMessage({ text: 'см. ниже', is_cropped: 1 })?.cropped).toBe(true);
    expect(directMessage({ text: 'см. ниже', is_cropped: 0 })).not.toHaveProperty('cropped');
    expect(directMessage({ text: 'см. ниже' })).not.toHaveProperty('cropped');
  });
});

describe('the words a message is classified on', () => {
  it("are the citizen's own, then those passed on, but not the community's own messages quoted back", () => {
    const message = directMessage({
      text: 'спасибо',
      reply_message: foreign(-GROUP, 'Ваше обращение № 12 принято'),
      fwd_messages: [foreign(7000099, 'В подъезде пахнет газом')],
      attachments: [
        { type: 'wall', wall: { id: 4, owner_id: -GROUP, from_id: -GROUP, text: 'Отключение воды' } },
      ],
    });
    expect(message && wordsOf(message)).toBe('спасибо.\n\nВ подъезде пахнет газом.\n\nОтключение воды');
    expect(message && wordsOf({ ...message, text: '' })).toBe('В подъезде пахнет газом.\n\nОтключение воды');
  });

  it('include what VK heard in a voice message, once its recognition is done, forwarded ones too', () => {
    const voice = (transcript: string, state: string) => ({
      type: 'audio_message',
      audio_message: { id: 1, owner_id: 7000099, duration: 5, transcript, transcript_state: state },
    });
    const message = directMessage({
      text: 'вот',
      attachments: [voice('Пахнет газом в подъезде', 'done'), voice('Не дослушано', 'in_progress')],
      fwd_messages: [foreign(7000098, '', { attachments: [voice('Дом 5 по Ленина', 'done')] })],
    });
    expect(message?.attachments).toEqual([
      { kind: 'audio_message', count: 2, transcripts: ['Пахнет газом в подъезде'] },
      { kind: 'forwarded_messages', count: 1 },
    ]);
    expect(message && wordsOf(message)).toBe('вот.\n\nПахнет газом в подъезде.\n\nДом 5 по Ленина');
  });

  it("bound a message's transcripts, and mark a passed-on message whose transcripts do not fit cut", () => {
    const long = 'газ '.repeat(2000);
    const voice = { type: 'audio_message', audio_message: { transcript: long, transcript_state: 'done' } };
    const message = directMessage({
      attachments: [voice, voice],
      fwd_messages: [foreign(7000098, 'а'.repeat(MAX_QUOTED_CHARACTERS - 10), { attachments: [voice] })],
    });
    const heard = message?.attachments[0]?.transcripts ?? [];
    expect(heard.join('').length).toBeLessThanOrEqual(6000);
    expect(message?.quoted?.[0]).toMatchObject({
      cut: true,
      attachments: [{ kind: 'audio_message', count: 1 }],
    });
    expect(message?.quoted?.[0]?.attachments?.[0]?.transcripts).toBeUndefined();
  });
});
