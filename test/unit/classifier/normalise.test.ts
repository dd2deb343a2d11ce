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
