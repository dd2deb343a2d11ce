import type { Classification } from '../taxonomy.js';
import type { CitizenMessage } from '../vk/citizen-message.js';
import { placeOf } from './burst.js';
import { citizenSettles } from './citizen-settles.js';
import { type DeadlineContext, type SlaTerms, startClock } from './deadline.js';
import { type FollowedCase, newMatterReason } from './followed-case.js';
import { type HistoryEntry, historyKey } from './history.js';
import type { Inquiry } from './inquiry.js';
import { messageDetail, passedOn } from './message-detail.js';
import { commentsWith } from './reply-target.js';
import type { Effect } from './transitions/change.js';
import { markCritical } from './transitions/critical-notice.js';

interface OpenInquiryInput {
  id: string;
  eventKey: string;
  message: CitizenMessage;
  classification: Classification;
  routing: { department: string; rule: number | null } | null;
  /** The terms and calendar the deadlines run on; null for what is not routed. */
  deadlines: { terms: SlaTerms; context: DeadlineContext } | null;
  /** The community's triage department: a message that is not an inquiry is listed there for review. */
  triageDepartment: string;
  /** When the message reached us: the first-response clock starts here. */
  receivedAt: Date;
  now: Date;
  /**
   * The citizen's answered or closed inquiry in the same conversation that the message could have reopened,
   * had it not been of another matter (threading.ts): the routing entry names it, for operators to find the
   * earlier conversation (an operator of its department, or an admin: operator/followed-case.ts).
   */
  follows?: Pick<Inquiry, 'id' | 'caseNumber' | 'category' | 'status' | 'department'>;
}

/** Why a routed inquiry went where it went. */
const routingReason = (classification: Classification, rule: number | null) =>
  rule === null
    ? classification.triage
      ? 'the classifier was not sure: triage'
      : 'no rule matched: triage'
    : `routing rule ${rule}`;

/** The case a new matter was opened beside, as the new inquiry keeps it. */
const followedCase = (follows: NonNullable<OpenInquiryInput['follows']>): FollowedCase => ({
  inquiryId: follows.id,
  ...(follows.caseNumber !== undefined && { caseNumber: follows.caseNumber }),
  category: follows.category,
  ...(follows.department !== undefined && { department: follows.department }),
});

/**
 * Opens an inquiry for a citizen's first message: `new`, then classified, then `routed` to its department
 * with its first-response clock running. A message that is not an inquiry (thanks, spam…), or only says that a
 * matter is settled (citizen-settles.ts: no case left to join), is recorded as `rejected`, with no deadline,
 * and listed under the community's triage department: the classifier or the rules may be wrong, and there an
 * operator can see it and move it into work.
 */
export function openInquiry(input: OpenInquiryInput): {
  inquiry: Inquiry;
  history: HistoryEntry[];
  /** `routed` when it is put into work: it is then due its case number (case-number.ts), drawn by the caller. */
  effects: Effect[];
} {
  const { message, classification, routing, now, deadlines } = input;
  const at = now.toISOString();
  // "Вопрос снят" with no case to join (past the reopening window): nothing to answer, as a "спасибо".
  const settles = classification.inquiry && citizenSettles(message.text, classification);
  const routed = classification.inquiry && !settles && routing !== null && deadlines !== null;
  const clock = routed
    ? startClock('first_response', 1, input.receivedAt, deadlines.terms, deadlines.context)
    : undefined;
  const comments = commentsWith(undefined, message);
  const inquiry: Inquiry = {
    id: input.id,
    groupId: message.groupId,
    channel: message.channel,
    replyTo: message.replyTo,
    ...(comments && { comments }),
    conversationKey: message.conversationKey,
    authorId: message.authorId,
    text: message.text,
    ...(message.attachments.length > 0 && { attachments: message.attachments }),
    ...passedOn(message),
    status: routed ? 'routed' : 'rejected',
    category: classification.category,
    priority: classification.priority,
    confidence: classification.confidence,
    triage: classification.triage,
    ...(routed
      ? {
          department: routing.department,
          terms: deadlines.terms,
          clock,
          firstResponseStartedAt: clock?.startedAt,
          firstResponseDueAt: clock?.dueAt,
          firstResponsePromisedBy: clock?.dueAt,
        }
      : { department: input.triageDepartment, finishedAt: at }),
    clockCount: routed ? 1 : 0,
    escalated: false,
    messageCount: 1,
    lastMessageAt: message.sentAt,
    reopenCount: 0,
    createdAt: at,
    updatedAt: at,
    version: 1,
    sourceEventKey: input.eventKey,
    openingMessage: placeOf(message),
    ...(routed && { routingMessage: { ...placeOf(message), rule: routing.rule } }),
    ...(routed && input.follows && { follows: followedCase(input.follows) }),
    causes: [input.eventKey],
  };
  const causeAt = input.receivedAt.toISOString();
  const key = (n: number) => historyKey(causeAt, input.eventKey, n);
  // Routed critical: its department hears of it on the escalator's next run (critical-notice.ts).
  const escalated = markCritical(undefined, inquiry, now, causeAt, input.eventKey);
  const history: HistoryEntry[] = [
    {
      inquiryId: input.id,
      key: key(1),
      at: message.sentAt,
      kind: 'message',
      actor: 'citizen',
      actorId: message.authorId,
      to: 'new',
      detail: messageDetail(message, input.eventKey, causeAt),
    },
    {
      inquiryId: input.id,
      key: key(2),
      at,
      kind: 'classified',
      actor: 'classifier',
      detail: { ...classification },
    },
    routed
      ? {
          inquiryId: input.id,
          key: key(3),
          at,
          kind: 'routed',
          actor: 'router',
          from: 'new',
          to: 'routed',
          reason: input.follows
            ? `${routingReason(classification, routing.rule)}; ${newMatterReason(followedCase(input.follows), input.follows.status)}`
            : routingReason(classification, routing.rule),
          detail: {
            department: routing.department,
            rule: routing.rule,
            terms: deadlines.terms,
            firstResponseDueAt: clock?.dueAt,
            ...(input.follows && {
              previousInquiryId: input.follows.id,
              ...(input.follows.caseNumber !== undefined && {
                previousCaseNumber: input.follows.caseNumber,
              }),
            }),
          },
        }
      : {
          inquiryId: input.id,
          key: key(3),
          at,
          kind: 'rejected',
          actor: 'router',
          from: 'new',
          to: 'rejected',
          reason: settles
            ? 'the citizen writes that a matter is settled or withdrawn: nothing to answer'
            : 'not an inquiry',
          detail: { department: input.triageDepartment },
        },
    ...(escalated ? [escalated] : []),
  ];
  return { inquiry, history, effects: routed ? [{ type: 'routed', department: routing.department }] : [] };
}
