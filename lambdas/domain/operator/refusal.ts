import type { Assignee, Inquiry } from '../inquiry/inquiry.js';
import { heldByColleague, type InquiryEvent, TRANSITIONS } from '../inquiry/state-machine.js';

/** The events of an operator's words to the citizen, refused while another operator holds the inquiry. */
const WORDS: readonly InquiryEvent['type'][] = ['intermediate_answer', 'final_answer', 'reply_noted'];

const forced = (event: InquiryEvent) => 'force' in event && event.force === true;

/**
 * Why the state machine refused an operator's change, as the code the API answers with: it says why in words
 * only, so the code is read off what it refused on. Taking, words from the console, and closing, reopening,
 * rejecting or handing to another department an inquiry another operator holds are refused (unless forced:
 * transitions/holder.ts);
 * releasing one another operator holds, by one who is no admin; taking when the operator holds it already;
 * anything else is its status.
 */
export function refusalOf(
  inquiry: Inquiry,
  event: InquiryEvent,
): { code: 'taken_by_other' | 'already_yours' | 'not_allowed_in_state'; holder?: Assignee } {
  const holder = inquiry.assignee;
  if (TRANSITIONS[inquiry.status][event.type] === undefined || holder === undefined)
    return { code: 'not_allowed_in_state' };
  // Its only refusal with a holder: a colleague's, who is no admin (operator-actions.ts, onRelease).
  if (event.type === 'release') return { code: 'taken_by_other', holder };
  if (WORDS.includes(event.type))
    return forced(event) ? { code: 'not_allowed_in_state' } : { code: 'taken_by_other', holder };
  // Checked before the status by each of them (operator-actions.ts): refused on it unless forced.
  if (heldByColleague(inquiry, event) && !forced(event)) return { code: 'taken_by_other', holder };
  if (event.type !== 'take') return { code: 'not_allowed_in_state' };
  if (holder.id === event.operatorId) return { code: 'already_yours' };
  return event.force ? { code: 'not_allowed_in_state' } : { code: 'taken_by_other', holder };
}
