import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../../lambdas/domain/classifier/normalise.js';
import { PRIORITY_RULES, priorityThemes } from '../../../lambdas/domain/classifier/priority-rules.js';
import { readFixture, readFixtureRows } from './fixtures.js';

/** Hand-written phrasings of each shortened-deadline theme (never rows of the training data). */
const examples = readFixtureRows<{ text: string; theme: string }>('high.jsonl');

const themes = (text: string): string[] => priorityThemes(normaliseText(text));

describe('shortened-deadline themes', () => {
  it.each(examples.map((example) => [example.theme, example.text]))('%s: %s', (theme, text) => {
    expect(themes(text)).toContain(theme);
  });

  it('has an example for every theme', () => {
    expect(new Set(examples.map((example) => example.theme))).toEqual(
      new Set(PRIORITY_RULES.map((rule) => rule.name)),
    );
  });

  it.each([...readFixture('not-high.jsonl'), ...readFixture('not-inquiries.jsonl')])(
    'no theme: %s',
    (text) => {
      expect(themes(text)).toEqual([]);
    },
  );

  it('needs a medical context to call a refusal medical', () => {
    expect(themes('Нам отказали в приёме документов на субсидию')).toEqual([]);
    expect(themes('Нам отказали в приёме у терапевта без полиса')).toEqual(['medical help refused']);
  });

  it('does not take a word that merely contains a cue for the cue', () => {
    expect(themes('Где купить глюкометр по льготе?')).toEqual([]);
    expect(themes('Очистные сооружения посёлка давно пора обновить')).toEqual([]);
    // "мне оказали" holds "не оказали", and "мне вызвать врача" holds "не вызвать врача".
    expect(themes('Спасибо врачу, что мне оказали помощь в поликлинике')).toEqual([]);
    expect(themes('Каким образом мне вызвать врача на дом?')).toEqual([]);
  });
});
