import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import * as words from '../../../lambdas/domain/outbox/acknowledgement/words.js';
import { answerPrefixOf } from '../../../lambdas/domain/outbox/answer-prefix.js';

const SHIPPED = ['config/dev.json', 'config/local.json', 'config/prod.json'];

/** Every string under a value, with where it sits. */
function stringsOf(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsOf(item, `${path}[${index}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => stringsOf(item, `${path}.${key}`));
  return [];
}

/** The words the product writes to a citizen: its defaults, and those the shipped configurations set. */
function citizenTexts(): [string, string][] {
  const defaults = Object.entries(words).flatMap(([name, value]) =>
    typeof value === 'string' ? [[name, value] as [string, string]] : [],
  );
  const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');
  const inquiry = { groupId: config.communities[0]?.groupId, caseNumber: '2026-004217' } as Inquiry;
  const prefix: [string, string] = ['answer prefix', answerPrefixOf(inquiry, config) ?? ''];
  const shipped = SHIPPED.flatMap((file) => {
    const { communities } = JSON.parse(readFileSync(file, 'utf8')) as { communities: object[] };
    return communities.flatMap((community, index) =>
      stringsOf(
        'acknowledgement' in community ? community.acknowledgement : undefined,
        `${file}: communities[${index}].acknowledgement`,
      ),
    );
  });
  return [...defaults, prefix, ...shipped];
}

describe("the citizen's words", () => {
  const texts = citizenTexts();

  it('are found: every default and every shipped acknowledgement', () => {
    expect(texts.length).toBeGreaterThanOrEqual(10 + 1 + 3 * 10);
  });

  // Official correspondence to one person writes "Вы" and its forms with a capital (Rosenthal, "Прописные
  // буквы в обращениях"), and the sentence-initial "Ваше" cannot say which form the body uses: "вам" after it
  // reads as the casual one.
  it('address the citizen as "Вы", capitalised, in every form', () => {
    const lower = /(?<![А-Яа-яЁё])(?:вы|вас|вам|вами|ваш(?:е|его|ему|ем|а|ей|у|и|их|им|ими)?)(?![А-Яа-яЁё])/u;
    for (const [where, text] of texts) expect(text, where).not.toMatch(lower);
  });

  it('keep to plain Russian typography: no double spaces, a spaced dash, no straight quotes, no Latin words', () => {
    for (const [where, text] of texts) {
      expect(text, where).not.toMatch(/ {2}/);
      expect(text, where).not.toMatch(/\S—|—\S|\s-\s/);
      expect(text, where).not.toMatch(/["']/);
      expect(text.replace(/\{[A-Za-z]+\}/g, ''), where).not.toMatch(/[A-Za-z]/);
    }
  });
});
