import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Category } from '../../lambdas/domain/taxonomy.js';

/** One row of the Perm appeals file, reduced to what training needs. */
export interface Appeal {
  rowId: string;
  text: string;
  /** undefined when operators left the topic group empty. */
  category: Category | undefined;
  /** undefined when operators set no fine topic; true for the `★` (shortened deadline) topics. */
  priorityTopic: boolean | undefined;
  /** The fine topic, undefined when operators set none. */
  topic: string | undefined;
}

/** The training data, in the read-only shared/ folder beside the project (never copied into it). */
export const DEFAULT_DATASET = fileURLToPath(
  new URL('../../../shared/data/appeals/perm_appeals_train.csv', import.meta.url),
);

/** taxonomy.md: each Perm `topic_group` onto a category code. */
const TOPIC_GROUP_CATEGORY: Readonly<Record<string, Category>> = {
  ЖКХ: 'housing',
  'Газ и топливо': 'housing',
  Электроснабжение: 'housing',
  Дороги: 'roads',
  'Общественный транспорт': 'transport',
  Благоустройство: 'improvement',
  'Мусор/Свалки/ТКО': 'waste',
  'Здравоохранение/Медицина': 'health',
  Коронавирус: 'health',
  Роспотребнадзор: 'health',
  'Социальное обслуживание и защита': 'social',
  Мобилизация: 'social',
  Образование: 'education',
  Безопасность: 'safety',
  Экология: 'ecology',
  'Связь и телевидение': 'telecom',
  'Строительство и архитектура': 'construction',
  Культура: 'culture_sport',
  'Физическая культура и спорт': 'culture_sport',
  'Памятники и объекты культурного наследия': 'culture_sport',
  'Экономика и бизнес': 'economy',
  Торговля: 'economy',
  'Государственная собственность': 'economy',
  'МФЦ "Мои документы"': 'other',
  'Погребение и похоронное дело': 'other',
  Спецпроекты: 'other',
};

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(content: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < content.length; i++) {
    const char = content[i];
    if (quoted) {
      if (char === '"' && content[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && content[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** An appeals file that cannot be trained on: the message names the file and what is wrong with it. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

const COLUMNS = ['row_id', 'text', 'topic_group', 'topic'] as const;

export function loadAppeals(path = DEFAULT_DATASET): Appeal[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DatasetError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const [header, ...rows] = parseCsv(content);
  if (!header)
    throw new DatasetError(`${path} is empty: expected a CSV with the columns ${COLUMNS.join(', ')}`);
  const column = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0)
      throw new DatasetError(
        `${path} has no column ${name}: expected a CSV with the columns ${COLUMNS.join(', ')}`,
      );
    return index;
  };
  const [rowId, text, group, topic] = COLUMNS.map(column) as [number, number, number, number];
  const appeals = rows
    .filter((row) => row.length > 1)
    .map((row) => {
      const groupName = row[group] ?? '';
      const topicName = row[topic] ?? '';
      const category = TOPIC_GROUP_CATEGORY[groupName];
      if (groupName !== '' && category === undefined)
        throw new DatasetError(
          `${path}: the appeal with row_id ${row[rowId]} has an unknown topic_group "${groupName}" (the known ones: scripts/classifier/dataset.ts, TOPIC_GROUP_CATEGORY)`,
        );
      return {
        rowId: row[rowId] ?? '',
        text: row[text] ?? '',
        category,
        priorityTopic: topicName === '' ? undefined : topicName.startsWith('★'),
        topic: topicName === '' ? undefined : topicName,
      };
    });
  // A model trained on no labelled appeal would classify nothing, and would replace the shipped one.
  if (!appeals.some((appeal) => appeal.category !== undefined))
    throw new DatasetError(`${path} has no appeal with a topic_group: nothing to learn from`);
  return appeals;
}
