import { describe, expect, it } from 'vitest';
import type { Category } from '../../../lambdas/domain/taxonomy.js';
import { labelAgreement } from '../../../scripts/classifier/agreement.js';
import type { Appeal } from '../../../scripts/classifier/dataset.js';

const appeal = (text: string, category: Category | undefined): Appeal => ({
  rowId: text,
  text,
  category,
  priorityTopic: undefined,
  topic: undefined,
});

describe('label agreement among texts that are the same or nearly so', () => {
  it('pairs copies and near copies, and counts those labelled alike', () => {
    const copy = 'Во дворе дома 5 по улице Лесной не вывозят мусор уже неделю';
    const agreement = labelAgreement([
      appeal(copy, 'waste'),
      appeal(`${copy}!`, 'waste'),
      appeal(`${copy}, помогите`, 'improvement'),
      appeal('На остановке у школы разбито стекло павильона, дует ветер', 'transport'),
    ]);
    // Three texts pair up three ways; one pair of the three carries the same category.
    expect(agreement).toEqual({ pairs: 3, agreeing: 1 });
  });

  it('leaves out short follow-ups, unlabelled rows and texts that only share a few words', () => {
    const agreement = labelAgreement([
      appeal('Да, спасибо', 'housing'),
      appeal('Да, спасибо', 'roads'),
      appeal('Не вывозят мусор во дворе дома 5 уже неделю', undefined),
      appeal('Не вывозят мусор во дворе дома 5 уже неделю', 'waste'),
      appeal('Не убирают снег во дворе дома 5 уже неделю, машины не проехать', 'improvement'),
    ]);
    expect(agreement).toEqual({ pairs: 0, agreeing: 0 });
  });
});
