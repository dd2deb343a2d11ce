import { describe, expect, it } from 'vitest';
import { normaliseText, tokenise } from '../../../lambdas/domain/classifier/normalise.js';
import { stem } from '../../../lambdas/domain/classifier/stem.js';

describe('normaliseText', () => {
  it('lowers case and folds ё into е', () => {
    expect(normaliseText('ЁЛКИ во Дворе')).toBe('елки во дворе');
  });
  it('drops VK mentions, links, emoji and HTML remnants', () => {
    expect(
      normaliseText('[club123|Администрация], смотрите https://vk.com/wall-1_2 😡👍🏻 <br/>яма&nbsp;тут'),
    ).toBe(', смотрите яма тут');
  });
  it('folds repeated punctuation and spaces', () => {
    expect(normaliseText('Когда   уберут снег???!!!')).toBe('когда уберут снег?!');
  });
  it('ends no sentence at the dot of an abbreviation, and keeps the words apart', () => {
    expect(normaliseText('Дед живёт на ул. Суворова, д.5, третий день не выходит')).toBe(
      'дед живет на ул суворова, д 5, третий день не выходит',
    );
    expect(normaliseText('когда в п.Невидимка будет газ, и т.д. Спасибо')).toBe(
      'когда в п невидимка будет газ, и т д спасибо',
    );
    // A word that merely ends in the same letters ends its sentence.
    expect(normaliseText('Прорвало трубу. Дом 5')).toBe('прорвало трубу. дом 5');
    expect(tokenise(normaliseText('в п.Невидимка'))).toEqual(tokenise('в п.невидимка'));
  });
});

describe('tokenise', () => {
  it('keeps words and hyphenated words, and folds numbers into one token', () => {
    expect(tokenise('дом 25 на северо-западе, кв.7')).toEqual([
      'дом',
      '<num>',
      'на',
      'северо-западе',
      'кв',
      '<num>',
    ]);
  });
});

describe('stem', () => {
  it('folds inflections of one word into one stem', () => {
    expect(stem('отопления')).toBe(stem('отоплением'));
    expect(stem('поликлиники')).toBe(stem('поликлинику'));
  });
});
