import { historyKey, type Inquiry } from '../inquiry/inquiry.js';
import {
  applyEvent,
  type InquiryEvent,
  type TransitionContext,
  type TransitionResult,
} from '../inquiry/state-machine.js';

/** Why the history says a rejected inquiry went to triage. */
export const LISTED_UNDER_TRIAGE = 'not an inquiry: listed under the triage department for review';

/**
 * An operator rejects a routed inquiry as no inquiry (spam, abuse, an advertisement the classifier took for
 * one): it is `rejected`, its clock stopped, out of open work and escalation, and listed, as a message the
 * classifier rejects is, under its community's triage department, whose operators review it and may `move` it
 * into work again. The state machine's `reject` keeps the department, so the rejected inquiry is then moved
 * there (a department-only `move`, which hands it over as any move does): one change, under the request's one
 * cause, its entries numbered in turn.
 */
export function rejectToTriage(
  inquiry: Inquiry,
  event: Extract<InquiryEvent, { type: 'reject' }>,
  triageDepartment: string,
  context: TransitionContext,
): TransitionResult {
  const rejected = applyEvent(inquiry, event, context);
  if (rejected.outcome !== 'changed' || rejected.inquiry.department === triageDepartment) return rejected;
  const listed = applyEvent(
    rejected.inquiry,
    {
      type: 'move',
      cause: `${event.cause}:triage`,
      at: event.at,
      reason: LISTED_UNDER_TRIAGE,
      operatorId: event.operatorId,
      ...(event.operatorName !== undefined && { operatorName: event.operatorName }),
      department: triageDepartment,
    },
    context,
  );
  if (listed.outcome !== 'changed') return listed;
  return {
    outcome: 'changed',
    // One change: one version more, and the request's cause alone remembered (a repeat is a duplicate of it).
    inquiry: { ...listed.inquiry, version: rejected.inquiry.version, causes: rejected.inquiry.causes },
    history: [
      ...rejected.history,
      ...listed.history.map((entry, index) => ({
        ...entry,
        key: historyKey(event.at, event.cause, rejected.history.length + index + 1),
      })),
    ],
    effects: [...rejected.effects, ...listed.effects],
  };
}
