/**
 * A citizen's edit, in VK, of words an operator has answered. The answer was to the words as they were: the
 * history keeps those (the `message` entry; the `message_changed` entry holds the new ones), and the inquiry
 * says its text was edited after the answer, so that no one reads the dialogue as if the operator had
 * answered words written later. An edit that adds to the matter, made within the reopening window after the
 * answer, reopens the inquiry as the same words sent as a follow-up would (threading.ts), or, while the answer
 * waits in the dead letters, once it is delivered; a typo fixed, or a "спасибо" added, is only recorded.
 */
import { normaliseText, tokenise } from '../classifier/normalise.js';
import { notInquiryReason } from '../classifier/not-inquiry.js';
import type { Classification } from '../taxonomy.js';
import { editSettles } from './citizen-settles.js';
import type { Inquiry } from './inquiry.js';
import { settledAtOf, withinReopeningWindow } from './threading.js';

/**
 * How many words an edit must add to be more than a typo fixed: a fix changes a word or two ("мусар" to
 * "мусор", a house number), while a matter added takes a phrase ("и в подъезде нет света").
 */
const SUBSTANTIVE_EDIT_MIN_WORDS = 3;

/**
 * What an edit after an answer does: reopens the inquiry, or is only recorded; `reopens_on_delivery`: recorded
 * while the answer waits in the dead letters, and noted as the follow-up it never saw, for its late delivery
 * to reopen the inquiry from (delivered-late.ts), as a new message then would.
 */
export type EditAfterAnswer = 'reopens' | 'reopens_on_delivery' | 'recorded';

/** What tells when the inquiry's answers were given. */
type AnswerTimes = Pick<Inquiry, 'answeredAt' | 'earlierCycles' | 'undelivered'>;

/**
 * When the inquiry's answers were given: the current cycle's and those of the cycles before it. An answer
 * flagged undelivered (no `answeredAt` while it is) was given before its refusal, or its last try, was
 * recorded: that time stands for it, as the words may yet reach the citizen, replayed from the dead letters.
 */
const answerTimes = (inquiry: AnswerTimes): number[] =>
  [
    inquiry.answeredAt,
    inquiry.undelivered?.purpose === 'answer' ? inquiry.undelivered.at : undefined,
    ...(inquiry.earlierCycles ?? []).map((cycle) => cycle.answeredAt),
  ]
    .filter((at): at is string => at !== undefined)
    .map(Date.parse);

/**
 * Whether an answer covered the words of a message that reached the inquiry at `reachedAt` (the time of its
 * history entry) and was edited at `editedAt`: one was given between the two.
 */
export function answerCovered(inquiry: AnswerTimes, reachedAt: string, editedAt: string): boolean {
  const [from, to] = [Date.parse(reachedAt), Date.parse(editedAt)];
  return answerTimes(inquiry).some((at) => from <= at && at <= to);
}

/**
 * The words an edit adds: those of the new text the old one lacks, counted with their repeats, in the order
 * they come, as the classifier reads words (normalised: case, `ё`, Latin lookalikes, numbers as one token).
 */
export function wordsAdded(before: string, after: string): string[] {
  const left = new Map<string, number>();
  for (const word of tokenise(normaliseText(before))) left.set(word, (left.get(word) ?? 0) + 1);
  return tokenise(normaliseText(after)).filter((word) => {
    const count = left.get(word) ?? 0;
    if (count > 0) left.set(word, count - 1);
    return count === 0;
  });
}

/**
 * Whether an edit adds substance: the words it adds are at least SUBSTANTIVE_EDIT_MIN_WORDS, and, read as a
 * follow-up of their own would be, are an inquiry and no reaction (the classifier's not-inquiry rules:
 * thanks, greetings, applause, emoji). "Спасибо, всё убрали!" added is a reaction; "и у третьего подъезда
 * тоже" is a matter. Without the words before the edit (a retry that lost them), it adds nothing.
 */
export function addsSubstance(before: string | undefined, after: string | undefined): boolean {
  if (before === undefined || after === undefined) return false;
  const added = wordsAdded(before, after);
  return added.length >= SUBSTANTIVE_EDIT_MIN_WORDS && notInquiryReason(added.join(' ')) === undefined;
}

/**
 * What an edit of a message does after an answer that covered it (answerCovered), or undefined if none did.
 * It reopens the inquiry when the answer is the current one (answered, or answered and closed), the edit came
 * within `reopenClosedWithinHours` of its settling, as a follow-up would reopen it, and adds substance
 * (addsSubstance) other than the citizen's word that the matter is settled (citizen-settles.ts); else it is
 * recorded.
 */
export function editAfterAnswer(
  inquiry: Pick<
    Inquiry,
    'status' | 'answeredAt' | 'closedAt' | 'updatedAt' | 'earlierCycles' | 'undelivered'
  >,
  edit: {
    reachedAt: string;
    at: string;
    before: string | undefined;
    after: string | undefined;
    classification?: Pick<Classification, 'priority'>;
  },
  threading: { reopenClosedWithinHours: number },
): EditAfterAnswer | undefined {
  if (!answerCovered(inquiry, edit.reachedAt, edit.at)) return undefined;
  // "UPD: вопрос решён, спасибо" added after the answer is the citizen's last word, not more to answer.
  if (editSettles(edit.before, edit.after, edit.classification)) return 'recorded';
  const settledAt = settledAtOf(inquiry);
  const answeredNow =
    settledAt !== undefined &&
    inquiry.answeredAt !== undefined &&
    Date.parse(edit.reachedAt) <= Date.parse(inquiry.answeredAt);
  const inWindow =
    settledAt !== undefined && withinReopeningWindow(settledAt, Date.parse(edit.at), threading);
  if (answeredNow && inWindow && addsSubstance(edit.before, edit.after)) return 'reopens';
  return coveredByFlaggedAnswer(inquiry, edit, threading) && addsSubstance(edit.before, edit.after)
    ? 'reopens_on_delivery'
    : 'recorded';
}

/**
 * Whether the answer that covered the edited words is the one flagged undelivered, waiting in the dead letters
 * (given when its last try was recorded), and the edit came within the reopening window of that: had the answer
 * gone in time, the edit would have reopened the inquiry.
 */
const coveredByFlaggedAnswer = (
  inquiry: Pick<Inquiry, 'undelivered'>,
  edit: { reachedAt: string; at: string },
  threading: { reopenClosedWithinHours: number },
): boolean => {
  const flagged = inquiry.undelivered;
  if (flagged?.purpose !== 'answer') return false;
  const given = Date.parse(flagged.at);
  return (
    Date.parse(edit.reachedAt) <= given &&
    given <= Date.parse(edit.at) &&
    withinReopeningWindow(flagged.at, Date.parse(edit.at), threading)
  );
};
