import { changeInquiryWithRetries, type Decision } from '../application/inquiry-writes.js';
import { communityOf } from '../domain/config/community-of.js';
import type { Community } from '../domain/config/schema.js';
import { checkDeadlineCalendar } from '../domain/inquiry/calendar-check.js';
import { countEffects } from '../domain/inquiry/effect-counts.js';
import { historyKeyParts, type Inquiry } from '../domain/inquiry/inquiry.js';
import { applyWithoutCommunity } from '../domain/inquiry/removed-community.js';
import {
  applyEvent,
  type Effect,
  type InquiryEvent,
  type TransitionContext,
} from '../domain/inquiry/state-machine.js';
import { mayAccess } from '../domain/operator/access.js';
import { etagOf, type IfMatch, ifMatchHolds, namesWeakTag } from '../domain/operator/preconditions.js';
import { refusalOf } from '../domain/operator/refusal.js';
import { inquiryView } from '../domain/operator/view.js';
import { type ApiAnswer, type ApiRequest, answer, type OperatorApiDeps, problem } from './api.js';
import { caseDepartments, casesNamedBy } from './case-departments.js';
import type { ErrorCode, Problem } from './contract/errors.js';
import { operatorHadIt } from './left-departments.js';

const MAX_ATTEMPTS = 5;

/**
 * What an event for a change may be instead, for a change that would change nothing (a move to where the inquiry
 * is): nothing written, the inquiry answered as it is, as a change answers it.
 */
export const UNCHANGED = { unchanged: true } as const;

/** What follows a change: puts its message to the citizen on the answers queue, if any, and gives its outbox id. */
type FollowingMessage = (inquiry: Inquiry, cause: string) => Promise<string | undefined>;

/**
 * The change was saved, but what follows it (the message to the citizen) could not be done. The request,
 * repeated with the same idempotency key (`idempotencyKey`, the one it came with or was given), finds the
 * change made and does only what follows.
 */
export class FollowUpFailed extends Error {
  override name = 'FollowUpFailed';

  constructor(
    message: string,
    readonly idempotencyKey: string | undefined,
    options: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The shape of every change an operator makes: read the inquiry, check the operator may touch it (one of their
 * departments' now, else 404, so that another department's cases stay unseen; 409 `left_your_departments` to
 * one who had it, left-departments.ts), apply the
 * event (the cause is the request's idempotency key, so a repeated request is a duplicate), write it
 * conditionally on the version read (re-read and re-apply when someone else got there first), then do what
 * follows (e.g. put the answer on the answers queue), also for a duplicate, since the first try may have stopped
 * before it.
 *
 * Every attempt takes the same time, so a retry rewrites the keys of the attempt before; what the attempts that
 * lost leave is settled by changeInquiryWithRetries.
 *
 * `complete` adds to a change what only a write may give (a case number from its counter), after the event
 * applied on the community's calendar (`context`) and before the inquiry is written: never for a repeated
 * request, which finds it stored, nor for a change made without a calendar (eventWithoutCommunity).
 *
 * With `If-Match`, a change is made only on the version the operator saw (its ETag): otherwise 412, and
 * nothing changes. A repeated request whose change is made (its cause applied) is answered as made, though
 * that change itself moved the version on.
 *
 * A change the operator made once is no key to the inquiry afterwards: repeated once it is out of their reach
 * (their move handed it on, or they left its department), the request does only what follows and answers 204,
 * with nothing of the inquiry as it is now.
 */
export async function changeInquiry(
  request: ApiRequest,
  deps: OperatorApiDeps,
  eventFor: (
    inquiry: Inquiry,
    cause: string,
    at: string,
    community: Community,
  ) => InquiryEvent | ApiAnswer | typeof UNCHANGED | Promise<InquiryEvent | ApiAnswer | typeof UNCHANGED>,
  after?: FollowingMessage,
  complete?: (changed: Inquiry, effects: Effect[], context: TransitionContext) => Promise<Inquiry>,
  /**
   * The event for an inquiry whose community is no longer configured (departments:move hands the finished
   * ones on before the community's departments go; a note is kept on any): applied only where it needs no
   * calendar (removed-community.ts). Omitted, or giving none, such an inquiry is refused (409
   * `community_not_configured`); it may answer a refusal of its own instead of the event.
   */
  eventWithoutCommunity?: (
    inquiry: Inquiry,
    cause: string,
    at: string,
  ) => InquiryEvent | ApiAnswer | undefined | Promise<InquiryEvent | ApiAnswer | undefined>,
): Promise<ApiAnswer> {
  const id = request.params.id ?? '';
  const cause = `op:${request.idempotencyKey}`;
  const now = deps.clock.now();
  let firstType: InquiryEvent['type'] | undefined;
  const decide = async (inquiry: Inquiry | undefined): Promise<Decision<ApiAnswer> | ApiAnswer> => {
    if (!inquiry || !mayAccess(request.operator, inquiry.department)) {
      // A repeat of the operator's own change made, the inquiry out of their reach since (their move handed it
      // on, or they left its department): it still does what followed the change (the first try may have
      // stopped before it), but shows nothing of the inquiry as it is now.
      if (inquiry?.causes.includes(cause))
        return {
          done: async () => {
            await doWhatFollows(inquiry, request, cause, after);
            return { status: 204, body: undefined };
          },
        };
      // Theirs a moment ago (a colleague moved or rejected it while they wrote): told so, not "no such
      // inquiry", so that the console keeps their words. The department it went to is not named: it is one
      // they may not know of (operator/named-case.ts).
      if (inquiry && (await operatorHadIt(inquiry, request, deps)))
        return conflict(
          inquiry,
          'left_your_departments',
          'the inquiry is no longer in your departments (a colleague moved or rejected it since you read it, or ' +
            'you left its department): your change was not made, and nothing was sent to the citizen',
        );
      return problem(404, 'not_found', 'no such inquiry');
    }
    if (
      request.ifMatch !== undefined &&
      !inquiry.causes.includes(cause) &&
      !ifMatchHolds(request.ifMatch, inquiry.version)
    ) {
      return preconditionFailed(inquiry, request.ifMatch);
    }
    const community = communityOf(deps.config, inquiry.groupId);
    const at = now.toISOString();
    const event = community
      ? await eventFor(inquiry, cause, at, community)
      : await eventWithoutCommunity?.(inquiry, cause, at);
    if (!event) {
      return conflict(
        inquiry,
        'community_not_configured',
        `the inquiry's community ${inquiry.groupId} is no longer configured`,
      );
    }
    if ('unchanged' in event) return { done: () => inquiryAnswer(inquiry, request, deps) };
    if (!('type' in event)) {
      return event.status === 409 ? withCurrent(event, inquiry) : event;
    }
    firstType ??= event.type;
    const context: TransitionContext | undefined = community && {
      calendar: community.calendar,
      warnAtFraction: deps.config.sla.warnAtFraction,
      now,
    };
    const result = context ? applyEvent(inquiry, event, context) : applyWithoutCommunity(inquiry, event, now);
    if (result.outcome === 'duplicate') return { done: () => followUp(inquiry, request, deps, cause, after) };
    // Someone else changed the inquiry so that this request would now do something else (answered already:
    // a reply would only be noted): the operator decides again on what the inquiry has become.
    if (event.type !== firstType) {
      return conflict(
        inquiry,
        'changed_meanwhile',
        `the inquiry changed while this request was made: it is ${inquiry.status} now`,
      );
    }
    if (result.outcome === 'refused') {
      const { code, ...details } = refusalOf(inquiry, event);
      return conflict(inquiry, code, result.reason, details);
    }
    const changed =
      complete && context ? await complete(result.inquiry, result.effects, context) : result.inquiry;
    const done = () => {
      // Counted once, by the request that saved the change: a repeat finds it a duplicate.
      countEffects(deps.metrics, result.effects, changed);
      if (community) checkDeadlineCalendar(changed, inquiry, community.calendar, deps);
      return followUp(changed, request, deps, cause, after);
    };
    return { write: changed, history: result.history, done };
  };
  return changeInquiryWithRetries(
    deps.inquiries,
    id,
    async (inquiry) => {
      const decided = await decide(inquiry);
      return 'done' in decided ? decided : { done: () => decided };
    },
    { maxAttempts: MAX_ATTEMPTS, twinKeyedAt: () => twinKeyedAt(id, cause, now.toISOString(), deps) },
  );
}

/**
 * The same request made twice at once (a double click, a client's retry), and the other one saved it first:
 * it keyed its entries by the time it came, found in the history; unless both read the clock in the same
 * millisecond, the entries this one wrote tell of the change a second time.
 */
async function twinKeyedAt(id: string, cause: string, at: string, deps: OperatorApiDeps) {
  const stored = await deps.inquiries.get(id);
  const theirs = stored?.history
    .map((entry) => historyKeyParts(entry.key))
    .find((parts) => parts.cause === cause && parts.at !== at);
  return theirs?.at ?? at;
}

/**
 * The operator saw an older inquiry than there is: they decide again on what it has become. Or the console
 * sent the ETag made weak (`W/"3"`), which no version matches: that it changed would not be true.
 */
const preconditionFailed = (inquiry: Inquiry, ifMatch: IfMatch): ApiAnswer => ({
  ...problem(
    412,
    'precondition_failed',
    namesWeakTag(ifMatch)
      ? `If-Match: a weak ETag (W/"…") never matches: send the ETag as given (${etagOf(inquiry.version)} for ` +
          `the inquiry as it is now, ${inquiry.status} at version ${inquiry.version})`
      : `the inquiry changed since it was read: it is ${inquiry.status} now, at version ${inquiry.version}`,
    { current: currentOf(inquiry) },
  ),
  headers: { etag: etagOf(inquiry.version) },
});

/** What an answer about one inquiry that made no change tells of it as it is now: its status and version. */
const currentOf = (inquiry: Inquiry) => ({ status: inquiry.status, version: inquiry.version });

/**
 * The change is refused on the inquiry as it is now (409): with its status and version (`current`) and its
 * ETag, as a 412 gives them, so that a console tells what it became without parsing the message, and may send
 * a change on it.
 */
const conflict = (
  inquiry: Inquiry,
  code: ErrorCode,
  message: string,
  details?: Omit<Problem, 'code' | 'message' | 'current'>,
): ApiAnswer => withCurrent(problem(409, code, message, details), inquiry);

/** A use case's own 409 about the inquiry (words_joined), with what every 409 gives of it. */
const withCurrent = (refused: ApiAnswer, inquiry: Inquiry): ApiAnswer => ({
  ...refused,
  body: { ...(refused.body as Problem), current: currentOf(inquiry) },
  headers: { ...refused.headers, etag: etagOf(inquiry.version) },
});

/** Does what follows the change, and gives the outbox id of the message it queued, if any. */
async function doWhatFollows(
  inquiry: Inquiry,
  request: ApiRequest,
  cause: string,
  after: FollowingMessage | undefined,
): Promise<string | undefined> {
  try {
    return await after?.(inquiry, cause);
  } catch (error) {
    throw new FollowUpFailed(`inquiry ${inquiry.id} changed, but what follows failed`, request.repeatKey, {
      cause: error,
    });
  }
}

/**
 * Does what follows the change and answers with the inquiry, and the outbox id of the message it queued (the
 * same for a repeated request): the `outboxId` of that message's `delivery` entries and of `undelivered`.
 */
async function followUp(
  inquiry: Inquiry,
  request: ApiRequest,
  deps: OperatorApiDeps,
  cause: string,
  after: FollowingMessage | undefined,
): Promise<ApiAnswer> {
  return inquiryAnswer(inquiry, request, deps, await doWhatFollows(inquiry, request, cause, after));
}

/**
 * The inquiry as the operator may see it (the cases it names judged by where each is now), its version as
 * ETag, and the outbox id of the message the change queued, if any.
 */
async function inquiryAnswer(
  inquiry: Inquiry,
  request: ApiRequest,
  deps: OperatorApiDeps,
  outboxId?: string,
): Promise<ApiAnswer> {
  const casesNow = await caseDepartments(deps, request.operator, casesNamedBy([inquiry]));
  return {
    ...answer(200, {
      ...inquiryView(inquiry, request.operator, casesNow, deps.config),
      ...(outboxId !== undefined && { outboxId }),
    }),
    headers: { etag: etagOf(inquiry.version) },
  };
}
