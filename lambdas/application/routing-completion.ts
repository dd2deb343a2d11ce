import { caseNumberDue, caseYear, formatCaseNumber } from '../domain/inquiry/case-number.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import type { Effect, TransitionContext } from '../domain/inquiry/state-machine.js';
import type { AcknowledgementAsked } from '../domain/outbox/acknowledgement.js';
import type { InquiryRepository } from '../domain/ports.js';

/**
 * Putting an inquiry into work, whoever does it (the router opening it routed, a citizen's edit routing one
 * rejected as not an inquiry, an operator's move of one), goes in one order:
 * 1. its case number, if due (caseNumberDue), is drawn once the change is sure to be attempted and written with
 *    the inquiry (numberedIfDue): a retry or a repeat finds it stored and draws none, and a number drawn by an
 *    attempt that then lost its write is skipped, never used again (case-number.ts);
 * 2. the inquiry is written (the caller's own write);
 * 3. the case lookup is stored (completeRouting), so that the number finds the inquiry;
 * 4. what the caller records before the citizen is told (beforeAcknowledgement): the router stores the message's
 *    lookup, which proves the whole done, and settles and counts its opening;
 * 5. the acknowledgement is queued, under an outbox id of the inquiry and its routing alone, so that a retry
 *    or a redelivery that does 3 to 5 again (the same items again) has the citizen told once.
 */

/** A new case number of the inquiry's community, for an inquiry put into work at `now` (case-number.ts). */
async function drawCaseNumber(
  counter: Pick<InquiryRepository, 'nextCaseSequence'>,
  groupId: number,
  now: Date,
  timeZone: string,
): Promise<string> {
  const year = caseYear(now, timeZone);
  return formatCaseNumber(year, await counter.nextCaseSequence(groupId, year));
}

/**
 * The inquiry as a change leaves it (`effects`), with a case number drawn if the change put it into work and it
 * has none (1 above); `context`: the change's, whose calendar's year the number is of.
 */
export async function numberedIfDue(
  counter: Pick<InquiryRepository, 'nextCaseSequence'>,
  inquiry: Inquiry,
  effects: readonly Effect[],
  context: Pick<TransitionContext, 'now' | 'calendar'>,
): Promise<Inquiry> {
  if (!caseNumberDue(effects, inquiry)) return inquiry;
  return {
    ...inquiry,
    caseNumber: await drawCaseNumber(counter, inquiry.groupId, context.now, context.calendar.timeZone),
  };
}

interface RoutingCompletionDeps<Asked extends AcknowledgementAsked, Told> {
  inquiries: Pick<InquiryRepository, 'saveCaseLookup'>;
  /** Queues the acknowledgement asked for (its id keyed by the inquiry and the routing), and says how it went. */
  acknowledge: (inquiry: Inquiry, asked: Asked) => Promise<Told>;
}

interface Completion<Asked> {
  /**
   * Which acknowledgement is owed (acknowledgement.ts); none when another delivery put the inquiry into work
   * and tells the citizen itself.
   */
  asked?: Asked | undefined;
  /** What the caller records after the case lookup and before the citizen is told (4 above). */
  beforeAcknowledgement?: () => Promise<void>;
}

/**
 * What follows the write of an inquiry put into work (3 to 5 above), done again as it is by a retry, a
 * redelivery or a repeated request, whose first try may have stopped anywhere in it. The inquiry is the one
 * stored: none when the one another delivery wrote is gone already (nothing to look up, no one to tell).
 */
export async function completeRouting<Asked extends AcknowledgementAsked, Told>(
  deps: RoutingCompletionDeps<Asked, Told>,
  inquiry: Inquiry,
  completion: Completion<Asked> & { asked: Asked },
): Promise<Told>;
export async function completeRouting<Asked extends AcknowledgementAsked, Told>(
  deps: RoutingCompletionDeps<Asked, Told>,
  inquiry: Inquiry | undefined,
  completion: Completion<Asked>,
): Promise<Told | undefined>;
export async function completeRouting<Asked extends AcknowledgementAsked, Told>(
  deps: RoutingCompletionDeps<Asked, Told>,
  inquiry: Inquiry | undefined,
  { asked, beforeAcknowledgement }: Completion<Asked>,
): Promise<Told | undefined> {
  if (inquiry?.caseNumber)
    await deps.inquiries.saveCaseLookup({
      groupId: inquiry.groupId,
      caseNumber: inquiry.caseNumber,
      inquiryId: inquiry.id,
    });
  await beforeAcknowledgement?.();
  return asked === undefined || !inquiry ? undefined : deps.acknowledge(inquiry, asked);
}
