import { describe, expect, it } from 'vitest';
import { classify } from '../../../lambdas/adapters/classifier-model.js';
import { wordsOf } from '../../../lambdas/domain/vk/quoted.js';
import { readFixture } from './fixtures.js';

const FIXTURES = [
  'categories.jsonl',
  'critical.jsonl',
  'high.jsonl',
  'inquiries.jsonl',
  'not-critical.jsonl',
  'not-high.jsonl',
  'not-inquiries.jsonl',
  'not-thin-categories.jsonl',
  'thin-categories.jsonl',
];

describe('the words a message of one part is classified on', () => {
  it('are its text as typed: every hand-written phrasing is classified through them as it is alone', () => {
    const changed = FIXTURES.flatMap((name) => readFixture(name)).filter((text) => {
      const words = wordsOf({ groupId: 1, text });
      const [typed, joined] = [classify(text), classify(words)];
      return (
        typed.inquiry !== joined.inquiry ||
        typed.category !== joined.category ||
        typed.priority !== joined.priority
      );
    });
    expect(changed).toEqual([]);
  });

  it('keep a greeting that ends in an emoji a greeting, and read a part followed by another as a sentence', () => {
    expect(classify(wordsOf({ groupId: 1, text: 'С днём медика всех врачей 💐' })).inquiry).toBe(false);
    expect(wordsOf({ groupId: 1, text: 'С днём медика 💐', quoted: [] })).toBe('С днём медика 💐');
    const words = wordsOf({
      groupId: 1,
      text: 'Год назад уже писала вам про подъезд',
      attachments: [{ kind: 'audio_message', count: 1, transcripts: ['в подъезде сильно пахнет газом'] }],
    });
    expect(words).toBe('Год назад уже писала вам про подъезд.\n\nв подъезде сильно пахнет газом');
    expect(classify(words).priority).toBe('critical');
  });
});
