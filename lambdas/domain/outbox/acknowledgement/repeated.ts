import type { AppConfig } from '../../config/schema.js';
import type { HistoryEntry, Inquiry } from '../../inquiry/inquiry.js';
import { type AcknowledgementDecision, promised } from './message.js';
import { settingsOf } from './settings.js';

/**
 * Where the routing by `cause` stands among the inquiry's routings in its history: `first`, which the citizen
 * is told of under `routed`; `later`, after an earlier routing whose acknowledgement told the case number
 * (toldAlready, first.ts, which reads it off the inquiry only while it is as the routing left it: an
 * intermediate answer since starts another clock). Undefined when the history holds no routing by `cause`.
 */
function routingOf(history: readonly HistoryEntry[], cause: string): 'first' | 'later' | undefined {
  const routings = history
    .filter((entry) => entry.kind === 'routed')
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const index = routings.findIndex((entry) => entry.key.includes(`#${cause}#`));
  return index < 0 ? undefined : index === 0 ? 'first' : 'later';
}

/**
 * The acknowledgement an operator's routing of a rejected message (by `cause`) queues when the request is
 * repeated, its first try having saved the routing but not queued the acknowledgement (503): whatever the
 * inquiry has become since (taken, written to), it tells the case number, the department and the
 * first-response due time as they are now, under the id the first try used, so that one it did queue is sent
 * once; the responder skips it once the inquiry is answered (docs/answering-citizens.md, "Too late"). None once the inquiry is
 * rejected again, or routed by a later request (which acknowledges its own), nor for a routing back into work
 * after an earlier routing told the case number.
 */
export function decideRoutingAcknowledgement(
  inquiry: Inquiry,
  history: readonly HistoryEntry[],
  cause: string,
  config: AppConfig,
  now: Date,
  requestedBy: string,
): AcknowledgementDecision {
  if (inquiry.status === 'rejected') return { skipped: 'not_an_inquiry' };
  const routing = inquiry.routeCause === cause ? routingOf(history, cause) : undefined;
  if (routing === undefined) return { skipped: 'not_routed' };
  if (routing === 'later') return { skipped: 'told_already' };
  const settings = settingsOf(inquiry, config, inquiry.department);
  if (!settings) return { skipped: 'unknown_community' };
  return promised(
    inquiry,
    settings,
    { cause: 'routed', firstResponseDueAt: inquiry.firstResponseDueAt },
    now,
    requestedBy,
  );
}
