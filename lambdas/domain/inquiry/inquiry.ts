import type { Classification } from '../taxonomy.js';
import type {
  AttachmentSummary,
  Channel,
  QuotedMessage,
  ReplyTarget,
  SharedLocation,
} from '../vk/citizen-message.js';
import type { MessagePlace, RoutingPlace } from './burst.js';
import type { EndedCycle } from './cycles.js';
import type { DeadlineClock, SlaTerms } from './deadline.js';
import type { FollowedCase } from './followed-case.js';
import type { PendingNotification } from './pending-notification.js';
import type { CitizenComment } from './reply-target.js';
import type { InquiryStatus } from './status.js';
import type { JoinedCase } from './words-joined.js';

export { answerSupersedes } from './answer-supersedes.js';
export {
  currentCycleOf,
  type EndedCycle,
  refusalTookFirstResponse,
  refusedWordsGaveFirstResponse,
  WORDS_QUEUED_WITHIN_MS,
} from './cycles.js';
export type { FollowedCase } from './followed-case.js';
export {
  HISTORY_ACTORS,
  type HistoryActor,
  type HistoryEntry,
  type HistoryKind,
  historyKey,
  historyKeyParts,
} from './history.js';
export { messageDetail } from './message-detail.js';
export { openInquiry } from './open-inquiry.js';
export type { PendingNotification } from './pending-notification.js';
export type { CitizenComment } from './reply-target.js';
export {
  FINISHED_STATUSES,
  INQUIRY_STATUSES,
  type InquiryStatus,
  isFinished,
  isOpen,
  OPEN_STATUSES,
} from './status.js';

/** How many recent causes an inquiry remembers to recognise a redelivered one. */
export const REMEMBERED_CAUSES = 50;

/**
 * How many of the operators' words recorded as not reaching the citizen an inquiry remembers
 * (`undeliveredWords`): few ever are, and a replay of the dead letters names words of the last days.
 */
export const REMEMBERED_UNDELIVERED = 20;

/** Who has had an inquiry (Inquiry.pastHolders): departments and operators, each once. */
export interface InquiryHolders {
  /** The departments its history names: routed, moved or rejected to, moved from, warned and escalated in. */
  departments: string[];
  /** The operators who acted on it (an entry's `actorId` that is an operator's: a string). */
  operators: string[];
}

/** One citizen's case: what they asked, who owns it and by when it must be answered. */
export interface Inquiry {
  /** The inquiry's id in the API and the table: derived from the VK event that opened it. */
  id: string;
  /**
   * The case number the citizen is told (`2026-004217`, case-number.ts): given when the inquiry is put into
   * work. Absent on a message taken for no inquiry, and on inquiries opened before case numbers were given
   * (their acknowledgement told the id).
   */
  caseNumber?: string;
  groupId: number;
  channel: Channel;
  replyTo: ReplyTarget;
  /**
   * The citizen's comments of the inquiry (the opening one and the follow-ups), the newest COMMENTS_KEPT, oldest
   * first, each with where an answer to it goes and whether it was deleted: where the answer goes once the
   * comment `replyTo` names is deleted (reply-target.ts). Absent on direct messages and posts without
   * comments, and on inquiries stored before it was kept.
   */
  comments?: CitizenComment[];
  conversationKey: string;
  authorId: number;
  /** The text of the message that opened the inquiry, as last edited (empty once the citizen deleted it). */
  text: string;
  /**
   * When the citizen last edited the opening message after an operator's answer to it (edit-after-answer.ts):
   * `text` holds words the answer did not see; its `message` history entry keeps those it answered. Absent
   * when it was not edited so.
   */
  editedAfterAnswerAt?: string;
  /**
   * What the opening message carries besides its text, as last edited, as its `message` history entry has it
   * (kinds, counts, links, voice messages' transcripts): what a voice or photo with no words is about, shown
   * in lists without the history. Absent when it carries none, and on inquiries stored before it was kept.
   */
  attachments?: AttachmentSummary[];
  /**
   * What the opening message passed on (forwarded messages, the message it replied to, a reposted or shared
   * post), apart from the citizen's own `text`: who wrote what stays clear, and an edit of the text keeps it.
   */
  quoted?: QuotedMessage[];
  /** How many passed-on messages the opening message carried beyond what `quoted` keeps. */
  quotedLeftOut?: number;
  /** VK cut the opening message short in its event: the whole message is in the dialogue in VK. */
  cropped?: true;
  /** The location the opening message shared: where the matter is, when the citizen pinned it. */
  location?: SharedLocation;
  /**
   * The citizen deleted the opening message (message-changed.ts): not set when a community admin deleted it,
   * which does not withdraw the inquiry. Set by either on inquiries changed before the two were told apart.
   */
  withdrawn?: boolean;
  /**
   * When the citizen wrote (VK's time), while the inquiry was open, that their matter is settled or withdrawn
   * ("вопрос снят", "неактуально", citizen-settles.ts): for an operator to read and close it, as nothing closes
   * it by itself. Cleared by the citizen's later words of the matter, by those words edited into more of it
   * (message-changed.ts), and by a new cycle.
   */
  citizenSettledAt?: string;
  status: InquiryStatus;
  category: Classification['category'];
  priority: Classification['priority'];
  confidence: number;
  triage: boolean;
  /**
   * The department that owns the inquiry. A message that is not an inquiry is listed (rejected, with no
   * deadline) under its community's triage department, whose operators review it; one recorded before such
   * messages were listed has none.
   */
  department?: string;
  /** The SLA terms the inquiry got when it was opened, in working hours unless they say round the clock. */
  terms?: SlaTerms;
  /** The running deadline: the first response, or after an intermediate answer, the resolution. */
  clock?: DeadlineClock;
  /** How many clocks the inquiry has started: the next clock's `cycle`, so each is warned and escalated once. */
  clockCount: number;
  /**
   * When the current first-response clock started: the opening message reached us, the inquiry was reopened,
   * or an edit made it an inquiry (or an earlier message of the citizen reached us, routed after the one that
   * opened it). What the citizen has waited this time is counted from here; the clock
   * itself moves on to the resolution and stops at the answer. Absent on inquiries stored before it was kept.
   */
  firstResponseStartedAt?: string;
  /** The due time of the current first-response clock. */
  firstResponseDueAt?: string;
  /**
   * The first-response due time the cycle's routing set, which its acknowledgement tells the citizen: while
   * the first response is owed, an operator's move (another category, a priority set by hand) times the
   * running clock anew but never due later than this (retimeClock). Set when the router, an edit or an
   * operator routes the inquiry; cleared when a reopening starts a cycle no acknowledgement tells of. Absent on
   * inquiries routed before it was kept.
   */
  firstResponsePromisedBy?: string;
  /**
   * The cycle's first-response clock as the first response stopped it. Should VK refuse the words that gave it,
   * the first response is owed again by it, and the escalator watches it again beside the running clock
   * (`owedFirstResponseClock`), its warning and escalation still once. Absent on inquiries stored before it.
   */
  firstResponseClock?: DeadlineClock;
  /**
   * When the first response of the current cycle was given, and whether it was late: the first words of the
   * cycle that VK did not refuse. Words it refuses take their first response back (transitions/delivery.ts):
   * the next words, or the closing once the department reached the citizen another way, give it.
   */
  firstRespondedAt?: string;
  firstResponseLate?: boolean;
  /**
   * Set once the current cycle's first response was counted (`FirstResponsesInTime` / `FirstResponsesLate`),
   * and kept when VK's refusal takes it back: the response given again is the same cycle's, not counted
   * twice. A new cycle starts without it. Absent on first responses counted before it was kept: a refusal
   * that takes one back sets it (transitions/delivery.ts).
   */
  firstResponseCounted?: boolean;
  /**
   * The cause of the words that gave the first response, which names their outbox message: VK's refusal of
   * that message takes the first response back. Absent on first responses recorded before it was kept.
   */
  firstResponseCause?: string;
  /** The due time of the resolution clock, started by an intermediate answer. */
  resolutionDueAt?: string;
  answeredAt?: string;
  /**
   * The cause of the answer the current cycle was answered with: a refusal of another of the operators'
   * messages (a further word after it, an older answer retried late) does not take that answer back. Cleared
   * when another cycle starts, which keeps it (`EndedCycle.answerCause`); an inquiry reopened under 13d2507
   * holds that of a cycle before still (transitions/ended-cycle-refusals.ts reads it so).
   */
  answerCause?: string;
  closedAt?: string;
  /**
   * When it was last finished: answered, closed or rejected (at opening, when the classifier took the message
   * for no inquiry); cleared when it goes back into work. The retention period counts from here, so a later
   * change that leaves it finished (a move, a reply noted, an edit) does not restart it. Absent on inquiries
   * finished before it was kept: their period counts from `updatedAt`.
   */
  finishedAt?: string;
  /**
   * The cause (an operator's request) that routed a message rejected as not an inquiry: the same request
   * repeated queues its acknowledgement again, as the first try may have stopped before the outbox.
   */
  routeCause?: string;
  /**
   * A message taken for no inquiry whose opening message the citizen edited into words of the matter of their
   * newer inquiry, which took them as a follow-up (message-changed.ts): that inquiry, and its case number. The
   * words are that inquiry's; this one keeps its own text, and is not routed into work (an operator's move
   * is refused, naming the case to whom may know it). Cleared by a later edit of the opening message that does
   * not join it.
   */
  wordsJoined?: JoinedCase;
  /**
   * The cause (the citizen's VK event) whose message reopened the current cycle: the same event redelivered
   * queues the reopening's acknowledgement again, as the first try may have stopped before the outbox. Cleared
   * when another cycle starts (an operator's reopening, a routing back into work); absent on inquiries
   * reopened before it was kept, and on those an operator reopened.
   */
  reopenCause?: string;
  /**
   * The current cycle was reopened by the citizen's edit of a message the answer covered, not by a new message:
   * its acknowledgement says the addition was received (`acknowledgement.reopenedByEdit`), not that a message
   * joined the case, which it was part of already. Cleared when another cycle starts.
   */
  reopenedByEdit?: boolean;
  /**
   * The cause (the citizen's VK event) whose follow-up (or edit) last raised the priority of the inquiry while open,
   * without reopening it: the same event redelivered queues the raise's acknowledgement again, as the first
   * try may have stopped before the outbox. Cleared when another cycle starts; absent on inquiries raised
   * before it was kept.
   */
  raiseCause?: string;
  /**
   * Set with `raiseCause` when the raise was the citizen's edit of one of the inquiry's messages, not a new
   * message: its acknowledgement says the addition was received (`acknowledgement.raisedByEdit`). Cleared by a
   * follow-up's raise, and when another cycle starts.
   */
  raisedByEdit?: boolean;
  /**
   * Set with `raiseCause` when that raise, to critical, left the running deadline as it was (terms no sooner
   * than those it ran on, or a deadline set sooner before): acknowledged for its line on where to call, without
   * a time, the one told before standing. Cleared by a raise that brings the deadline forward, and when another
   * cycle starts.
   */
  raiseKeptDueAt?: boolean;
  /**
   * What each cycle before the current one owed and gave, oldest first, kept when the next cycle starts
   * (reopened, or rejected and routed back into work): the statistics count every cycle's first response
   * and answer, not the last one's alone. Absent until a second cycle starts, and on inquiries whose cycles
   * ended before it was kept.
   */
  earlierCycles?: EndedCycle[];
  /**
   * Set once a deadline of the current cycle has passed without what was owed; a new cycle (reopened, or
   * rejected and routed back into work) starts without it, its history and `earlierCycles` keeping the
   * earlier escalation.
   */
  escalated: boolean;
  /**
   * A warning or escalation written but not yet sent to the department: kept until it is sent, so that a
   * crash between the two loses no notification (the escalator sends it on its next run).
   */
  pendingNotification?: PendingNotification;
  /**
   * The running clock as it was before a raise to critical, and whether the cycle was escalated then: kept
   * while the raise's notice is unsent (critical-notice.ts). Should an operator set the priority back before
   * the department was told (a false alarm), the inquiry goes back to that clock, timed anew on the terms set,
   * and an escalation the raise alone made, told to no one, is undone; not once the escalator is sending the
   * notice (`sending`). Cleared once the notice is sent (or dropped), when the priority is set back while it is
   * being sent, and when the clock stops or another starts.
   */
  clockBeforeRaise?: { clock: DeadlineClock; escalated: boolean };
  /**
   * An operator's words that VK refused for good (the citizen forbade messages, the comments are closed…), or
   * that failed every try and went to the dead-letter queue: the citizen did not get them. Set by the responder,
   * cleared when an operator answers again or closes the inquiry, or when the words, replayed, are delivered;
   * operators find these with `undelivered=true`.
   */
  undelivered?: Undelivered;
  /**
   * The outbox ids of the operators' words ever recorded on the inquiry as not reaching the citizen (refused
   * by VK, or kept in the dead-letter queue), the last REMEMBERED_UNDELIVERED, newest last: kept apart from
   * `causes`, which other changes push out, so that words replayed from the dead letters days later, once the
   * department has reached the citizen another way, are still known and not sent (send-time.ts). Absent
   * until some are, and on inquiries whose words were recorded before it was kept (`causes` tells of those).
   */
  undeliveredWords?: string[];
  /**
   * The first message of the citizen, an inquiry (no "спасибо"), that reached the inquiry while it was flagged
   * for its answer (`undelivered`, purpose `answer`, the words `outboxId`), and when (`at`): that answer never
   * saw it. Delivered late from the dead letters, the answer answers the inquiry, which this message then
   * reopens, its clock from `at`, as it would have reopened it had the answer gone in time (delivered-late.ts).
   * A substantive edit within the reopening window of the flagged answer (edit-after-answer.ts) is noted so
   * too. The first of the operators' words given from its time on (an intermediate answer, from the console or
   * typed in VK) are kept beside it (`respondedAfter`; dropped should VK refuse them): they are the reopened
   * cycle's first response, not the answer's cycle's. Cleared with the flag.
   */
  unseenFollowUp?: { outboxId: string; at: string; respondedAfter?: { at: string; cause: string } };
  /**
   * The operator handling the inquiry: who took it into work, or answered it from the console when no one had.
   * Kept once it is answered or closed (it tells who answered) and when it is reopened; cleared when the
   * inquiry moves to another department. Another operator takes it only by taking it over (`force`).
   */
  assignee?: Assignee;
  /**
   * When `assignee` took the inquiry into work, or took it by answering it from the console: what a head of
   * department reads in a deadline e-mail, which reads no history. Set and cleared with `assignee`; absent on
   * inquiries taken before it was kept.
   */
  assignedAt?: string;
  /**
   * Who has had the inquiry, as its whole history tells it (operator/left-departments.ts): every department an
   * entry names, every operator who acted on it. Kept by the repository from the entries written with each
   * change, in the same write, so that whether an operator had an inquiry now out of their reach is read here,
   * not from its history; the domain only carries it along. Absent on inquiries stored before it was kept, and
   * on one past its bound (MAX_HOLDERS): their history is read instead. `version`: the inquiry's version it was
   * written with, so that one a writer carried along without adding to it (an earlier release keeps the fields
   * it does not know) is told from one that is whole (left-departments.ts, holdersOf).
   */
  pastHolders?: InquiryHolders & { version: number };
  messageCount: number;
  lastMessageAt: string;
  reopenCount: number;
  createdAt: string;
  updatedAt: string;
  /** Incremented on every change; every write is conditional on the version read. */
  version: number;
  /** The VK event the inquiry was opened by. */
  sourceEventKey: string;
  /**
   * The message the inquiry's text comes from: the one that opened it, or a message of the same burst the
   * citizen sent before it that reached us later (burst.ts). Absent on inquiries stored before it was kept.
   */
  openingMessage?: MessagePlace;
  /** The message the inquiry's category and department come from (burst.ts); absent until it is routed. */
  routingMessage?: RoutingPlace;
  /**
   * A new matter's (threading.ts): the citizen's answered or closed case in the conversation it did not reopen,
   * as it was then. A message of its burst of that case's category changes nothing in it (burst.ts).
   */
  follows?: FollowedCase;
  /**
   * When a person (an operator in the console, ops, an admin answering in VK) last changed the inquiry: from
   * then on the router never re-routes it.
   */
  operatorActedAt?: string;
  /** The latest causes applied (VK events, escalator checks), newest last: a redelivered one changes nothing. */
  causes: string[];
}

/** An operator, as an inquiry names whoever handles it: their id in the user pool and their readable name. */
export interface Assignee {
  id: string;
  name: string;
}

/** The operator's words the citizen did not get, and why (VK's error, or the channel's missing token). */
export interface Undelivered {
  outboxId: string;
  purpose: 'answer' | 'intermediate_answer';
  reason: string;
  at: string;
}
