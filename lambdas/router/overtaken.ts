/**
 * How long, after it reached us, a change to a message we do not hold yet (or an operator's reply in VK to a
 * message not routed yet) is waited on, then dropped: the routing queue is not FIFO, so it may have overtaken
 * its message, and that message may itself be retried by SQS a few minutes later. The router puts such a
 * change back on its queue, to come again OVERTAKEN_RETRY_DELAY_SECONDS later, rather than failing it: its
 * retries then never end in the dead-letter queue, nor age the queue's oldest message past its alarm.
 */
export const OVERTAKEN_RETRY_MS = 15 * 60_000;
/** How long a change waiting for its message stays out of sight between two looks. */
export const OVERTAKEN_RETRY_DELAY_SECONDS = 60;

/** The citizen's message a change or an operator's reply is about is not stored (yet): SQS retries it. */
export class MessageNotFoundYet extends Error {
  override name = 'MessageNotFoundYet';
}
