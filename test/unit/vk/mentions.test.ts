import { describe, expect, it } from 'vitest';
import {
  ERASED_MENTION,
  mentionedPeople,
  mentions,
  passagesWithoutMentionsOf,
  withoutMentionsOf,
} from '../../../lambdas/domain/vk/mentions.js';

const ERASED = 123;

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
    for (const text of [
      '[club123|Администрация], когда вывезут мусор?',
      '[public123|Администрация] и @club123',
      '[id1234|Пётр Сидоров], спасибо',
      '@id1234 (Пётр) и *id12',
      '[id45|Анна], пишите на почту',
      'Дом 123, квартира id123 без разметки',
    ])
      expect(withoutMentionsOf(text, ERASED)).toBe(text);
    expect(withoutMentionsOf('[id1234|Пётр] и [id123|Иван]', ERASED)).toBe(
      `[id1234|Пётр] и ${ERASED_MENTION}`,
    );
  });

  it('tells whom a text mentions, and whether it mentions someone', () => {
    expect([...mentionedPeople('[id123|Иван], [club5|Адм], @id77 (Оля), *id8 и [id1234|Пётр]')]).toEqual([
      123, 77, 8, 1234,
    ]);
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
