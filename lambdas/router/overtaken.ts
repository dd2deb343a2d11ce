/**
 * How long the router waits for the message a change is about (or the one an operator's reply in VK answers),
 * counted from its first look for it: the routing queue is not FIFO, so a change may have overtaken its
 * message, and that message may itself be retried by SQS a few minutes later. The router puts such a change
 * back on its queue, to come again OVERTAKEN_RETRY_DELAY_SECONDS later, rather than failing it: its retries
 * then do not age the queue's oldest message past its alarm. Past the window it is not dropped: its message
 * may be a dead letter, to be replayed once its cause is fixed, and the router moves the change to the
 * dead-letter queue beside it (MessageStillMissing). A replayed change waits the whole window again, so a
 * change and its message replayed together are applied in whichever order they come.
 */
export const OVERTAKEN_RETRY_MS = 15 * 60_000;
/** How long a change waiting for its message stays out of sight between two looks. */
export const OVERTAKEN_RETRY_DELAY_SECONDS = 60;

/**
 * The SQS message attribute a change put back to wait carries: when the router first looked for its message.
 * A change without it (new, or replayed from the dead-letter queue, which leaves it out) starts waiting now.
 */
export const WAITING_SINCE_ATTRIBUTE = 'waitingSince';

/** Whether a change that has waited since `waitingSince` (absent: not yet) has waited the whole window. */
export const waitIsOver = (waitingSince: string | undefined, now: Date): boolean =>
  waitingSince !== undefined && now.getTime() - Date.parse(waitingSince) >= OVERTAKEN_RETRY_MS;

/** The citizen's message a change or an operator's reply is about is not stored (yet): SQS retries it. */
export class MessageNotFoundYet extends Error {
  override name = 'MessageNotFoundYet';
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
