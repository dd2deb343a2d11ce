import { describe, expect, it } from 'vitest';
import {
  type AnswerTemplate,
  byTitle,
  TEMPLATE_TEXT_MAX_LENGTH,
} from '../../../lambdas/domain/operator/answer-templates.js';

const template = (id: string, title: string): AnswerTemplate => ({
  id,
  department: 'housing',
  title,
  text: 'Текст',
  version: 1,
  updatedAt: '2026-12-01T00:00:00.000Z',
  updatedBy: { id: 'sub', name: 'Оператор' },
});

describe("a department's answer templates", () => {
  it('are listed by title as a Russian reader looks for them, whatever the machine’s locale', () => {
    const titles = ['Шаблон 10', 'вне компетенции', 'Шаблон 2', 'Авария', 'ёлка', 'Zebra', 'Отключение воды'];
    const sorted = titles.map((title, index) => template(`t${index}`, title)).sort(byTitle);
    // Cyrillic before Latin, as Russian collation has it.
    expect(sorted.map((each) => each.title)).toEqual([
      'Авария',
      'вне компетенции',
      'ёлка',
      'Отключение воды',
      'Шаблон 2',
      'Шаблон 10',
      'Zebra',
    ]);
  });

  it('of one title are ordered by id, so that every request lists them alike', () => {
    const sorted = [template('b', 'Отключение'), template('a', 'отключение')].sort(byTitle);
    expect(sorted.map((each) => each.id)).toEqual(['a', 'b']);
  });

  it('hold at most what a reply takes after the default line with a case number such as 2026-004217', () => {
    // VK's 9000 less "По обращению № 2026-004217:" (27 characters) and its line break.
    expect(TEMPLATE_TEXT_MAX_LENGTH).toBe(8972);
  });
});
