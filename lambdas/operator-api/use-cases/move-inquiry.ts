import { completeRouting, numberedIfDue } from '../../application/routing-completion.js';
import type { Community } from '../../domain/config/schema.js';
import { slaTermsFor } from '../../domain/inquiry/deadline.js';
import { nameOf } from '../../domain/inquiry/followed-case.js';
import type { Inquiry } from '../../domain/inquiry/inquiry.js';
import type { InquiryEvent } from '../../domain/inquiry/state-machine.js';
import type { JoinedCase } from '../../domain/inquiry/words-joined.js';
import { mayKnowCase, OTHER_DEPARTMENTS_CASE } from '../../domain/operator/named-case.js';
import { movesNothing } from '../../domain/operator/unchanged-move.js';
import { type AcknowledgementAsked, decideAcknowledgementOf } from '../../domain/outbox/acknowledgement.js';
import {
  type ApiAnswer,
  type ApiRequest,
  type OperatorApiDeps,
  problem,
  type UseCase,
  unknownDepartment,
} from '../api.js';
import { caseDepartments } from '../case-departments.js';
import { changeInquiry, UNCHANGED } from '../change-inquiry.js';
import type { MoveBody } from '../contract/changes.js';
import { operatorWords } from '../operator-words.js';

/**
 * POST /api/v1/inquiries/{id}/move: to another department and/or category, and/or to a priority set by hand
 * (a false alarm, a danger the classifier missed), with the reason in the history. The operator may hand an
 * inquiry to any department; after that it is that department's. One another operator holds goes to another
 * department only on purpose (`{"force": true}`): else 409 naming them (transitions/holder.ts). A new category or priority brings the SLA
 * terms of the category at the priority (a category may have its own, as `safety` does), and the running
 * deadline is timed anew on them from its start.
 *
 * A message rejected as not an inquiry (listed under its community's triage department) is routed by it: it
 * becomes an inquiry of the department, category and priority given (or its own), its first-response clock
 * starting now, and is numbered and acknowledged as the router numbers and acknowledges a new inquiry
 * (routing-completion.ts): its case number drawn with the move and stored on it, its lookup written before the
 * acknowledgement that tells it. A repeated request finds the number stored and draws none. One an operator rejected while
 * in work comes back for a new cycle with its number, and nothing is sent: its first routing told the citizen
 * the number, and they were never told of the rejection (toldAlready). Repeated after its acknowledgement could not be queued (503), once the inquiry has
 * been taken or written to, the request still queues it, under the id of its first try (the responder skips it
 * once the inquiry is answered).
 */
export const moveInquiry: UseCase<MoveBody> = (request, deps) => {
  const { body } = request;
  if (body.department && !deps.config.departments.some((department) => department.id === body.department))
    return Promise.resolve(unknownDepartment(body.department, 'body'));
  const words = operatorWords(deps);
  return changeInquiry(
    request,
    deps,
    async (inquiry, cause, at, community) => {
      if (inquiry.status === 'rejected' && inquiry.wordsJoined)
        return wordsJoinedElsewhere(inquiry.wordsJoined, request, deps);
      const reason = await words(inquiry, body.reason);
      if (inquiry.status === 'rejected')
        return routeEvent(request, deps, inquiry, { cause, at, reason }, community);
      const move: InquiryEvent = {
        type: 'move',
        cause,
        at,
        reason,
        operatorId: request.operator.id,
        operatorName: request.operator.name,
        ...(body.department !== undefined && { department: body.department }),
        ...(body.category !== undefined && { category: body.category }),
        ...(body.priority !== undefined && { priority: body.priority }),
        ...(body.force && { force: body.force }),
        ...((body.category !== undefined || body.priority !== undefined) && {
          terms: slaTermsFor(
            deps.config.sla,
            body.category ?? inquiry.category,
            body.priority ?? inquiry.priority,
          ),
        }),
      };
      // Nothing to move: the inquiry as it is, nothing written. Not a repeat of a move made (its cause applied,
      // which is why the inquiry is where it asks), which still does what followed it (its acknowledgement).
      return !inquiry.causes.includes(cause) && movesNothing(inquiry, move) ? UNCHANGED : move;
    },
    // Also when the request is repeated (its first try may have stopped before the lookup or the outbox): the
    // same lookup again, and one acknowledgement id per routing. Repeated once the inquiry has moved on (taken,
    // written to), its id is read from the history (AcknowledgementAsked).
    async (inquiry, cause) => {
      if (inquiry.routeCause !== cause) return undefined;
      const asked = inquiry.status === 'routed' ? 'first' : await repeatedRouting(inquiry, cause, deps);
      const acknowledge = queueAcknowledgement(deps, request.operator.id);
      return completeRouting({ inquiries: deps.inquiries, acknowledge }, inquiry, { asked });
    },
    // Put into work by this move: numbered now, as the router numbers an inquiry it routes.
    (changed, effects, context) => numberedIfDue(deps.inquiries, changed, effects, context),
  );
};

/**
 * A message the citizen edited into words of their newer inquiry, which took them: routed, it would open a
 * second case of the same words (without the priority they were given there, nor its acknowledgement's
 * emergency line), so the move is refused, naming the case that holds them to whom may know it (an admin, an
 * operator of the department it is in now: operator/named-case.ts). To anyone else it is the citizen's case in
 * another department, no more.
 */
async function wordsJoinedElsewhere(
  joined: JoinedCase,
  request: ApiRequest,
  deps: OperatorApiDeps,
): Promise<ApiAnswer> {
  const casesNow = await caseDepartments(deps, request.operator, [joined.inquiryId]);
  return mayKnowCase(request.operator, joined.inquiryId, casesNow)
    ? problem(
        409,
        'words_joined',
        `the message was edited into words of the citizen's inquiry ${nameOf(joined)}, which holds them: work on that one`,
        { joined },
      )
    : problem(
        409,
        'words_joined',
        "the message was edited into words of the citizen's inquiry in another department, which holds them: " +
          'its operators work on it',
        { joined: OTHER_DEPARTMENTS_CASE },
      );
}

/** The acknowledgement of the routing by `cause`, asked with the inquiry's history; none once it is gone. */
async function repeatedRouting(
  inquiry: Inquiry,
  cause: string,
  deps: OperatorApiDeps,
): Promise<AcknowledgementAsked | undefined> {
  const stored = await deps.inquiries.get(inquiry.id);
  return stored && { repeated: cause, history: stored.history };
}

/** Queues the acknowledgement asked for, requested by the operator, and gives its outbox id, or none. */
const queueAcknowledgement =
  (deps: OperatorApiDeps, operatorId: string) =>
  async (inquiry: Inquiry, asked: AcknowledgementAsked): Promise<string | undefined> => {
    const decision = decideAcknowledgementOf(inquiry, deps.config, deps.clock.now(), asked, operatorId);
    if (!('message' in decision)) return undefined;
    await deps.outbox.send(decision.message);
    return decision.message.id;
  };

/**
 * A rejected message put into work: where the operator says, or else where it is listed (its community's
 * triage department, which every configured community has; one recorded before rejected messages were
 * listed has no department of its own).
 */
function routeEvent(
  request: ApiRequest<MoveBody>,
  deps: OperatorApiDeps,
  inquiry: Inquiry,
  { cause, at, reason }: { cause: string; at: string; reason: string },
  community: Community,
): InquiryEvent {
  const { body } = request;
  const department = body.department ?? inquiry.department ?? community.triageDepartment;
  const category = body.category ?? inquiry.category;
  const priority = body.priority ?? inquiry.priority;
  return {
    type: 'route',
    cause,
    at,
    reason,
    operatorId: request.operator.id,
    operatorName: request.operator.name,
    department,
    category,
    priority,
    terms: slaTermsFor(deps.config.sla, category, priority),
  };
}
