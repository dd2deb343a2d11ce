/**
 * An operator's internal note: what they did outside the product (called the citizen, passed the matter to the
 * management company, booked a visit), kept in the history for colleagues who take the inquiry over and for
 * heads. Never sent to the citizen, it is no response: it changes no status, clock, first response or holder,
 * and a colleague's hold does not refuse it (holder.ts guards only what ends or takes over their work).
 */
import { byOperator, type Change, type ClockContext, entry } from './change.js';
import type { Note } from './events.js';

/** Timing nothing, it needs no calendar: an inquiry whose community is no longer configured takes one too. */
export function onNote(change: Change<ClockContext>, event: Note): undefined {
  // The words are the entry's `reason`, as every other operator entry's are: a console that does not know this
  // kind shows an entry's `reason` (the OpenAPI document's promise), so it shows the note too.
  entry(change, event.at, 1, 'note', 'operator', { ...byOperator(event), reason: event.text });
}
