import type { AppConfig } from '../config/schema.js';
import type { DeadlineClock } from '../inquiry/deadline.js';
import type { FollowedCase } from '../inquiry/followed-case.js';
import type { EndedCycle, Inquiry } from '../inquiry/inquiry.js';
import type { JoinedCase } from '../inquiry/words-joined.js';
import { longestWordsFor } from '../outbox/answer-prefix.js';
import { vkUrlOf } from '../vk/vk-url.js';
import type { Operator } from './access.js';
import { mayKnowFollowedCase } from './followed-case.js';
import { type CaseDepartments, mayKnowCase, OTHER_DEPARTMENTS_CASE } from './named-case.js';

/**
 * The inquiry's own bookkeeping, which the operator API does not give: the conversation key (it holds the
 * citizen's VK id), the VK events and requests applied (and those that routed, reopened or raised it), a stopped
 * clock the escalator may watch again, the due time the acknowledgement told (the running deadline shows
 * what is owed), a notification not yet sent (and the clock a raise to critical it tells of replaced), the
 * citizen's comments kept to find where an answer goes should one be deleted (`replyTo` says where it goes), the
 * words it remembers as undelivered (`undelivered` flags those still owed), and when the assignee took it (the
 * history's entry says so), and who has had it (`pastHolders`, which answers whether one it left had it). No operator or front-end acts on them, and they would tie the API to how the table
 * is kept.
 */
export const INTERNAL_FIELDS = [
  'conversationKey',
  'causes',
  'sourceEventKey',
  'answerCause',
  'firstResponseCause',
  'firstResponseCounted',
  'firstResponseClock',
  'routeCause',
  'reopenCause',
  'reopenedByEdit',
  'raiseCause',
  'raisedByEdit',
  'raiseKeptDueAt',
  'firstResponsePromisedBy',
  'pendingNotification',
  'clockBeforeRaise',
  'assignedAt',
  'pastHolders',
  'comments',
  'undeliveredWords',
  'unseenFollowUp',
] as const satisfies readonly (keyof Inquiry)[];

type InternalField = (typeof INTERNAL_FIELDS)[number];

/** An ended cycle as the API shows it: less the causes it keeps to find its words should VK refuse them. */
type EndedCycleView = Omit<EndedCycle, 'answerCause' | 'firstResponseCause'>;

/**
 * An inquiry as the operator API shows it: as stored, less its bookkeeping, and where to open it in VK; the case a
 * new matter follows, and the one a rejected message's words joined, only to whom may know it.
 */
type InquiryView = Omit<Inquiry, InternalField | 'earlierCycles' | 'follows' | 'wordsJoined'> & {
  earlierCycles?: EndedCycleView[];
  follows?: FollowedCase | typeof OTHER_DEPARTMENTS_CASE;
  wordsJoined?: JoinedCase | typeof OTHER_DEPARTMENTS_CASE;
  vkUrl?: string;
  /** The most characters of an operator's words the inquiry takes: VK's limit less the line naming the case. */
  maxTextLength: number;
};

/** The running clock as the API shows it: less the raise its escalation is to tell of. */
const clockView = ({ raisedPastDue: _raisedPastDue, ...shown }: DeadlineClock): DeadlineClock => shown;

const cycleView = ({
  answerCause: _answerCause,
  firstResponseCause: _firstResponseCause,
  ...shown
}: EndedCycle): EndedCycleView => shown;

/**
 * Derived on every answer, for its `viewer`, not stored: an address VK changes is then changed in one place, and
 * so is the longest words the inquiry takes, by the community's answer line in `config`. The
 * cases it names (the one it follows, the one its words joined) are judged by the department each is in now
 * (`casesNow`, read for a viewer who is no admin).
 */
export function inquiryView(
  inquiry: Inquiry,
  viewer: Operator,
  casesNow: CaseDepartments,
  config: AppConfig,
): InquiryView {
  const {
    conversationKey: _conversationKey,
    causes: _causes,
    sourceEventKey: _sourceEventKey,
    answerCause: _answerCause,
    firstResponseCause: _firstResponseCause,
    firstResponseCounted: _firstResponseCounted,
    firstResponseClock: _firstResponseClock,
    routeCause: _routeCause,
    reopenCause: _reopenCause,
    reopenedByEdit: _reopenedByEdit,
    raiseCause: _raiseCause,
    raisedByEdit: _raisedByEdit,
    raiseKeptDueAt: _raiseKeptDueAt,
    firstResponsePromisedBy: _firstResponsePromisedBy,
    pendingNotification: _pendingNotification,
    clockBeforeRaise: _clockBeforeRaise,
    assignedAt: _assignedAt,
    pastHolders: _pastHolders,
    comments: _comments,
    undeliveredWords: _undeliveredWords,
    unseenFollowUp: _unseenFollowUp,
    earlierCycles,
    follows,
    wordsJoined,
    ...rest
  } = inquiry;
  const shown: InquiryView = {
    ...rest,
    // What the escalator tells of a raise (deadline.ts): the history says it to an operator.
    ...(rest.clock && { clock: clockView(rest.clock) }),
    maxTextLength: longestWordsFor(inquiry, config),
    ...(earlierCycles && { earlierCycles: earlierCycles.map(cycleView) }),
    ...(follows && {
      follows: mayKnowFollowedCase(viewer, follows, casesNow) ? follows : OTHER_DEPARTMENTS_CASE,
    }),
    ...(wordsJoined && {
      wordsJoined: mayKnowCase(viewer, wordsJoined.inquiryId, casesNow)
        ? wordsJoined
        : OTHER_DEPARTMENTS_CASE,
    }),
  };
  const vkUrl = vkUrlOf(inquiry.groupId, inquiry.replyTo);
  return vkUrl ? { ...shown, vkUrl } : shown;
}
