import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { applyEvent, type InquiryEvent } from '../domain/inquiry/state-machine.js';
import { mayAccess } from '../domain/operator/access.js';
import { VersionConflictError } from '../domain/ports.js';
import { type ApiAnswer, type ApiRequest, answer, type OperatorApiDeps, problem } from './api.js';

const MAX_ATTEMPTS = 5;

/** The inquiry if the operator may see it; 404 otherwise, so that another department's cases stay unseen. */
export async function visibleInquiry(
  id: string,
  request: ApiRequest,
  deps: OperatorApiDeps,
): Promise<Inquiry | ApiAnswer> {
  const inquiry = await deps.inquiries.getInquiry(id);
  if (!inquiry || !mayAccess(request.operator, inquiry.department)) return problem(404, 'no such inquiry');
  return inquiry;
}

/**
 * The shape of every change an operator makes: read the inquiry, check the operator may touch it, apply the
 * event (the cause is the request's idempotency key, so a repeated request is a duplicate), write it
 * conditionally on the version read (re-read and re-apply when someone else got there first), then do what
 * follows (e.g. put the answer on the outbox), also for a duplicate, since the first try may have stopped
 * before it.
 */
export async function changeInquiry(
  request: ApiRequest,
  deps: OperatorApiDeps,
  eventFor: (inquiry: Inquiry, cause: string, at: string) => InquiryEvent | ApiAnswer,
  after?: (inquiry: Inquiry, cause: string) => Promise<void>,
): Promise<ApiAnswer> {
  const id = request.params.id ?? '';
  const cause = `op:${request.idempotencyKey}`;
  for (let attempt = 1; ; attempt++) {
    const found = await visibleInquiry(id, request, deps);
    if ('status' in found && 'body' in found && !('id' in found)) return found;
    const inquiry = found as Inquiry;
    const community = deps.config.communities.find((candidate) => candidate.groupId === inquiry.groupId);
    if (!community) return problem(409, `the inquiry's community ${inquiry.groupId} is no longer configured`);
    const now = deps.clock.now();
    const event = eventFor(inquiry, cause, now.toISOString());
    if (!('type' in event)) return event;
    const result = applyEvent(inquiry, event, {
      calendar: community.calendar,
      warnAtFraction: deps.config.sla.warnAtFraction,
      now,
    });
    if (result.outcome === 'refused') return problem(409, result.reason);
    if (result.outcome === 'duplicate') {
      await after?.(inquiry, cause);
      return answer(200, inquiry);
    }
    try {
      await deps.inquiries.update(result.inquiry, inquiry.version, result.history);
    } catch (error) {
      if (error instanceof VersionConflictError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
    await after?.(result.inquiry, cause);
    return answer(200, result.inquiry);
  }
}
