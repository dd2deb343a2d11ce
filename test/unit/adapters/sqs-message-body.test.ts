import fc from 'fast-check';
import { expect, it } from 'vitest';
import * as z from 'zod';
import {
  readSqsMessageBody,
  stringFieldOfBody,
  toSqsMessageBody,
  UnreadableMessage,
} from '../../../lambdas/adapters/sqs-message-body.js';

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

const WORDS = 'Во дворе дома 12 не горит фонарь';
const schema = z.object({ id: z.string(), kind: z.enum(['a', 'b']), items: z.array(z.number()) });

/** The error reading a body throws. */
const errorReading = (body: string): unknown => {
  try {
    readSqsMessageBody(body, schema, 'a test message');
  } catch (error) {
    return error;
  }
  throw new Error('the body was read');
};

it('reads a body that fits its schema', () => {
  const message = { id: 'm-1', kind: 'a', items: [1, 2] };
  expect(readSqsMessageBody(toSqsMessageBody(message), schema, 'a test message')).toEqual(message);
});

it('says a body is not JSON without quoting it, as JSON.parse would', () => {
  const error = errorReading(`${WORDS} {`);
  expect(error).toBeInstanceOf(UnreadableMessage);
  expect(error).toMatchObject({ name: 'UnreadableMessage', message: 'the body is not JSON' });
});

it('names the paths and kinds of the faults of a body that does not fit, never what they hold', () => {
  const error = errorReading(JSON.stringify({ id: WORDS, kind: WORDS, items: [1, WORDS] }));
  expect(error).toMatchObject({
    name: 'UnreadableMessage',
    message: 'not a test message (kind: invalid_value, items.1: invalid_type)',
  });
  expect(errorReading(JSON.stringify(WORDS))).toMatchObject({
    message: 'not a test message (body: invalid_type)',
  });
});

it('finds a string field of a body for the log, and nothing in a body that is not JSON or has none', () => {
  expect(stringFieldOfBody(JSON.stringify({ id: 'm-1', n: 1 }), 'id')).toBe('m-1');
  expect(stringFieldOfBody(JSON.stringify({ id: 'm-1', n: 1 }), 'n')).toBeUndefined();
  expect(stringFieldOfBody(`${WORDS} {`, 'id')).toBeUndefined();
  expect(stringFieldOfBody('null', 'id')).toBeUndefined();
});
