import { nameOf } from './followed-case.js';

/**
 * The citizen's newer inquiry that took the words of a message taken for no inquiry, which they edited into its
 * matter (message-changed.ts): its id, and its case number.
 */
export interface JoinedCase {
  inquiryId: string;
  caseNumber?: string;
}

const JOINED = "the message was edited in VK into words of the matter of the citizen's newer inquiry ";
const FOLLOW_UP = ', which they joined as a follow-up';

/** What the `message_changed` entry of an edit whose words joined the newer inquiry says. */
export const wordsJoinedReason = (joined: JoinedCase) => `${JOINED}${nameOf(joined)}${FOLLOW_UP}`;

/**
 * An entry's reason as one may read it who may not know the case the words joined (another department's): that
 * it is the citizen's newer inquiry in another department, without its id or number. Any other reason is given
 * as it is.
 */
export const reasonWithoutJoinedCase = (reason: string): string =>
  reason.startsWith(JOINED) ? `${JOINED}in another department${FOLLOW_UP}` : reason;
