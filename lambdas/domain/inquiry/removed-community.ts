import { type Inquiry, isFinished } from './inquiry.js';
import {
  applyEvent,
  type DepartmentMove,
  type InquiryEvent,
  type TransitionResult,
} from './state-machine.js';
import type { Note } from './transitions/events.js';

/**
 * What may still be done to an inquiry whose community is no longer configured, with no calendar to time a
 * deadline by and no words to acknowledge in: a finished one (answered, closed, rejected) may be handed to
 * another department, and any may take an operator's note; nothing else. That changes nothing its citizen sees
 * (a move or a note sends nothing, and a finished inquiry has no deadline to time anew). The move lets the
 * community's departments be removed without leaving its inquiries where the lists and the retention sweep no
 * longer look; the note lets an operator keep what they did of an open one left over (called the citizen)
 * while ops add the community back to end it (docs/runbook.md, "Removing a community").
 */
function doableWithoutCommunity(inquiry: Inquiry, event: InquiryEvent): event is DepartmentMove | Note {
  if (event.type === 'note') return true;
  return (
    isFinished(inquiry.status) &&
    event.type === 'move' &&
    event.department !== undefined &&
    event.category === undefined &&
    event.priority === undefined &&
    event.terms === undefined
  );
}

/** Applies the event to an inquiry of a community no longer configured, if it may be (doableWithoutCommunity). */
export function applyWithoutCommunity(inquiry: Inquiry, event: InquiryEvent, now: Date): TransitionResult {
  if (doableWithoutCommunity(inquiry, event)) return applyEvent(inquiry, event, { now });
  return {
    outcome: 'refused',
    reason:
      `the inquiry's community ${inquiry.groupId} is no longer configured: only a note may be written, or a ` +
      'finished inquiry moved to another department alone',
  };
}
