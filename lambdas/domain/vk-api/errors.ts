/**
 * What to do about a VK API error, as VK documents its codes (shared in the project's VK notes;
 * https://dev.vk.com/ru/reference/errors). The body carries the error with HTTP 200: look at the body.
 */
export type VkErrorHandling =
  /** Try again later, with backoff: VK is busy or limiting us. */
  | 'retry'
  /** The token is bad or lacks rights: stop, alert ops; retrying cannot help. */
  | 'token'
  /** This message cannot be delivered here (messages not allowed, comments closed…): record it, never retry. */
  | 'undeliverable'
  /** A mistake in the call itself: never retry. */
  | 'fatal';

const HANDLING: Record<number, VkErrorHandling> = {
  1: 'retry', // unknown error
  6: 'retry', // too many requests per second
  9: 'retry', // flood control
  10: 'retry', // internal server error
  29: 'retry', // rate limit of the method
  5: 'token', // authorisation failed
  27: 'token', // group authorisation failed
  28: 'token', // application authorisation failed
  15: 'token', // access denied (the token lacks the right)
  901: 'undeliverable', // the user has not allowed messages from the community
  902: 'undeliverable', // privacy settings forbid messages
  914: 'undeliverable', // message too long
  212: 'undeliverable', // comments closed
  213: 'undeliverable', // no access to comments
  222: 'undeliverable', // links forbidden in comments
  223: 'undeliverable', // too many replies
};

export const handlingOf = (code: number): VkErrorHandling => HANDLING[code] ?? 'fatal';

/** A VK API call that VK answered with an error. */
export class VkApiError extends Error {
  override name = 'VkApiError';
  readonly handling: VkErrorHandling;

  constructor(
    readonly method: string,
    readonly code: number,
    readonly vkMessage: string,
  ) {
    super(`VK ${method} failed with error ${code}: ${vkMessage}`);
    this.handling = handlingOf(code);
  }
}
