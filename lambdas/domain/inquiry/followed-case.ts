import type { Classification } from '../taxonomy.js';
import type { InquiryStatus } from './inquiry.js';

/** The case a new matter was opened beside, rather than reopening it (threading.ts). */
export interface FollowedCase {
  inquiryId: string;
  caseNumber?: string;
  category: Classification['category'];
  /**
   * Its department then, as shown to whom may know the case. Who may is judged by the department it is in now,
   * which a move may have changed (operator/followed-case.ts). Absent on inquiries opened before it was kept.
   */
  department?: string;
}

/** The case by its number (its id if it had none). */
export const nameOf = (named: Pick<FollowedCase, 'inquiryId' | 'caseNumber'>) =>
  named.caseNumber ? `№ ${named.caseNumber}` : named.inquiryId;

const NEW_MATTER = "a new matter, of another category than the citizen's case ";
const BURST_OF_FOLLOWED = "a message of its burst of the category of the citizen's case ";

/** What the routing entry of a new matter says of the case it did not reopen, after why it went where it went. */
export const newMatterReason = (followed: FollowedCase, status: InquiryStatus) =>
  `${NEW_MATTER}${nameOf(followed)} (${followed.category}, ${status} lately), which stays as it was`;

/** What the entry of a message of the followed case's category, in the new matter's burst, says (burst.ts). */
export const burstOfFollowedReason = (followed: FollowedCase) =>
  `${BURST_OF_FOLLOWED}${nameOf(followed)}, which this new matter was opened beside: a follow-up, which changes neither its text nor its routing`;

/**
 * An entry's reason as one may read it who may not know the followed case (another department's): the mention of
 * the case without its id, number, category or status. Any other reason is given as it is.
 */
export function reasonWithoutFollowedCase(reason: string): string {
  const newMatter = reason.indexOf(NEW_MATTER);
  if (newMatter >= 0)
    return `${reason.slice(0, newMatter)}a new matter, after the citizen's case in another department`;
  if (reason.startsWith(BURST_OF_FOLLOWED))
    return "a message of its burst taken for one of the citizen's case in another department, which this new matter was opened beside: a follow-up, which changes neither its text nor its routing";
  return reason;
}
