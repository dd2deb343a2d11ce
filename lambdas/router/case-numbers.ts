import { drawCaseNumber as drawCaseNumberOf, saveCaseLookupOf } from '../domain/inquiry/case-number.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import type { TransitionContext } from '../domain/inquiry/state-machine.js';
import type { InquiryRepository } from '../domain/ports.js';

/** The case numbers the router gives the inquiries it puts into work, and their lookups. */
export function caseNumbers(inquiries: InquiryRepository) {
  /** A new case number of the community, for an inquiry put into work now (case-number.ts). */
  const drawCaseNumber = (groupId: number, context: TransitionContext): Promise<string> =>
    drawCaseNumberOf(inquiries, groupId, context.now, context.calendar.timeZone);

  /** Stored after the inquiry, as a message's lookup is, and before that lookup, which proves the whole done. */
  const saveCaseLookup = (inquiry: Inquiry | undefined): Promise<void> =>
    saveCaseLookupOf(inquiries, inquiry);

  return { drawCaseNumber, saveCaseLookup };
}
