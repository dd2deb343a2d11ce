/** How long a message whose token VK refused is held before it is tried again (ops have been alerted). */
export const TOKEN_HOLD_SECONDS = 3600;
/**
 * The least a message VK refused for one of its limits (flood control, a method's quantitative limit) waits
 * before it is tried again: VK says not how long the limit lasts, and it is not one of seconds. Still
 * refused then, its age passes the late-replies alarm's 10 minutes (lib/constructs/responder.ts).
 */
export const LIMIT_HOLD_SECONDS = 600;
/** The longest backoff between two receives of a message VK keeps failing. */
const BACKOFF_CAP_SECONDS = 1800;

/**
 * The backoff before SQS brings a busy message back: 10 s, 20 s, 40 s … 1280 s, then every 30 minutes. With
 * the outbox's maxReceiveCount (lib/resources.ts) a message rides out a VK outage of hours before it goes to
 * the dead-letter queue (the sum is pinned by test/unit/outbox/backoff.test.ts and stated in docs/answering-citizens.md).
 */
export const backoffSeconds = (receiveCount: number) =>
  Math.min(BACKOFF_CAP_SECONDS, 10 * 2 ** Math.max(0, receiveCount - 1));

/** The backoff of a message VK refused for one of its limits: as any other's, but never under ten minutes. */
export const limitBackoffSeconds = (receiveCount: number) =>
  Math.max(LIMIT_HOLD_SECONDS, backoffSeconds(receiveCount));
