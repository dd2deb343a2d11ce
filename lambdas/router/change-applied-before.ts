import { completeRouting } from '../application/routing-completion.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import type { MessageChange } from '../domain/messages.js';
import type { ChangeOutcome } from './change-outcome.js';
import type { ChangeAttempt } from './changed-message.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';

/**
 * A change its inquiry did not take again, applied before by an earlier try of its event or another delivery:
 * the acknowledgements it made are put on the outbox again, under the same ids, in case the last try stopped
 * before them, and the entries of this work's lost attempts are settled.
 */
export function changeAppliedBefore(deps: RouteMessageDeps) {
  const { acknowledgeFollowUp, completion } = routerContext(deps);

  /** The inquiry was routed by this edit: its first clock started when the edit reached us. */
  const routedByEdit = (inquiry: Inquiry, change: MessageChange): boolean =>
    inquiry.department !== undefined &&
    inquiry.clock?.kind === 'first_response' &&
    inquiry.clock.cycle === 1 &&
    inquiry.clock.startedAt === new Date(change.receivedAt).toISOString();

  /** `newer`: the conversation's newer inquiry the edit's words joined, if they did (change-decision.ts). */
  return async (attempt: ChangeAttempt, newer: Inquiry | undefined): Promise<ChangeOutcome> => {
    const { change, inquiry, writes } = attempt;
    // This edit routed it: acknowledge again in case the last try stopped before the outbox.
    if (routedByEdit(inquiry, change)) await completeRouting(completion, inquiry, { asked: 'again' });
    // Its words reopened the newer inquiry, or raised it: so is that, under the same id.
    if (newer) await acknowledgeFollowUp(newer, change.eventKey);
    // The edit reopened this inquiry, or raised it: so is its acknowledgement, under the same id.
    await acknowledgeFollowUp(inquiry, change.eventKey);
    await writes.settle(inquiry);
    return { inquiryId: inquiry.id, outcome: 'duplicate' };
  };
}
