import { pastComing } from '../domain/inquiry/erased-citizen.js';
import type { MessageChange } from '../domain/messages.js';

/**
 * How long the router waits for the message a change is about (or the one an operator's reply in VK answers),
 * counted from its first look for it: the routing queue is not FIFO, so a change may have overtaken its
 * message, and that message may itself be retried by SQS a few minutes later. The router puts such a change
 * back on its queue, to come again nextLookDelaySeconds later, rather than failing it: its retries then do not
 * age the queue's oldest message past its alarm. Past the window it is not dropped: its message may be a dead
 * letter, to be replayed once its cause is fixed, and the router moves the change to the dead-letter queue
 * beside it (MessageStillMissing). A replayed change waits the whole window again, so a change and its
 * message replayed together are applied in whichever order they come.
 */
export const OVERTAKEN_RETRY_MS = 15 * 60_000;
/** The delay before the second look: a change that overtook its message by seconds is applied soon after it. */
export const FIRST_RETRY_DELAY_SECONDS = 15;

/**
 * How long a change waiting for its message since `waitingSince` (absent: its first look, now) stays out of
 * sight before its next look: as long as it has waited so far, and the first delay more (15 s, 30 s, 60 s,
 * 2 min, 4 min…), and no longer than the rest of the window, so the last look comes as the window ends. Looks
 * then at 0, 15 s, 45 s, 1¾, 3¾, 7¾ and 15 minutes: seven invocations of the router for a change whose message
 * never comes. Every look sends the change anew from the router to the queue that invokes it, and Lambda's
 * recursive loop detection stops such a chain at its 16th invocation or so (the message then goes to the
 * dead-letter queue, not to the end of its wait): a minute between looks would make 16.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
 */
export function nextLookDelaySeconds(waitingSince: string | undefined, now: Date): number {
  const waitedMs = waitingSince === undefined ? 0 : now.getTime() - Date.parse(waitingSince);
  const waited = Number.isFinite(waitedMs) ? Math.max(0, waitedMs) : 0;
  const delayMs = Math.min(waited + FIRST_RETRY_DELAY_SECONDS * 1000, OVERTAKEN_RETRY_MS - waited);
  // Never shorter than the first delay (a look a clock's skew left a moment short of the window's end), never
  // longer than the window, within SQS's 15-minute most.
  return Math.ceil(Math.min(OVERTAKEN_RETRY_MS, Math.max(FIRST_RETRY_DELAY_SECONDS * 1000, delayMs)) / 1000);
}

/**
 * The SQS message attribute a change put back to wait carries: when the router first looked for its message.
 * A change without it (new, or replayed from the dead-letter queue, which leaves it out) starts waiting now.
 */
export const WAITING_SINCE_ATTRIBUTE = 'waitingSince';

/**
 * The SQS message attribute an operator's reply in VK put back to wait carries when the dialogue's latest
 * inquiry was, at a look, a message rejected as none (a greeting): the inquiry it answers if the citizen's next
 * inquiry turns out to be opened by words written after it (record-reply.ts). Replayed from the dead-letter
 * queue, a reply has none, and looks again.
 */
export const REJECTED_LATEST_ATTRIBUTE = 'rejectedLatest';

/** Whether a change that has waited since `waitingSince` (absent: not yet) has waited the whole window. */
export const waitIsOver = (waitingSince: string | undefined, now: Date): boolean =>
  waitingSince !== undefined && now.getTime() - Date.parse(waitingSince) >= OVERTAKEN_RETRY_MS;

/**
 * Whether a change whose message is still not stored once its wait is over cannot be waiting for a message
 * that is merely late (a dead letter, to be replayed), and is dropped rather than kept beside it:
 * - a deletion that names no author: VK's `board_post_delete` never does, and `wall_reply_delete` and the
 *   comments' deletions leave it out at times (the recorded video and market ones do), so the community's own
 *   replies, deleted, are among them, and nothing tells them from a citizen's (vk/changes.ts);
 * - a change of a message written longer ago than a message may still come (pastComing, 33 days): its dead
 *   letter may come until then (an events dead letter replayed on its 14th day, failing again in routing, is
 *   kept 14 days more), never after (`dlq:replay` refuses an older one). This is the edit of a message whose
 *   inquiry the retention sweep deleted, and of one written before the community was connected.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
 */
export const cannotBeLate = (
  change: Pick<MessageChange, 'change' | 'authorId' | 'sentAt'>,
  now: Date,
): boolean =>
  (change.change === 'deleted' && change.authorId === undefined) ||
  (change.sentAt !== undefined && pastComing(change.sentAt, now));

/**
 * The citizen's message a change or an operator's reply is about is not stored (yet): put back to wait for
 * it, with `attributes` to carry to its next look (REJECTED_LATEST_ATTRIBUTE).
 */
export class MessageNotFoundYet extends Error {
  override name = 'MessageNotFoundYet';
  constructor(
    message: string,
    readonly attributes: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The citizen's message a change or an operator's reply is about is still not stored once the window is past:
 * its routing failed (a dead letter, replayed once its cause is fixed), or it never reached us. The router
 * moves the change to the routing dead-letter queue, to be replayed beside its message. Its message names no
 * citizen: it is logged.
 */
export class MessageStillMissing extends Error {
  override name = 'MessageStillMissing';
}
