import { describe, expect, it } from 'vitest';
import {
  ERASED_MENTION,
  mentionedPeople,
  mentions,
  passagesWithoutMentionsOf,
  withoutMentionsOf,
} from '../../../lambdas/domain/vk/mentions.js';

const ERASED = 123;

/** Each link, in the middle of a sentence, becomes the marker, the sentence around it kept. */
function expectEachLinkReplaced(links: string[]): void {
  for (const link of links)
    expect(withoutMentionsOf(`Это ${link} пишет нам`, ERASED), link).toBe(`Это ${ERASED_MENTION} пишет нам`);
}

/** Each text names someone else, or nobody: it stays as it is. */
function expectEachKept(texts: string[]): void {
  for (const text of texts) expect(withoutMentionsOf(text, ERASED), text).toBe(text);
}

describe('mentions of a person in a VK text', () => {
  it('replaces each form VK writes, with the name shown, by one marker', () => {
    expect(withoutMentionsOf('[id123|Иван Петров], спасибо, у нас то же самое', ERASED)).toBe(
      `${ERASED_MENTION}, спасибо, у нас то же самое`,
    );
    expect(withoutMentionsOf('[id123|@ivan] и [id123|Ваня] правы', ERASED)).toBe(
      `${ERASED_MENTION} и ${ERASED_MENTION} правы`,
    );
    expect(withoutMentionsOf('Спросите @id123 (Иван), он звонил', ERASED)).toBe(
      `Спросите ${ERASED_MENTION}, он звонил`,
    );
    expect(withoutMentionsOf('Спросите @id123 или *id123, они знают', ERASED)).toBe(
      `Спросите ${ERASED_MENTION} или ${ERASED_MENTION}, они знают`,
    );
    expect(withoutMentionsOf('Как писал [id123|Иван Петров]: «яма на Ленина, 5»', ERASED)).not.toMatch(
      /123|Иван|Петров/,
    );
  });

  it("leaves a community's mention, other people's, and ids that merely start with the same digits", () => {
    expectEachKept([
      '[club123|Администрация], когда вывезут мусор?',
      '[public123|Администрация] и @club123',
      '[id1234|Пётр Сидоров], спасибо',
      '@id1234 (Пётр) и *id12',
      '[id45|Анна], пишите на почту',
      'Дом 123, квартира id123 без разметки',
      // A short name that starts as an id does (`@id123abc`), whose owner only a call to VK tells.
      '@id123abc и *id123_x',
    ]);
    expect(withoutMentionsOf('[id1234|Пётр] и [id123|Иван]', ERASED)).toBe(
      `[id1234|Пётр] и ${ERASED_MENTION}`,
    );
  });

  it("replaces a link to their page or their dialogue, with what follows the address, and nobody else's", () => {
    expectEachLinkReplaced([
      'vk.com/id123',
      'https://vk.com/id123',
      'http://m.vk.com/id123',
      'www.vk.com/id123',
      'vk.ru/id123',
      'https://m.vk.ru/id123',
      'https://vk.com/id123?w=wall123_45',
      'https://vk.com/id123#photos',
      'HTTPS://VK.COM/ID123',
      'vk.com/write123',
      'https://vk.com/write123?text=привет',
    ]);
    // Punctuation after the address ends the sentence, not the link.
    expect(
      withoutMentionsOf('Его страница (vk.com/id123), а пост: https://vk.com/id123?w=wall123_45.', ERASED),
    ).toBe(`Его страница (${ERASED_MENTION}), а пост: ${ERASED_MENTION}.`);
    expect(withoutMentionsOf('Есть ли у вас vk.com/id123?', ERASED)).toBe(`Есть ли у вас ${ERASED_MENTION}?`);
    expectEachKept([
      'vk.com/id1234 и https://vk.com/id1234?w=wall1234_45',
      'vk.com/id12 и vk.com/write12',
      'vk.com/id123abc',
      'vk.com/write-123, пишите сообществу',
      'vk.com/club123 и vk.com/public123',
      'notvk.com/id123 и vk.com.evil.ru/id123 и evil.ru/vk.com',
      'vk.com/ivanov',
    ]);
  });

  it("replaces a link to their wall's post, their photo or video, or their messenger's dialogue, and not a community's", () => {
    expectEachLinkReplaced([
      'vk.com/wall123_45',
      'https://vk.com/wall123_45?reply=67',
      'https://m.vk.com/photo123_456789',
      'https://vk.com/video123_456239017',
      'https://vk.com/ivanov?w=wall123_45',
      'https://vk.com/feed?z=photo123_456%2Fphotos123',
      'https://vk.com/club5?w=wall123_45',
      'https://vk.com/feed#w=wall123_45',
      'https://vk.com/im?sel=123',
      'https://vk.com/im?peers=5&sel=123',
      'https://vk.com/im/convo/123?entrypoint=list_all',
      'http://vkontakte.ru/id123',
      'https://vk.me/id123',
      'HTTPS://VK.COM/WALL123_45',
    ]);
    expect(withoutMentionsOf('Фото тут: vk.com/photo123_456.', ERASED)).toBe(`Фото тут: ${ERASED_MENTION}.`);
    expectEachKept([
      // A community's wall, photo, video or dialogue: its id is negative.
      'https://vk.com/wall-123_45 и vk.com/photo-123_456 и vk.com/video-123_7',
      'https://vk.com/club123?w=wall-123_45 и https://vk.com/im?sel=-123 и vk.com/im/convo/-123',
      // Another person's, and the post numbered 123 of another wall.
      'vk.com/wall1234_5 и vk.com/photo12_3 и vk.com/wall5_123 и https://vk.com/im?sel=1234',
      'vkontakte.ru/id1234 и vk.me/id12 и vk.me/ivanov',
      'vk.com/wallpaper123_4 и notvk.me/id123',
    ]);
  });

  it("replaces a link to their photos, albums, videos, audio, friends, gifts or wall, and not a community's", () => {
    expectEachLinkReplaced([
      'https://vk.com/photos123',
      'vk.com/albums123',
      'https://vk.com/albums123?profile=1',
      'vk.com/album123_0',
      'https://vk.com/album123_281940823',
      'https://vk.com/ivanov?z=album123_0',
      'https://vk.com/videos123',
      'https://m.vk.com/audios123',
      'https://vk.com/friends?id=123&section=all',
      'https://vk.com/friends?section=subscribers&id=123',
      'vk.com/gifts123',
      'https://vk.com/tag123',
      'https://vk.com/wall123',
      'https://vk.com/wall123?own=1',
      'https://vk.com/doc123_456789?hash=abc',
      'HTTPS://VK.COM/PHOTOS123',
    ]);
    expect(withoutMentionsOf('Его альбомы: vk.com/albums123.', ERASED)).toBe(
      `Его альбомы: ${ERASED_MENTION}.`,
    );
    expectEachKept([
      // A community's: its id is negative.
      'vk.com/photos-123 и vk.com/albums-123 и vk.com/album-123_4 и vk.com/videos-123 и vk.com/audios-123',
      'vk.com/wall-123 и vk.com/doc-123_4 и https://vk.com/app5898182_-123',
      // Another person's, and the album numbered 123 of another page.
      'vk.com/photos1234 и vk.com/albums12 и vk.com/album5_123 и vk.com/videos1234 и vk.com/audios12',
      'https://vk.com/friends?id=1234&section=all и vk.com/gifts1234 и vk.com/tag12',
      'vk.com/wall1234 и vk.com/doc5_123',
    ]);
    expect([
      ...mentionedPeople(
        'vk.com/photos11, vk.com/album12_0, vk.com/friends?id=13, vk.com/videos-14 и vk.com/gifts15',
      ),
    ]).toEqual([11, 12, 13, 15]);
  });

  it("replaces a link to their clip, story, audio, market or product, and not a community's", () => {
    expectEachLinkReplaced([
      'https://vk.com/clip123_456240946',
      'https://vk.com/clips-74006511?z=clip123_456247211',
      'https://vk.com/story123_456239017',
      'https://m.vk.com/story123_456239017?access_key=abc',
      'https://vk.com/audio123_456239017',
      'https://vk.com/market123',
      'https://vk.com/market123?section=album_2',
      'https://vk.com/market123_4567',
      'https://vk.com/market123?w=product123_4567',
      'https://vk.com/product123_4567',
      'HTTPS://VK.COM/CLIP123_4',
    ]);
    expect(withoutMentionsOf('Его клип: vk.com/clip123_4.', ERASED)).toBe(`Его клип: ${ERASED_MENTION}.`);
    expectEachKept([
      // A community's: its id is negative.
      'https://vk.com/clip-123_456 и vk.com/story-123_4 и vk.com/audio-123_4 и vk.com/market-123',
      'https://vk.com/market-123?w=product-123_4 и vk.com/market-123_4 и vk.com/product-123_4',
      // Another person's, and the clip or story numbered 123 of another page.
      'vk.com/clip1234_5 и vk.com/story12_3 и vk.com/clip5_123 и vk.com/story5_123 и vk.com/audio5_123',
      'vk.com/market1234 и vk.com/market12_3 и vk.com/product5_123',
      // A page of no one's: a list of clips or of a market's goods, a word that only starts the same.
      'vk.com/clips и vk.com/market и vk.com/storyteller123_4 и vk.com/audios5_123',
    ]);
  });

  it("replaces a link to their communities' list or to an article of their page, and not a community's", () => {
    expectEachLinkReplaced([
      'https://vk.com/groups?id=123',
      'https://vk.com/groups?act=all&id=123',
      'https://m.vk.com/groups?id=123#list',
      'https://vk.com/@id123',
      'https://vk.com/@id123-kak-my-dobilis-remonta',
      'https://m.vk.com/@id123-kak-my-dobilis-remonta?ref=feed',
      'HTTPS://VK.COM/@ID123-ZAMETKA',
    ]);
    expect(withoutMentionsOf('Статья: vk.com/@id123-remont.', ERASED)).toBe(`Статья: ${ERASED_MENTION}.`);
    expectEachKept([
      // A community's article, by its address.
      'vk.com/@club123-novosti и vk.com/@public123-novosti и vk.com/@sgips-tri-istorii',
      // Another person's, a short name that only starts like an id, and the list of one's own communities.
      'vk.com/groups?id=1234 и vk.com/@id1234-remont и vk.com/@id12 и vk.com/@id123abc и vk.com/groups',
    ]);
    expect([
      ...mentionedPeople(
        'vk.com/clip11_1, vk.com/story12_2, vk.com/audio13_3, vk.com/market14, vk.com/groups?id=15, vk.com/@id16-a',
      ),
    ]).toEqual([11, 12, 13, 14, 15, 16]);
  });

  it("keeps an e-mail's address, which is no typed mention", () => {
    expectEachKept([
      'Пишите на ivan@id123.ru',
      'почта: ivan.petrov@id123',
      'ivan_2@ID123.com',
      // The local part may end in any of its characters.
      'ivan_@id123.ru, ivan-@id123.ru, ivan.@id123.ru, ivan+@id123.ru, ivan%@id123.ru',
    ]);
    expect(mentionedPeople('Пишите на ivan@id123.ru')).toEqual(new Set());
    expect(withoutMentionsOf('Спросите @id123, почта: ivan@id123.ru', ERASED)).toBe(
      `Спросите ${ERASED_MENTION}, почта: ivan@id123.ru`,
    );
  });

  it('replaces a mention however its letters are cased', () => {
    expect(withoutMentionsOf('Спросите @ID123, *Id123 или [iD123|Иван]', ERASED)).toBe(
      `Спросите ${ERASED_MENTION}, ${ERASED_MENTION} или ${ERASED_MENTION}`,
    );
    expect(withoutMentionsOf('@ID1234 (Пётр)', ERASED)).toBe('@ID1234 (Пётр)');
  });

  it('takes the name shown after a typed mention, and keeps a parenthesis that is no name', () => {
    for (const [typed, left] of [
      ['@id123 (Иван)', ''],
      ['@id123 (Иван Петров)', ''],
      ['*id123 (Анна-Мария Петрова-Водкина)', ''],
      ['@id123(Оля)', ''],
      ['@id123 (Оля 🌸)', ''],
      // A name is no shorter for being long: a patronymic, a double surname.
      ['@id123 (Александра Александровна Константинопольская)', ''],
      ['@id123 (Александра Константинопольская-Преображенская)', ''],
      // Digits, or more words than a name, are the writer's own words.
      ['@id123 (кв. 12)', ' (кв. 12)'],
      ['@id123 (звонил вчера весь день)', ' (звонил вчера весь день)'],
      [
        '@id123 (он звонил в управляющую компанию ещё вчера)',
        ' (он звонил в управляющую компанию ещё вчера)',
      ],
    ])
      expect(withoutMentionsOf(`Спросите ${typed}, он знает`, ERASED), typed).toBe(
        `Спросите ${ERASED_MENTION}${left}, он знает`,
      );
    // A parenthesis later in the sentence is no label.
    expect(withoutMentionsOf('@id123 звонил (вчера) и @id123, (да)', ERASED)).toBe(
      `${ERASED_MENTION} звонил (вчера) и ${ERASED_MENTION}, (да)`,
    );
  });

  it('tells whom a text mentions, and whether it mentions someone', () => {
    expect([
      ...mentionedPeople(
        '[id123|Иван], [club5|Адм], @id77 (Оля), *ID8, [id1234|Пётр], vk.com/id9 и vk.com/write10',
      ),
    ]).toEqual([123, 77, 8, 1234, 9, 10]);
    expect([
      ...mentionedPeople('vk.com/id11?w=wall12_3, vk.com/wall-13_4, vk.com/im?sel=14 и vk.com/ivanov'),
    ]).toEqual([11, 12, 14]);
    expect(mentions('[id123|Иван], да', ERASED)).toBe(true);
    expect(mentions('[id1234|Пётр], да', ERASED)).toBe(false);
    expect(mentions(undefined, ERASED)).toBe(false);
  });

  it("takes the mentions out of passed-on words, keeping the passages' places and the rest", () => {
    const quoted = [
      { kind: 'reply' as const, depth: 1, authorId: 45, text: '[id123|Иван], и у нас так' },
      { kind: 'forwarded' as const, depth: 1, authorId: 46, text: 'Контейнеры полные' },
    ];
    expect(passagesWithoutMentionsOf(quoted, ERASED)).toEqual([
      { ...quoted[0], text: `${ERASED_MENTION}, и у нас так` },
      quoted[1],
    ]);
    expect(passagesWithoutMentionsOf(quoted, 46)).toBe(quoted);
  });
});
