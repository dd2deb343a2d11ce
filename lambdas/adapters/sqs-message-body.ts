import type * as z from 'zod';

/**
 * Characters a message body may not hold as they are: U+FFFE and U+FFFF, which SQS refuses, and those above
 * U+FFFF (emoji, in nearly every other citizen's message), which SQS takes but fauxqs, the local emulator,
 * refuses. SQS's allowed set: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 * JSON.stringify already escapes the control characters and lone surrogates.
 */
const NOT_AS_THEY_ARE = /[\uFFFE\uFFFF]|[\u{10000}-\u{10FFFF}]/gu;

/** `\uXXXX` for each UTF-16 unit: a character above U+FFFF becomes its surrogate pair. */
const escapeUnits = (text: string) => {
  let escaped = '';
  for (let index = 0; index < text.length; index++)
    escaped += `\\u${text.charCodeAt(index).toString(16).padStart(4, '0')}`;
  return escaped;
};

/**
 * A message as the JSON text of an SQS body that every SQS (and the emulator) stores: the characters above
 * written as JSON escapes, which read back as the same text. Without it, one U+FFFF in a citizen's message
 * would make every send of that event fail, so ingest would answer VK 503 on each retry, and VK pauses a
 * server after several errors in a row.
 */
export function toSqsMessageBody(message: unknown): string {
  return JSON.stringify(message).replace(NOT_AS_THEY_ARE, escapeUnits);
}

/**
 * A queue message that is not what its consumer reads: said by the paths and kinds of its faults, never by
 * its words.
 */
export class UnreadableMessage extends Error {
  override name = 'UnreadableMessage';
}

/**
 * The message an SQS body holds, as its consumer's schema reads it; `what` names it in the error when it does
 * not fit. The error is this one's own, not the parser's: JSON.parse's message quotes the start of the body
 * (`Unexpected token 'В', "Во дворе "... is not valid JSON`), which may be a citizen's words, and the error
 * is logged. Zod's issues name no values, but only their paths and codes are needed to find the fault.
 */
export function readSqsMessageBody<T>(body: string, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new UnreadableMessage('the body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const faults = parsed.error.issues.map(
    (issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.code}`,
  );
  throw new UnreadableMessage(`not ${what} (${faults.join(', ')})`);
}

/** A string field at the top of an SQS body, for the log, if the body is JSON that has one. */
export function stringFieldOfBody(body: string, field: string): string | undefined {
  try {
    const value: unknown = (JSON.parse(body) as Record<string, unknown> | null)?.[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
