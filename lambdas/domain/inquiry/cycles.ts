import type { SlaTerms } from './deadline.js';
import type { Inquiry, Undelivered } from './inquiry.js';
import type { InquiryStatus } from './status.js';

/**
 * One ended cycle of an inquiry, as it stood when the next began: the fields of the inquiry the statistics
 * read of a cycle (statistics.ts), under the same names, beside how and when it ended and whether it was
 * escalated.
 */
export interface EndedCycle {
  /** How it ended: answered, closed or rejected. */
  status: InquiryStatus;
  /**
   * Since when the citizen waited in it: when its first-response clock started, or, routed back into work
   * after a rejection, when the rejected cycle did. Absent on one stored before that was kept, and reopened
   * since.
   */
  startedAt?: string;
  /**
   * When it ended: answered, closed or rejected (the inquiry's `finishedAt` then). What it had not given by
   * then and was due before counts late. Absent on cycles ended before it was kept.
   */
  endedAt?: string;
  /** The terms its deadlines were counted by: round the clock, or in working hours. */
  terms?: SlaTerms;
  firstResponseDueAt?: string;
  firstRespondedAt?: string;
  firstResponseLate?: boolean;
  /** The cause of the words that gave its first response (as the inquiry's), kept from now on. */
  firstResponseCause?: string;
  resolutionDueAt?: string;
  answeredAt?: string;
  /**
   * The cause of the answer it was answered with, kept from now on: VK may refuse that answer after the next
   * cycle began (a message the citizen wrote before the answer, routed after it, reopens the inquiry a
   * second or two after the answer, before the responder delivered it), and the refusal finds its cycle by it.
   */
  answerCause?: string;
  closedAt?: string;
  /**
   * The operators' words VK refused last in it, if any (`undelivered`): also its answer, refused after the
   * next cycle began.
   */
  refused?: Undelivered['purpose'];
  /** One of its deadlines passed without what was owed. */
  escalated?: true;
  /**
   * When the citizen wrote in it that the matter is settled or withdrawn, as the inquiry's mark stood when it
   * ended (the new cycle clears it), kept from now on: the statistics count the inquiry so.
   */
  citizenSettledAt?: string;
}

/**
 * Whether the words VK refused were the cycle's first response, for a first response recorded before the
 * inquiry kept which words gave it (`firstResponseCause`), when only their purpose is known (the statistics
 * of a refusal still flagged): a refused answer was, unless an intermediate answer came before it and started
 * the resolution clock; a refused intermediate answer is taken for it, though another may have reached the
 * citizen before it. The refusal itself knows more (refusedWordsGaveFirstResponse).
 */
export const refusalTookFirstResponse = (
  refused: Undelivered['purpose'],
  resolutionDueAt: string | undefined,
): boolean => refused === 'intermediate_answer' || resolutionDueAt === undefined;

/**
 * How long after the change that records them an operator's words are put on the outbox at the latest: by the
 * same request, within the operator API's time (OPERATOR_API_TIMEOUT_SECONDS, 10 s), or by its repeat after
 * a 503 with `Retry-After: 5` (a change saved, its words not queued). An operator's next words come later.
 */
export const WORDS_QUEUED_WITHIN_MS = 60_000;

/**
 * Whether the words VK refused, queued at `requestedAt`, gave a first response recorded at `firstRespondedAt`
 * before the inquiry kept which words gave it: they are of the purpose that may have (refusalTookFirstResponse),
 * and were queued with the change that recorded it, not later (a second intermediate answer, hours on,
 * refused after an upgrade, must not take back the first one that reached the citizen). Words whose queueing
 * time is not known are judged on their purpose alone.
 */
export const refusedWordsGaveFirstResponse = (
  refused: { purpose: Undelivered['purpose']; requestedAt?: string | undefined },
  inquiry: Pick<Inquiry, 'firstRespondedAt' | 'resolutionDueAt'>,
): boolean => {
  if (inquiry.firstRespondedAt === undefined) return false;
  if (!refusalTookFirstResponse(refused.purpose, inquiry.resolutionDueAt)) return false;
  if (refused.requestedAt === undefined) return true;
  return queuedWith(refused.requestedAt, inquiry.firstRespondedAt);
};

/** Whether words queued at `requestedAt` were queued with a change recorded at `at`. */
export const queuedWith = (requestedAt: string | undefined, at: string | undefined): boolean => {
  if (requestedAt === undefined || at === undefined) return false;
  const after = Date.parse(requestedAt) - Date.parse(at);
  return after >= 0 && after <= WORDS_QUEUED_WITHIN_MS;
};

/** What a cycle's figures are read from: the inquiry's fields for its current cycle. */
type CycleFields = Pick<
  Inquiry,
  | 'status'
  | 'createdAt'
  | 'reopenCount'
  | 'earlierCycles'
  | 'firstResponseStartedAt'
  | 'firstResponseDueAt'
  | 'firstRespondedAt'
  | 'firstResponseLate'
  | 'firstResponseCause'
  | 'resolutionDueAt'
  | 'answeredAt'
  | 'closedAt'
  | 'undelivered'
  | 'terms'
  | 'citizenSettledAt'
>;

/**
 * The inquiry's current cycle as the statistics read a cycle, its undefined fields left out: kept as it ends
 * when the next begins (`earlierCycles`), and counted as it stands until then.
 */
export function currentCycleOf(inquiry: CycleFields): EndedCycle {
  const cycle: EndedCycle = {
    status: inquiry.status,
    // Stored before the start was kept: the first cycle started at the opening, a later one is not timed.
    startedAt:
      inquiry.firstResponseStartedAt ??
      (inquiry.reopenCount === 0 && !inquiry.earlierCycles ? inquiry.createdAt : undefined),
    firstResponseDueAt: inquiry.firstResponseDueAt,
    firstRespondedAt: inquiry.firstRespondedAt,
    firstResponseLate: inquiry.firstResponseLate,
    firstResponseCause: inquiry.firstResponseCause,
    resolutionDueAt: inquiry.resolutionDueAt,
    answeredAt: inquiry.answeredAt,
    closedAt: inquiry.closedAt,
    refused: inquiry.undelivered?.purpose,
    terms: inquiry.terms,
    citizenSettledAt: inquiry.citizenSettledAt,
  };
  return Object.fromEntries(
    Object.entries(cycle).filter(([, value]) => value !== undefined),
  ) as unknown as EndedCycle;
}
