/**
 * What the router makes of a change whose message it does not hold, when that message's author is a citizen
 * whose data `citizen:erase` deleted lately: VK goes on sending the edits and deletions of their old
 * messages, and operators may still answer them in VK; a message they wrote before it may still come, late (a
 * dead letter replayed: router/erased-author.ts). Their erasure is of the past: a message they write after it
 * is a new inquiry, as anyone's.
 */
import { DEAD_LETTER_DAYS, QUEUE_DAYS } from '../config/schema.js';

/**
 * The oldest an event's dead letter is replayed (`dlq:replay`), counted from when ingest first queued the
 * event (its `receivedAt`, which the routing message carries on and every replay keeps): one replay of each
 * queue's dead letters makes none older. SQS keeps a dead letter DEAD_LETTER_DAYS from its send to the queue it
 * failed in, not from its move (a standard queue keeps a message's enqueue time): the events dead letter's from
 * ingest's send; replayed on the last of them, the event may wait QUEUE_DAYS in the events queue; the
 * classifier then hands it on in a new routing message, whose dead letter is kept DEAD_LETTER_DAYS from then.
 * A replay is a new send too, whose dead letter starts its days anew: one replayed again could be older, and
 * reach the router after the mark of an erasure made since it was written has lapsed. `dlq:replay` refuses it.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
 */
export const REPLAYABLE_DAYS = 2 * DEAD_LETTER_DAYS + QUEUE_DAYS;

/**
 * How long an erasure is remembered: as long as a message written before it can still reach the router, its
 * dead letters replayed no older than REPLAYABLE_DAYS, and a day more for VK's hours (VK sends an event within
 * about two hours of its writing). Past these days an undated change (a deletion that names its author, an
 * operator's reply) is taken as anyone's again.
 */
export const ERASED_CITIZEN_DAYS = REPLAYABLE_DAYS + 1;

/**
 * The most people whose marks one piece of words has looked up one by one, each by an scrypt digest of some
 * 40 ms of a whole core (adapters/erased-citizens.ts). The operator API refuses an operator's words naming more
 * (contract/changes.ts). A citizen's words cannot be refused: naming more in a community with an erasure
 * lately, they lose every mention of a person, since a comment naming hundreds would keep the router for
 * minutes and fail its batch on each try.
 */
export const MAX_PEOPLE_LOOKED_UP = 10;

const DAY_MS = 86_400_000;

/** Whether a dead letter whose event ingest first queued at `receivedAt` is past REPLAYABLE_DAYS at `now`. */
export const pastReplaying = (receivedAt: string, now: Date): boolean =>
  now.getTime() - Date.parse(receivedAt) > REPLAYABLE_DAYS * DAY_MS;

/**
 * Whether a message VK dates `sentAt` can no longer reach the router at `now`: written longer ago than an
 * erasure is remembered, its dead letter is past replaying (VK queues its event within the day more).
 */
export const pastComing = (sentAt: string, now: Date): boolean =>
  now.getTime() - Date.parse(sentAt) > ERASED_CITIZEN_DAYS * DAY_MS;

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
