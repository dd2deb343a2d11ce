/**
 * What an operator may do to an inquiry a colleague holds (`assignee`): no one takes it out of their hands over
 * their head by accident. Taking it and words from the console are refused unless made on purpose (`force`:
 * operator-actions.ts, answers.ts); so are the changes that end the holder's work on it: closing it, rejecting
 * it, and handing it to another department (which leaves it no one's); and reopening it, which puts the work
 * they finished back in their hands, its new first-response deadline in their name. A category or priority
 * set by hand leaves it theirs, and is not refused.
 */
import type { Assignee, Inquiry } from '../inquiry.js';
import type { Refusal } from './change.js';
import type { InquiryEvent } from './events.js';

/** The changes a colleague's hold refuses, beside taking and words. */
type HolderGuarded = Extract<InquiryEvent, { type: 'close' | 'reopen' | 'reject' | 'move' }>;

/**
 * The colleague whose hold the change would go over: the inquiry's holder, if another operator holds it and
 * the change ends their work on it (a move only to another department) or gives it back to them (a reopening).
 * Undefined for anything else, a change with no operator (not one of an operator's) among them.
 */
export function heldByColleague(inquiry: Inquiry, event: InquiryEvent): Assignee | undefined {
  const holder = inquiry.assignee;
  if (holder === undefined || !('operatorId' in event) || typeof event.operatorId !== 'string')
    return undefined;
  if (holder.id === event.operatorId) return undefined;
  if (event.type === 'close' || event.type === 'reopen' || event.type === 'reject') return holder;
  if (event.type === 'move' && event.department !== undefined && event.department !== inquiry.department)
    return holder;
  return undefined;
}

/** The refusal of a change a colleague's hold stops: unless made on purpose (`force`). */
export function holdRefusal(inquiry: Inquiry, event: HolderGuarded): Refusal | undefined {
  const holder = heldByColleague(inquiry, event);
  if (holder === undefined || event.force) return undefined;
  return {
    outcome: 'refused',
    reason: `the inquiry is taken by ${holder.name}: ${event.type} it with force to do so all the same`,
  };
}
