/**
 * What to do about a VK API error, as VK documents its codes (https://dev.vk.com/ru/reference/errors; the same
 * list as data: https://github.com/VKCOM/vk-api-schema/blob/master/errors.json). The body carries the error
 * with HTTP 200: look at the body.
 */
export type VkErrorHandling =
  /** Try again later, with backoff: VK is busy, limiting us, or failing in a way we do not know. */
  | 'retry'
  /**
   * A person must act on the token or its account (bad or revoked token, a right missing, a captcha, a
   * validation): hold the message, alert ops; trying again at once cannot help.
   */
  | 'token'
  /** This message cannot be delivered here (messages not allowed, comments closed…): record it, never retry. */
  | 'undeliverable'
  /** A mistake in the call itself, the same whenever it is made: record it, never retry. */
  | 'fatal';

const HANDLING: Record<number, VkErrorHandling> = {
  1: 'retry', // unknown error occurred
  6: 'retry', // too many requests per second
  9: 'retry', // flood control
  10: 'retry', // internal server error
  29: 'retry', // rate limit of the method
  32: 'retry', // need wait
  36: 'retry', // method execution was interrupted due to timeout (it may have been done: random_id / guid)
  43: 'retry', // this section is temporarily unavailable
  5: 'token', // user authorisation failed: the token is invalid or revoked
  7: 'token', // permission to perform this action is denied
  14: 'token', // captcha needed
  15: 'token', // access denied (the token lacks the right)
  17: 'token', // validation required: the token's owner must confirm it in VK
  27: 'token', // group authorisation failed
  28: 'token', // application authorisation failed
  900: 'undeliverable', // the citizen put the community on their blacklist
  901: 'undeliverable', // the user has not allowed messages from the community
  902: 'undeliverable', // privacy settings forbid messages
  914: 'undeliverable', // message too long
  212: 'undeliverable', // comments closed
  213: 'undeliverable', // no access to comments
  222: 'undeliverable', // links forbidden in comments
  223: 'undeliverable', // too many replies
  801: 'undeliverable', // comments of this video are closed
  1401: 'undeliverable', // comments of this market item are closed
  3: 'fatal', // unknown method passed
  100: 'fatal', // one of the parameters specified was missing or invalid
};

/**
 * A code not listed is tried again like a busy VK, and so ends in the outbox's dead-letter queue (with its
 * alarm) if it never passes: VK adds codes, and recording an unknown one as undeliverable would drop the
 * answer without anyone noticing.
 */
export const handlingOf = (code: number): VkErrorHandling => HANDLING[code] ?? 'retry';

/** What a person must do about an error that holds messages (`token`), for the error log and the runbook. */
export function tokenErrorHint(code: number): string {
  switch (code) {
    case 5:
    case 27:
    case 28:
      return 'the token is invalid or revoked: issue a new one and store it in SSM';
    case 7:
    case 15:
      return 'the token lacks a right this call needs: issue one with the right (messages, wall, manage) and store it in SSM';
    case 14:
      return "VK asks for a captcha, which the responder cannot answer: look at the token's account in VK, or issue a new token";
    case 17:
      return "VK asks the token's owner to validate the account: they sign in to VK and confirm, or a new token is issued";
    default:
      return 'VK refused the token: see the runbook';
  }
}

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
