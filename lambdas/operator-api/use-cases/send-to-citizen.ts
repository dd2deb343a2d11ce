import type { Inquiry } from '../../domain/inquiry/inquiry.js';
import type { OperatorWords } from '../../domain/inquiry/transitions/events.js';
import { answerPrefixOf, longestWordsFor, wordsToCitizen } from '../../domain/outbox/answer-prefix.js';
import { MAX_MESSAGE_LENGTH, type OutboxPurpose, outboxIdFor } from '../../domain/outbox/outbox-message.js';
import { ERASED_MENTION } from '../../domain/vk/mentions.js';
import { type ApiAnswer, type ApiRequest, type OperatorApiDeps, problem } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';
import type { TextBody } from '../contract/changes.js';
import { type OperatorWordsOf, operatorWords } from '../operator-words.js';

/**
 * The outbox id of an operator's words to the citizen: the inquiry, the purpose and the request's cause. Also
 * recorded on the words' history entry and given in the change's answer, to find their `delivery` entries.
 */
export const citizenMessageId = (inquiry: Inquiry, purpose: OutboxPurpose, cause: string) =>
  outboxIdFor(inquiry.id, purpose, cause);

/**
 * Words too long for the citizen's message once the line naming the case goes before them (answer-prefix.ts),
 * or longer than VK's limit of a message (the body's schema leaves that to this check, to tell the inquiry's own
 * figure: its `maxTextLength`): 400, so that the API never takes words VK would refuse. Not for a repeated
 * request (its cause applied): its words were taken when the line did not apply yet (a rejected message given
 * its case number since, say), and are sent again without it (wordsToCitizen), as first made. Words that fit as `typed`,
 * long only once the mentions of citizens erased lately are replaced, are told so.
 */
export function tooLongForCitizen(
  inquiry: Inquiry,
  deps: OperatorApiDeps,
  text: string,
  cause: string,
  typed = text,
): ApiAnswer | undefined {
  if (inquiry.causes.includes(cause)) return undefined;
  const longest = longestWordsFor(inquiry, deps.config);
  if (text.length <= longest) return undefined;
  // Only the mentions replaced made them long (operator-words.ts): told so, or the figure would seem wrong.
  if (typed.length <= longest)
    return problem(400, 'validation_failed', 'invalid body', {
      issues: [
        `text: too long once each mention of a citizen erased lately is replaced by "${ERASED_MENTION}": ` +
          `${text.length} characters, at most ${longest} for this inquiry (its maxTextLength): shorten the ` +
          'words or take the mention out',
      ],
    });
  const prefix = answerPrefixOf(inquiry, deps.config);
  return problem(400, 'validation_failed', 'invalid body', {
    issues: [
      `text: too long: at most ${longest} characters for this inquiry (its maxTextLength), ` +
        (prefix === undefined
          ? "VK's limit of a message"
          : `whose message to the citizen begins with "${prefix}" on a line of its own, within VK's limit of ` +
            `the message (${MAX_MESSAGE_LENGTH})`),
    ],
  });
}

/**
 * Puts an operator's words to the citizen on the answers queue (`deps.outbox`), where the citizen wrote, and gives its id. The
 * outbox id comes from the inquiry and the request's cause: a repeated request makes the same message, which
 * VK sends once. The citizen reads them after the line naming the case (answer-prefix.ts); the history keeps
 * the operator's words as written, but for the mentions of citizens erased lately (`words`, operator-words.ts),
 * which neither keeps.
 */
export function sendToCitizen(
  request: ApiRequest,
  deps: OperatorApiDeps,
  purpose: OutboxPurpose,
  text: string,
  words: OperatorWordsOf,
) {
  return async (inquiry: Inquiry, cause: string) => {
    const id = citizenMessageId(inquiry, purpose, cause);
    await deps.outbox.send({
      kind: 'message_to_citizen',
      id,
      inquiryId: inquiry.id,
      groupId: inquiry.groupId,
      purpose,
      replyTo: inquiry.replyTo,
      citizenId: inquiry.authorId,
      text: wordsToCitizen(inquiry, deps.config, await words(inquiry, text)),
      requestedAt: deps.clock.now().toISOString(),
      requestedBy: request.operator.id,
    });
    return id;
  };
}

/**
 * The events an operator's words make, by what they are to the inquiry (domain/inquiry/transitions/answers.ts).
 */
type WordsEvent = 'intermediate_answer' | 'final_answer' | 'reply_noted';

/**
 * An operator's words from the console (`text`, `force`): the inquiry records them as the event `eventOf`
 * names for it, once checked to fit the citizen's message, then they go on the answers queue as `purpose`,
 * both named by one outbox id. Both without the mentions of citizens erased lately (operator-words.ts), checked
 * for length as sent: a mention replaced may be longer than the link it replaced.
 */
export function wordsFromConsole(
  request: ApiRequest<TextBody>,
  deps: OperatorApiDeps,
  purpose: OutboxPurpose,
  eventOf: (inquiry: Inquiry) => WordsEvent,
): Promise<ApiAnswer> {
  const { text: typed, force } = request.body;
  const words = operatorWords(deps);
  return changeInquiry(
    request,
    deps,
    async (inquiry, cause, at) => {
      const text = await words(inquiry, typed);
      return (
        tooLongForCitizen(inquiry, deps, text, cause, typed) ??
        ({
          type: eventOf(inquiry),
          cause,
          at,
          operatorId: request.operator.id,
          operatorName: request.operator.name,
          text,
          via: 'console',
          outboxId: citizenMessageId(inquiry, purpose, cause),
          ...(force && { force }),
        } satisfies { type: WordsEvent } & OperatorWords)
      );
    },
    sendToCitizen(request, deps, purpose, typed, words),
  );
}
