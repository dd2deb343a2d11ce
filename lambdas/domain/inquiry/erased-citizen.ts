/**
 * What the router makes of a change whose message it does not hold, when that message's author is a citizen
 * whose data `citizen:erase` deleted lately: VK goes on sending the edits and deletions of their old
 * messages, and operators may still answer them in VK; a message they wrote before it may still come, late (a
 * dead letter replayed: router/erased-author.ts). Their erasure is of the past: a message they write after it
 * is a new inquiry, as anyone's.
 */
import { DEAD_LETTER_DAYS, QUEUE_DAYS } from '../config/schema.js';

/**
 * How long an erasure is remembered: as long as a message written before it can still reach the router,
 * one replay of each queue's dead letters allowed. VK sends an event within about two hours of its writing;
 * its events dead letter is kept DEAD_LETTER_DAYS from then, and replayed on the last of them it may wait
 * QUEUE_DAYS in the events queue; the classifier then hands it on in a new routing message, whose dead letter
 * is kept DEAD_LETTER_DAYS more (SQS counts a dead letter's days from its send to the queue it came from:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html).
 * A day for VK's hours. Past these days a dead letter replayed a second time, or an undated change (a
 * deletion that names its author, an operator's reply), is taken as anyone's again.
 */
export const ERASED_CITIZEN_DAYS = 2 * DEAD_LETTER_DAYS + QUEUE_DAYS + 1;

/**
 * `written_before`: the change is of a message written before the citizen's erasure (VK dates it), one of
 * the data erased: dropped at once, never stored nor routed as new words. `undated`: VK does not say when
 * its message was written (a deletion, an operator's reply): it waits for its message as any change does,
 * since the citizen may have written anew, and is dropped rather than kept once its wait is over. Undefined:
 * the citizen was not erased lately, or the message was written after (a new one's change, waited on).
 */
export function erasedMessage(
  sentAt: string | undefined,
  erasedAt: string | undefined,
): 'written_before' | 'undated' | undefined {
  if (erasedAt === undefined) return undefined;
  if (sentAt === undefined) return 'undated';
  return Date.parse(sentAt) <= Date.parse(erasedAt) ? 'written_before' : undefined;
}
