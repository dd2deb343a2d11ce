import { communityOf } from '../config/community-of.js';
import type { AppConfig } from '../config/schema.js';
import type { Inquiry } from '../inquiry/inquiry.js';
import { MAX_MESSAGE_LENGTH } from './outbox-message.js';

/**
 * The line an operator's words to the citizen (an answer, an intermediate answer, a further word) begin with,
 * unless the community words it (`communities[].answerPrefix`): a new matter opens its own case in the same
 * dialogue, and a citizen with two cases is told which one the words answer.
 */
const DEFAULT_ANSWER_PREFIX = 'По обращению № {caseNumber}:';

/** The placeholder of the answer prefix: the inquiry's case number (case-number.ts). */
export const ANSWER_PREFIX_PLACEHOLDERS = ['caseNumber'] as const;

/**
 * The line the inquiry's words to the citizen begin with, or none: an inquiry without a case number (a message
 * taken for no inquiry, one opened before numbers) is named by nothing the citizen was told; a community
 * whose prefix is "" names none. A community no longer configured: the default.
 */
export function answerPrefixOf(inquiry: Inquiry, config: AppConfig): string | undefined {
  if (inquiry.caseNumber === undefined) return undefined;
  const template = communityOf(config, inquiry.groupId)?.answerPrefix ?? DEFAULT_ANSWER_PREFIX;
  const prefix = template.replaceAll('{caseNumber}', inquiry.caseNumber).trim();
  return prefix === '' ? undefined : prefix;
}

/**
 * The most characters of words that fit an inquiry of any community that keeps the default line, with a case
 * number of the usual length (2026-004217): 8972. What an answer template may hold (answer-templates.ts), so
 * that one the reply route would refuse for its length is never kept.
 */
export const LONGEST_WORDS_WITH_DEFAULT_PREFIX =
  MAX_MESSAGE_LENGTH - DEFAULT_ANSWER_PREFIX.replace('{caseNumber}', '2026-004217').length - 1;

/**
 * The most of the operator's words that the citizen's message may hold: VK's limit, less the prefix and the
 * line break after it, which VK counts as it counts the words (the API refuses longer words, rather than
 * queue a message VK would refuse).
 */
export const longestWordsFor = (inquiry: Inquiry, config: AppConfig): number => {
  const prefix = answerPrefixOf(inquiry, config);
  return prefix === undefined ? MAX_MESSAGE_LENGTH : MAX_MESSAGE_LENGTH - prefix.length - 1;
};

/**
 * The message the citizen reads: the prefix, on a line of its own, then the operator's words as written (the
 * history keeps those alone). Words too long for it (the community's prefix lengthened after the API took them)
 * go without it: the citizen gets them all.
 */
export function wordsToCitizen(inquiry: Inquiry, config: AppConfig, text: string): string {
  const prefix = answerPrefixOf(inquiry, config);
  if (prefix === undefined || text.length > longestWordsFor(inquiry, config)) return text;
  return `${prefix}\n${text}`;
}
