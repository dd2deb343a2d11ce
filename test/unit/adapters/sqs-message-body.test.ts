import fc from 'fast-check';
import { expect, it } from 'vitest';
import { toSqsMessageBody } from '../../../lambdas/adapters/sqs-message-body.js';

/** Every character SQS stores, as its SendMessage reference lists them. */
const SQS_ALLOWED = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** The same without the characters above U+FFFF: what fauxqs, the local emulator, stores. */
const FAUXQS_ALLOWED = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]*$/;

it('writes emoji and the characters SQS refuses as JSON escapes that read back as the same text', () => {
  const message = { text: 'Спасибо 👍🏻 за ответ\uFFFF\uFFFE', nested: { emoji: ['🙂', '𝒜'] } };
  const body = toSqsMessageBody(message);
  expect(body).toMatch(FAUXQS_ALLOWED);
  expect(body).toContain('Спасибо');
  expect(body).toContain('\\ud83d\\udc4d');
  expect(body).toContain('\\uffff');
  expect(JSON.parse(body)).toEqual(message);
});

it('leaves a message without such characters exactly as JSON.stringify writes it', () => {
  const message = { eventKey: 'message_new:1:2', text: 'Не вывозят мусор, «срочно»! \\ "кавычки"' };
  expect(toSqsMessageBody(message)).toBe(JSON.stringify(message));
});

it('gives, for any text, a body SQS and fauxqs store and that reads back as the same message', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme' }),
      (raw, text) => {
        const message = { raw, text, [raw]: 1 };
        const body = toSqsMessageBody(message);
        expect(body).toMatch(SQS_ALLOWED);
        expect(body).toMatch(FAUXQS_ALLOWED);
        expect(JSON.parse(body)).toEqual(message);
      },
    ),
    { numRuns: 2000 },
  );
});
