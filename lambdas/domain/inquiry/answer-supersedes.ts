import type { Inquiry } from './inquiry.js';

/**
 * Whether an operator's intermediate answer (requested at `requestedAt`) comes too late for the inquiry: its
 * answer was given (even one VK refused since, the department owing another, unless the words were written
 * after that refusal was recorded), or it was rejected; or the words were of a cycle answered since, which the
 * inquiry ended (endedAnswerSupersedes). One closed without an answer (resolved by phone, or by hand in VK)
 * still owes the citizen the words an operator wrote before the close.
 */
export const answerSupersedes = (
  inquiry: Pick<
    Inquiry,
    'status' | 'answeredAt' | 'undelivered' | 'earlierCycles' | 'firstResponseStartedAt'
  >,
  requestedAt?: string,
): boolean =>
  inquiry.status === 'answered' ||
  inquiry.status === 'rejected' ||
  (inquiry.status === 'closed' && inquiry.answeredAt !== undefined) ||
  answerFlagSupersedes(inquiry, requestedAt) ||
  endedAnswerSupersedes(inquiry, requestedAt);

/**
 * Whether the answer of the cycle the inquiry ended last came after words requested at `requestedAt`: reopened
 * since (or answered again), the inquiry owes the citizen's newer message a response of its own, which those
 * words are not. Words given from the start of the cycle since are its own, though before that answer: given
 * after a follow-up that the answer, kept in the dead letters, never saw, which reopened the inquiry from it
 * once the answer was delivered (delivered-late.ts). Words whose queueing time is not known are not judged so.
 */
const endedAnswerSupersedes = (
  inquiry: Pick<Inquiry, 'earlierCycles' | 'firstResponseStartedAt'>,
  requestedAt: string | undefined,
): boolean => {
  const answeredAt = inquiry.earlierCycles?.at(-1)?.answeredAt;
  if (requestedAt === undefined || answeredAt === undefined) return false;
  const written = Date.parse(requestedAt);
  const startedAt = inquiry.firstResponseStartedAt;
  return written <= Date.parse(answeredAt) && (startedAt === undefined || written < Date.parse(startedAt));
};

/**
 * Whether the inquiry's answer flagged as not reaching the citizen supersedes words requested at `requestedAt`:
 * those written before the flag was recorded, which the answer came after. Words an operator wrote once the
 * answer was flagged (an intermediate answer while VK is down) are the department's response to it: they go.
 */
const answerFlagSupersedes = (inquiry: Pick<Inquiry, 'undelivered'>, requestedAt: string | undefined) =>
  inquiry.undelivered?.purpose === 'answer' &&
  (requestedAt === undefined || Date.parse(requestedAt) <= Date.parse(inquiry.undelivered.at));
