/**
 * VK refused words of a cycle the inquiry has ended: its answer, or the intermediate answer that gave its
 * first response, refused after the next cycle began (a message the citizen wrote before the answer, routed
 * after it, reopens the inquiry before the responder delivered the answer) or again when replayed from the
 * dead letters. That cycle no longer counts them; the inquiry's status never changes.
 */
import { isOutboxIdFor } from '../../outbox/outbox-message.js';
import { type EndedCycle, queuedWith } from '../cycles.js';
import { type Inquiry, isOpen } from '../inquiry.js';
import { type Change, type ClockContext, entry } from './change.js';
import type { DeliveryFailure } from './events.js';

/**
 * The cause of the answer the cycle the inquiry ended last was answered with, if the refused words are that
 * answer: it was reopened between the answer and its refusal (a message the citizen wrote before the answer,
 * routed after it, reopens it a second or two after the answer, before the responder delivered it), or VK
 * refuses it again (replayed from the dead letters). A cycle ended under 13d2507 keeps no cause of its answer,
 * which that release left on the inquiry (`answerCause`): that one, if the words were queued with the cycle's
 * answer (the inquiry's may name an answer of the cycle since).
 */
export function endedCycleAnswerCause(inquiry: Inquiry, event: DeliveryFailure): string | undefined {
  const last = inquiry.earlierCycles?.at(-1);
  if (event.purpose !== 'answer' || last === undefined) return undefined;
  const cause =
    last.answerCause ?? (queuedWith(event.requestedAt, last.answeredAt) ? inquiry.answerCause : undefined);
  return cause !== undefined && isOutboxIdFor(event.outboxId, inquiry.id, 'answer', cause)
    ? cause
    : undefined;
}

/**
 * The ended cycle as its answer refused leaves it: not answered, and, if that answer gave its first
 * response, not responded to either (statistics.ts counts what it owed late if due before it ended). It keeps
 * the cause of that answer, found on the inquiry if it kept none (endedCycleAnswerCause).
 */
const answerRefusedIn = (cycle: EndedCycle, answerCause: string): EndedCycle => {
  const { firstRespondedAt, firstResponseLate, firstResponseCause, ...rest } = cycle;
  const gaveFirstResponse = firstResponseCause !== undefined && firstResponseCause === answerCause;
  return {
    ...(gaveFirstResponse ? rest : cycle),
    answerCause,
    refused: 'answer',
  };
};

/**
 * The answer of the cycle the inquiry ended last did not reach the citizen: that cycle is no longer counted
 * as answered. The inquiry, open in the cycle its reopening began, is flagged as one whose answer was refused
 * (unless it is flagged already): the citizen got no answer, and whoever reaches them another way may close
 * it. Answered again or closed since, it stays so: that outcome is the current cycle's own, also when VK
 * refuses that answer again, replayed from the dead letters after the close. Its status never changes.
 */
export function onEndedCycleAnswerRefused(
  change: Change<ClockContext>,
  event: DeliveryFailure,
  answerCause: string,
): undefined {
  const { inquiry, next } = change;
  const cycles = inquiry.earlierCycles ?? [];
  next.earlierCycles = cycles.map((cycle, n) =>
    n === cycles.length - 1 ? answerRefusedIn(cycle, answerCause) : cycle,
  );
  // Stored under 13d2507, the inquiry held that cause still: it is the ended cycle's, not this one's.
  if (inquiry.answerCause === answerCause) next.answerCause = undefined;
  next.status = inquiry.status;
  const { outboxId, purpose, reason, at } = event;
  if (isOpen(inquiry.status) && inquiry.undelivered === undefined)
    next.undelivered = { outboxId, purpose, reason, at };
  entry({ ...change, to: inquiry.status }, at, 1, 'undelivered', 'responder', {
    reason: `the answer given before the inquiry was reopened did not reach the citizen: ${reason}`,
    detail: { outboxId, purpose },
  });
}

/**
 * Whether the refused words are the intermediate answer that gave the cycle the inquiry ended last its first
 * response (the cause that cycle keeps).
 */
export function gaveEndedCycleFirstResponse(inquiry: Inquiry, event: DeliveryFailure): boolean {
  const cause = inquiry.earlierCycles?.at(-1)?.firstResponseCause;
  return (
    event.purpose === 'intermediate_answer' &&
    cause !== undefined &&
    isOutboxIdFor(event.outboxId, inquiry.id, 'intermediate_answer', cause)
  );
}

/**
 * The ended cycle as the refusal of the words that gave its first response leaves it: words the citizen never
 * got are no response. Its answer, if it has one VK did not refuse, is its first response then, when it was
 * given; closed or rejected without one, it has none (statistics.ts counts it late if due before it ended).
 */
function firstResponseRefusedIn(cycle: EndedCycle): EndedCycle {
  const { firstRespondedAt, firstResponseLate, firstResponseCause, ...rest } = cycle;
  const refused = cycle.refused ?? 'intermediate_answer';
  const answeredAt = cycle.refused === 'answer' ? undefined : cycle.answeredAt;
  if (answeredAt === undefined) return { ...rest, refused };
  return {
    ...rest,
    firstRespondedAt: answeredAt,
    firstResponseLate: cycle.firstResponseDueAt !== undefined && answeredAt > cycle.firstResponseDueAt,
    ...(cycle.answerCause !== undefined && { firstResponseCause: cycle.answerCause }),
    refused,
  };
}

/**
 * The intermediate answer that gave the cycle the inquiry ended last its first response did not reach the
 * citizen: that cycle no longer counts it (firstResponseRefusedIn). The inquiry, in the cycle since, owes that
 * cycle's own first response by its own clock, and is not flagged: the citizen's newer message is what the
 * department answers now. Its status never changes.
 */
export function onEndedCycleFirstResponseRefused(
  change: Change<ClockContext>,
  event: DeliveryFailure,
): undefined {
  const { inquiry, next } = change;
  const cycles = inquiry.earlierCycles ?? [];
  next.earlierCycles = cycles.map((cycle, n) =>
    n === cycles.length - 1 ? firstResponseRefusedIn(cycle) : cycle,
  );
  next.status = inquiry.status;
  const { outboxId, purpose, reason, at } = event;
  entry({ ...change, to: inquiry.status }, at, 1, 'undelivered', 'responder', {
    reason: `the intermediate answer given before the inquiry was reopened did not reach the citizen: ${reason}`,
    detail: { outboxId, purpose },
  });
}
