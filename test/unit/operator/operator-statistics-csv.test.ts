import { describe, expect, it } from 'vitest';
import type { DepartmentOperators } from '../../../lambdas/domain/operator/operator-statistics.js';
import {
  OPERATOR_COLUMNS,
  operatorStatisticsCsv,
  UNCREDITED_NAME,
} from '../../../lambdas/domain/operator/operator-statistics-csv.js';
import type { AnswerFigures } from '../../../lambdas/domain/operator/statistics.js';

const figures = (fields: Partial<AnswerFigures> = {}): AnswerFigures => ({
  count: 3,
  medianMinutes: 12.5,
  p90Minutes: 95,
  medianWorkingMinutes: 10,
  p90WorkingMinutes: 61.3,
  inTime: 2,
  late: 1,
  inTimeShare: 0.667,
  ...fields,
});

const housing: DepartmentOperators = {
  department: 'housing',
  operators: [
    { id: 'sub-anna', name: 'Анна Петрова', answered: 3, resolution: figures(), holding: 1 },
    { id: 'sub-ivan', name: '=Иван', answered: 0, resolution: figures({ count: 0 }), holding: 2 },
  ],
  uncredited: {
    answered: 2,
    resolution: figures({ count: 2, medianMinutes: null, inTimeShare: null }),
    holding: 0,
  },
};

/** The file's rows, each split into its cells (none of them quoted here). */
const rowsOf = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => line.split(';'));

describe('the operators’ figures as a spreadsheet', () => {
  it('writes a row per operator, then the department’s row of what no one is credited with', () => {
    const text = operatorStatisticsCsv([housing], (id) => ({ housing: 'ЖКХ' })[id]);
    expect(text.startsWith('\uFEFFКод отдела;Отдел;ID оператора;Оператор;Ответов;')).toBe(true);
    const [header, anna, ivan, uncredited, ...more] = rowsOf(text);
    expect(more).toEqual([]);
    expect(header).toHaveLength(OPERATOR_COLUMNS.length);
    const cells = (row: string[] | undefined) =>
      Object.fromEntries((header ?? []).map((name, n) => [name, row?.[n]]));
    expect(cells(anna)).toMatchObject({
      'Код отдела': 'housing',
      Отдел: 'ЖКХ',
      'ID оператора': 'sub-anna',
      Оператор: 'Анна Петрова',
      Ответов: '3',
      'Ответ по существу: медиана, мин': '12,5',
      'Ответ по существу: доля в срок': '0,667',
      'В работе сейчас': '1',
    });
    // A name that would start a formula is written after a quote mark.
    expect(cells(ivan)).toMatchObject({ Оператор: "'=Иван", Ответов: '0', 'В работе сейчас': '2' });
    expect(cells(uncredited)).toMatchObject({
      'ID оператора': '',
      Оператор: UNCREDITED_NAME,
      Ответов: '2',
      'Ответ по существу: медиана, мин': '',
      'Ответ по существу: доля в срок': '',
      'В работе сейчас': '0',
    });
  });

  it('leaves the name of a department no longer configured empty, its id still given', () => {
    const [, anna] = rowsOf(operatorStatisticsCsv([housing], () => undefined));
    expect(anna?.slice(0, 2)).toEqual(['housing', '']);
  });
});
