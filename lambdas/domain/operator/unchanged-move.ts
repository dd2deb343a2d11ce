import type { Inquiry } from '../inquiry/inquiry.js';
import type { InquiryEvent } from '../inquiry/state-machine.js';

/**
 * Whether a move would change nothing of the inquiry: the department, category and priority it names are the
 * inquiry's already, and the deadline terms they bring are those it runs on. Such a move is made by no write:
 * no history entry, and the version stays, so that a colleague's `If-Match` still holds.
 */
export function movesNothing(inquiry: Inquiry, move: Extract<InquiryEvent, { type: 'move' }>): boolean {
  return (
    (move.department === undefined || move.department === inquiry.department) &&
    (move.category === undefined || move.category === inquiry.category) &&
    (move.priority === undefined || move.priority === inquiry.priority) &&
    (move.terms === undefined ||
      (move.terms.firstResponseHours === inquiry.terms?.firstResponseHours &&
        move.terms.resolutionHours === inquiry.terms?.resolutionHours &&
        // Terms stored before they could count round the clock have no clock: working hours.
        (move.terms.clock ?? 'working_hours') === (inquiry.terms?.clock ?? 'working_hours')))
  );
}
