/**
 * What to do about a VK API error, as VK documents its codes (https://dev.vk.com/ru/reference/errors; the same
 * list as data: https://github.com/VKCOM/vk-api-schema/blob/master/errors.json). The body carries the error
 * with HTTP 200: look at the body.
 */
type VkErrorHandling =
  /** Try again later, with backoff: VK is busy, or failing in a way we do not know. */
  | 'retry'
  /**
   * VK refuses calls of this kind for a while (flood control, a method's quantitative limit): a try at once
   * meets the same limit and takes another of the token's slots. Try again later, never at once; VK's answer
   * says not how long, and its page asks for fewer such calls.
   */
  | 'limit'
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
  // Flood control (too many like calls) and a method's quantitative limit (https://dev.vk.com/ru/reference/errors,
  // https://dev.vk.com/ru/api/api-requests). Mature VK clients try neither again: vk-io's API worker only 6,
  // after a pause (https://github.com/negezor/vk-io/blob/02bcdcd2bdbfdee670e9a13667eb0208df7efa87/packages/vk-io/src/api/workers/sequential.ts),
  // vk_api only 6 and a captcha (https://github.com/python273/vk_api/blob/03f45ccbe2dcc717f3cca450a6588578cf2e98fa/vk_api/vk_api.py).
  9: 'limit',
  29: 'limit',
  10: 'retry', // internal server error
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
  2: 'token', // application is disabled: the VK app the token was issued by
  23: 'token', // this method was disabled (for the token's application)
  24: 'token', // confirmation required: the token's owner must confirm the action in VK
  25: 'token', // token confirmation required
  37: 'token', // user was banned: the account the token was issued by (an admin, for a user token)
  1117: 'token', // access token has expired (issued without `offline`)
  3609: 'token', // token extension required
  3610: 'token', // user is deactivated: the account the token was issued by
  18: 'undeliverable', // the user was deleted or banned
  19: 'undeliverable', // content blocked: VK refuses the text itself (a link, words its filters block)
  203: 'undeliverable', // access to group denied (on a user token: the admin's account, handlingFor)
  900: 'undeliverable', // the citizen put the community on their blacklist
  901: 'undeliverable', // the user has not allowed messages from the community
  902: 'undeliverable', // privacy settings forbid messages
  914: 'undeliverable', // message too long
  925: 'undeliverable', // the community is not an admin of this chat
  940: 'undeliverable', // too many posts in messages (links to wall posts become attachments)
  943: 'undeliverable', // cannot use this intent: VK's rules for a community's messages to this dialogue
  944: 'undeliverable', // limits overflow for this intent: the same, the community's messages counted
  962: 'undeliverable', // the chat is for VK Donut subscribers only
  917: 'undeliverable', // no access to this chat (the community was removed from it)
  922: 'undeliverable', // the community left this chat
  932: 'undeliverable', // the community cannot interact with this peer
  936: 'undeliverable', // contact not found
  945: 'undeliverable', // the chat was disabled
  946: 'undeliverable', // chat not supported
  950: 'undeliverable', // cannot send: the time to reply is over
  1012: 'undeliverable', // writing is disabled for this chat
  104: 'undeliverable', // not found (the post, comment, photo, video or item was deleted)
  210: 'undeliverable', // access to the wall post denied (deleted, or not visible to the community)
  211: 'undeliverable', // access to the wall comment denied (deleted)
  212: 'undeliverable', // comments closed
  213: 'undeliverable', // no access to comments
  222: 'undeliverable', // links forbidden in comments
  223: 'undeliverable', // too many replies
  801: 'undeliverable', // comments of this video are closed
  1401: 'undeliverable', // comments of this market item are closed
  3: 'fatal', // unknown method passed
  913: 'fatal', // too many forwarded messages (a quote of the citizen's message: sent again without it)
  100: 'fatal', // one of the parameters specified was missing or invalid
  921: 'fatal', // cannot forward these messages (a quote of the citizen's message)
  969: 'fatal', // this message cannot be forwarded (a quote of the citizen's message)
};

/**
 * A code not listed is tried again like a busy VK, and so ends in the outbox's dead-letter queue (with its
 * alarm) if it never passes: VK adds codes, and recording an unknown one as undeliverable would drop the
 * answer without anyone noticing.
 */
export const handlingOf = (code: number): VkErrorHandling => HANDLING[code] ?? 'retry';

/**
 * What to do about an error of a call made with the community's token or a community admin's user token.
 * Error 18 ("user was deleted or banned", https://dev.vk.com/ru/reference/errors) speaks of the page behind
 * the call: on `messages.send` with the community token that is the citizen's, gone for good; on a user
 * token's call (board, photo, video, market comments) it is the admin's own account, and every reply on that
 * token fails until a person restores the account or stores another admin's token. So does 203 ("access to
 * group denied"): on the community's own token, VK keeps that community from the reply's place; on a user
 * token, the admin's account has lost its access to the community (no longer an admin or a member of a closed
 * one), and every reply on it fails alike.
 */
export function handlingFor(code: number, token: 'community' | 'user'): VkErrorHandling {
  if ((code === 18 || code === 203) && token === 'user') return 'token';
  return handlingOf(code);
}

/**
 * Why VK will never take this reply, in the words of the operator who must now reach the citizen another way:
 * VK's own message is English and terse ("You don't have access to this chat").
 */
function undeliverableHint(code: number): string | undefined {
  switch (code) {
    case 18:
      return "the citizen's VK page was deleted or banned";
    case 19:
      return 'VK blocked the text itself (a link or words its filters refuse): change it';
    case 203:
      return 'VK denies the community access there';
    case 900:
      return 'the citizen has put the community on their blacklist';
    case 901:
    case 902:
      return "the citizen's settings do not allow messages from the community";
    case 914:
      return 'the text is too long for VK: shorten it';
    case 940:
      return 'too many links to wall posts in the text: remove some';
    case 913:
      return "VK refused the messages forwarded with the reply (the quote of the citizen's message)";
    case 917:
    case 922:
      return 'the community is no longer in this chat (removed from it, or it left)';
    case 925:
      return 'the community is not an admin of this chat, which VK asks for to write there';
    case 932:
    case 936:
      return 'VK does not let the community write to this dialogue';
    case 943:
    case 944:
      return "VK's rules for a community's messages do not let it write to this dialogue now";
    case 945:
    case 946:
    case 1012:
      return 'the chat is disabled, or closed to writing';
    case 962:
      return 'the chat is for paid (VK Donut) subscribers only';
    case 950:
      return 'the time VK allows for a reply in this dialogue is over';
    case 104:
    case 210:
    case 211:
      return 'what the reply answers is gone from VK (deleted, or hidden from the community)';
    case 212:
    case 213:
    case 801:
    case 1401:
      return 'comments are closed there';
    case 222:
      return 'links are not allowed in comments there: remove them';
    case 223:
      return 'VK limits the replies to this comment';
    default:
      return undefined;
  }
}

/**
 * What a limit of VK's that kept a reply from going means, for the operator who must now reach the citizen
 * another way or later.
 */
export function limitHint(code: number): string | undefined {
  switch (code) {
    case 9:
      return 'VK limits how many like messages or comments the community sends, to one person or in all, for a while';
    case 29:
      return 'VK limits how many such calls the community makes, most such limits by the day';
    default:
      return undefined;
  }
}

/** The reason recorded for a reply VK refused for good: VK's code and message, and what they mean. */
export function undeliverableReason(code: number, vkMessage: string): string {
  const hint = undeliverableHint(code);
  return `VK error ${code}: ${vkMessage}${hint ? ` (${hint})` : ''}`;
}

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
    case 18:
      return "the user token's account (a community admin) was deleted or banned in VK: have it restored, or store another admin's token in SSM";
    case 203:
      return "the user token's account (a community admin) has no access to the community any more: make it an admin again, or store another admin's token in SSM";
    case 37:
    case 3610:
      return "the token's account (a community admin, for a user token) is banned or deactivated in VK: issue the token from another admin and store it in SSM";
    case 1117:
    case 3609:
      return 'the token has expired: issue a new one with `offline` access, which does not expire, and store it in SSM';
    case 2:
      return "the VK application the token was issued by is disabled: enable it in the app's settings, or issue a token of an enabled one";
    case 23:
      return 'VK has disabled this method for the token: issue a new token as the runbook says, and look for what VK changed';
    case 24:
    case 25:
      return "VK asks the token's owner to confirm the action or the token: they sign in to VK and confirm, or a new token is issued";
    default:
      return 'VK refused the token: see the runbook';
  }
}

/** A VK API call that VK answered with an error. */
export class VkApiError extends Error {
  override name = 'VkApiError';

  constructor(
    readonly method: string,
    readonly code: number,
    readonly vkMessage: string,
  ) {
    super(`VK ${method} failed with error ${code}: ${vkMessage}`);
  }
}
