import { expect, it } from 'vitest';
import { errorSummary } from '../../lambdas/domain/error-summary.js';

const WORDS = 'Во дворе дома 12 не горит фонарь, мой телефон 8 912 000-11-22';

/** The error JSON.parse throws for a text. */
const parseError = (text: string): unknown => {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error(`${text} is JSON`);
};

it('keeps a JSON syntax error’s kind and drops the text it quotes', () => {
  for (const text of [WORDS, `"${WORDS}`, `'${WORDS}'`, `{"text": "${WORDS}" "x"}`, `[1, ${WORDS}]`]) {
    const summary = errorSummary(parseError(text));
    expect(summary.name).toBe('SyntaxError');
    expect(summary.message).not.toMatch(/[А-яЁё]|912/);
  }
  expect(errorSummary(parseError(WORDS))).toEqual({
    name: 'SyntaxError',
    message: 'Unexpected token … is not valid JSON',
  });
  // JSON's own punctuation goes with the rest: where the fault is stays.
  expect(errorSummary(parseError('{"a": 1 2'))).toEqual({
    name: 'SyntaxError',
    message: 'Expected … after property value in JSON at position 8',
  });
});

it('keeps the start of any other error’s message, and names what is not an error by its type', () => {
  expect(errorSummary(new TypeError('x'.repeat(400)))).toEqual({
    name: 'TypeError',
    message: 'x'.repeat(300),
  });
  expect(errorSummary('boom')).toEqual({ name: 'string' });
});
