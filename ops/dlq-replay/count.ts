import type { SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterKey, operatorWordsOf } from './dead-letter.js';
import type { DeadLetterInquiries } from './inquiries.js';
import { lookThrough } from './queue-messages.js';

/** A message as a dry run counts it: named as the consumers' logs name it, never by what it says. */
export interface CountedLetter {
  /** Its SQS message id. */
  id: string | undefined;
  /** The length of its body. */
  size: number;
  /** When SQS deletes it unless it is moved before, if known. */
  deletedAfter: Date | undefined;
  /** Its eventKey or outboxId (deadLetterKey). */
  key: string;
  /** What more there is to say of it (its inquiry's flag), if anything. */
  more: string | undefined;
  /** Why a replay would refuse it, if it would. */
  refusal: string | undefined;
}

/**
 * Counts the messages of a queue, up to `max`, without moving any: each one received stays out of sight until
 * the count is done (none is counted twice), then all are made visible again at once. Those `refuse` gives a
 * reason for are counted apart, as a replay would refuse them. `onCounted` is told of each in turn. Given the
 * queue's retention, each is told with the time SQS deletes it: for a standard queue, that long after it was
 * first sent to the queue its dead letter came from, not after it became one
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html).
 */
export async function countDeadLetters(
  client: SQSClient,
  from: string,
  max: number,
  options: {
    refuse?: (body: string | undefined) => string | undefined;
    /** The queue's MessageRetentionPeriod, in seconds. */
    retentionSeconds?: number;
    /** What more to say of a message (its inquiry's flag), if anything. */
    describe?: (body: string | undefined) => Promise<string | undefined>;
    onCounted?: (letter: CountedLetter, counted: number) => void;
    onNotShown?: (count: number) => void;
  } = {},
): Promise<{ count: number; refused: number }> {
  let refused = 0;
  let counted = 0;
  const count = await lookThrough(
    client,
    from,
    max,
    async (message) => {
      const more = await options.describe?.(message.Body);
      const refusal = options.refuse?.(message.Body);
      if (refusal !== undefined) refused++;
      options.onCounted?.(
        {
          id: message.MessageId,
          size: message.Body?.length ?? 0,
          deletedAfter: deletedAfter(message.Attributes?.SentTimestamp, options.retentionSeconds),
          key: deadLetterKey(message.Body),
          more,
          refusal,
        },
        ++counted,
      );
      return 'kept';
    },
    undefined,
    options.onNotShown,
  );
  return { count, refused };
}

/** What a dry run says of an operator's answer or intermediate answer: whether its inquiry is flagged for it. */
export const flagOfLetter =
  (inquiries: DeadLetterInquiries) =>
  async (body: string | undefined): Promise<string | undefined> => {
    const words = operatorWordsOf(body);
    return words && inquiries.flagOf(words);
  };

/** When SQS deletes a message sent at `sentTimestamp` (epoch milliseconds, as SQS gives it), if both are known. */
function deletedAfter(
  sentTimestamp: string | undefined,
  retentionSeconds: number | undefined,
): Date | undefined {
  const sent = Number(sentTimestamp);
  if (!sentTimestamp || !Number.isFinite(sent) || retentionSeconds === undefined) return undefined;
  return new Date(sent + retentionSeconds * 1000);
}
