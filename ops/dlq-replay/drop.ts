import type { SQSClient } from '@aws-sdk/client-sqs';
import { operatorWordsOf } from './dead-letter.js';
import type { DeadLetterInquiries } from './inquiries.js';
import { deleteLetter, lookThrough } from './queue-messages.js';

export interface DropResult {
  dropped: string[];
  notFound: string[];
  /** Letters named and found, kept, and why. */
  kept: { id: string; reason: string }[];
}

/**
 * Deletes the dead letters of the given message ids, looking through up to `max` messages as a dry run does;
 * every other one is made visible again. A dead letter keeps the id its message had in its queue, which the
 * consumers log. Returns the ids dropped, those kept and those not found.
 */
export async function dropDeadLetters(
  client: SQSClient,
  from: string,
  ids: readonly string[],
  max: number,
  /** Done before a letter is deleted; a reason given keeps it. */
  beforeDrop: (body: string | undefined) => Promise<string | undefined> = async () => undefined,
  options: { onDropped?: (id: string) => void; onNotShown?: (count: number) => void } = {},
): Promise<DropResult> {
  const wanted = new Set(ids);
  const dropped: string[] = [];
  const kept: { id: string; reason: string }[] = [];
  await lookThrough(
    client,
    from,
    max,
    async (message) => {
      const id = message.MessageId ?? '';
      if (!wanted.has(id)) return 'kept';
      const reason = await beforeDrop(message.Body);
      if (reason !== undefined) {
        kept.push({ id, reason });
        return 'kept';
      }
      await deleteLetter(client, from, message);
      dropped.push(id);
      options.onDropped?.(id);
      return 'deleted';
    },
    () => dropped.length + kept.length === wanted.size,
    options.onNotShown,
  );
  const seen = new Set([...dropped, ...kept.map(({ id }) => id)]);
  return { dropped, kept, notFound: [...wanted].filter((id) => !seen.has(id)) };
}

/**
 * What is done before a letter named is dropped: an operator's answer or intermediate answer is dropped only
 * with the stage's inquiries at hand (--table and --config), its inquiry, if still flagged for it, told first
 * that it was given up (`onGivenUp`); without them it is kept, and why is said. Any other letter just goes.
 */
export const beforeDropOf =
  (inquiries: DeadLetterInquiries | undefined, onGivenUp: (outboxId: string) => void) =>
  async (body: string | undefined): Promise<string | undefined> => {
    const words = operatorWordsOf(body);
    if (!words) return undefined;
    if (!inquiries)
      return `an operator's ${words.purpose === 'answer' ? 'answer' : 'intermediate answer'} (outboxId ${words.id}): give --table and --config, so that its inquiry, if still flagged for it, is told it was given up`;
    // Told first: a drop cut short leaves the letter, and the next one finds the change made.
    if ((await inquiries.dropped(words)) === 'changed') onGivenUp(words.id);
    return undefined;
  };
