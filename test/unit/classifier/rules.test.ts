import { describe, expect, it } from 'vitest';
import { ruledCategory } from '../../../lambdas/domain/classifier/category-rules.js';
import { dangerSigns } from '../../../lambdas/domain/classifier/critical.js';
import { normaliseText } from '../../../lambdas/domain/classifier/normalise.js';
import { notInquiryReason } from '../../../lambdas/domain/classifier/not-inquiry.js';
import { readFixture, readFixtureRows } from './fixtures.js';

const danger = (text: string): string[] => dangerSigns(normaliseText(text));
const notInquiry = (text: string) => notInquiryReason(normaliseText(text));

describe('critical phrasings', () => {
  it.each(readFixture('critical.jsonl'))('is critical: %s', (text) => {
    expect(danger(text)).not.toEqual([]);
  });
  it.each([...readFixture('not-critical.jsonl'), ...readFixture('inquiries.jsonl')])(
    'is not critical: %s',
    (text) => {
      expect(danger(text)).toEqual([]);
    },
  );
});

describe('not an inquiry', () => {
  it.each(readFixture('not-inquiries.jsonl'))('is not an inquiry: %s', (text) => {
    expect(notInquiry(text)).toBeDefined();
  });
  it.each([...readFixture('inquiries.jsonl'), ...readFixture('critical.jsonl')])(
    'stays an inquiry: %s',
    (text) => {
      expect(notInquiry(text)).toBeUndefined();
    },
  );
});

describe('categories the training data cannot teach', () => {
  const ruled = (text: string) => ruledCategory(normaliseText(text));

  it.each(readFixtureRows<{ text: string; category: string }>('thin-categories.jsonl'))(
    'names $category: $text',
    ({ text, category }) => {
      expect(ruled(text)).toBe(category);
    },
  );
  it.each([
    ...readFixture('not-thin-categories.jsonl'),
    ...readFixture('categories.jsonl'),
    ...readFixture('critical.jsonl'),
  ])('names no category: %s', (text) => {
    expect(ruled(text)).toBeUndefined();
  });
});
