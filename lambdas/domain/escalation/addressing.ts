import type { Department } from '../config/schema.js';
import type { ClockKind } from '../inquiry/deadline.js';
import type { HistoryEntry, Inquiry, PendingNotification } from '../inquiry/inquiry.js';
import { applyEvent, dueCheck, noticeStanding, raiseOf } from '../inquiry/state-machine.js';
import type { CommentedPlace } from '../operator/list-criteria.js';
import type { ReplyTarget } from '../vk/citizen-message.js';
import type { EscalationNotification } from './digest.js';
import { sameNotice } from './notice-claim.js';

/**
 * Who hears of an inquiry's deadlines, and what: the escalator's rules for a notice pending on an inquiry,
 * apart from the run that reads the index, sends the digests and clears what they carried.
 */

/** A notice pending on an inquiry, and the configured department it is told to. */
export interface AddressedNotice {
  inquiry: Inquiry;
  notice: PendingNotification;
  addressee: Department;
  /**
   * The department the notice names (the inquiry's, on one marked before notices named theirs). Not the
   * addressee's when the configuration names it no more: the notice was re-homed to the one listing it.
   */
  named: string | undefined;
}

/**
 * The department a pending notice is told to: the one it names (the inquiry's when it was marked, the one it
 * was in when its deadline passed or neared), else the inquiry's, or, when the one named is configured no
 * more (renamed, merged or removed after the inquiry moved on), the one whose index lists it (`listedUnder`),
 * so that no notice waits for a department no run reads.
 */
export function addresseeOf(
  inquiry: Inquiry,
  notice: PendingNotification,
  listedUnder: Department,
  departments: readonly Department[],
): AddressedNotice {
  const named = notice.department ?? inquiry.department;
  const addressee = departments.find((one) => one.id === named) ?? listedUnder;
  return { inquiry, notice, addressee, named };
}

/**
 * A notice held since its check, as its inquiry stands when its e-mail is about to go (`current`, read again):
 * re-addressed, or undefined when the inquiry holds it no more (sent by another department's turn, replaced
 * by a raise, moved with the inquiry: the run or department listing it now sends what it holds) or it is now
 * told to another department than the one it is held for (whose run sends it). One gone moot meanwhile is
 * returned all the same: its digest leaves it out (notificationOf), and the next run's check clears it.
 */
export function heldAsItStands(
  held: AddressedNotice,
  current: Inquiry | undefined,
  departments: readonly Department[],
): AddressedNotice | undefined {
  const notice = current?.pendingNotification;
  if (!current || !notice || !sameNotice(notice, held.notice)) return undefined;
  const addressed = addresseeOf(current, notice, held.addressee, departments);
  return addressed.addressee.id === held.addressee.id ? addressed : undefined;
}

/**
 * What a check of an inquiry listed under a department comes to: `none`, nothing to tell (it is listed there
 * no more, or has nothing pending and nothing due); `moot`, a pending warning of a clock stopped since, to clear
 * unsent; `pending`, the notice it holds, told as it stands; `marked`, a warning or breach due now, to write
 * with its history entries, and, in `dropped`, the pending warning of another deadline it takes the place of.
 */
type NoticeCheck =
  | { kind: 'none' }
  | { kind: 'moot'; addressed: AddressedNotice }
  | { kind: 'pending'; addressed: AddressedNotice }
  | {
      kind: 'marked';
      addressed: AddressedNotice;
      action: 'warn' | 'breach';
      history: HistoryEntry[];
      dropped?: PendingNotification;
    };

/**
 * Marks what is due at `now` on the inquiry, as read, listed under `listedUnder`. A pending warning gives way
 * to a breach: the digest says the more pressing. An inquiry holds one notice, so a warning of another
 * deadline than the one breached (the resolution's, while a first response VK took back is owed again) is
 * then never told: the clock it warned of stays warned, and only its breach is told, if it comes (`dropped`).
 * A notice goes to its addressee
 * (addresseeOf), which may be another department than the one the inquiry is listed under now, and is told as
 * it stands now: a warning of a clock stopped since (answered in time, rejected…) is cleared unsent, a breach
 * of one is told with what stopped it. The inquiry's own clocks are checked only by the run of the department
 * holding it, once a notice it owes another department is sent.
 */
export function checkNotice(
  inquiry: Inquiry | undefined,
  listedUnder: Department,
  departments: readonly Department[],
  now: Date,
): NoticeCheck {
  const listed = listedUnder.id;
  const pending = inquiry?.pendingNotification;
  // Moved meanwhile: it is in its new department's index, and checked there. (An earlier version listed a
  // pending notice under the department it names, and that one's run sends it.)
  if (!inquiry || (inquiry.department !== listed && pending?.department !== listed)) return { kind: 'none' };
  const addressed = pending && addresseeOf(inquiry, pending, listedUnder, departments);
  /** Nothing (more) to mark: the notice the inquiry still has pending, if any. */
  const unchanged: NoticeCheck = addressed ? { kind: 'pending', addressed } : { kind: 'none' };
  const standing = pending && noticeStanding(inquiry, pending);
  if (addressed && standing?.standing === 'moot') return { kind: 'moot', addressed };
  // A notice to another department, or of a clock stopped since, is told as it is; the inquiry's own clocks
  // are checked once it is sent.
  const elsewhere =
    inquiry.department !== listed || (addressed !== undefined && addressed.addressee.id !== listed);
  if (standing?.standing === 'settled' || elsewhere) return unchanged;
  const due = dueCheck(inquiry, now);
  // (A notice marked before cycles were kept names none: of the clock of its kind, as noticeStanding reads it.)
  const sameDeadline =
    due !== undefined &&
    pending?.clock === due.clock.kind &&
    (pending.cycle === undefined || pending.cycle === due.clock.cycle);
  // The news that the inquiry became critical, still unsent, tells of the deadline as it stands when sent:
  // the deadline's warning or escalation is marked, and told by it, not by a second notice a run later.
  const told = pending?.kind === 'critical' && sameDeadline;
  if (!due || (pending && !told && !(pending.kind === 'warning' && due.action === 'breach')))
    return unchanged;
  const { action, clock } = due;
  // A warning or an escalation starts no clock: no calendar, so an inquiry of a community since removed
  // from the configuration is still warned and escalated.
  const result = applyEvent(inquiry, { type: action, now: now.toISOString(), clock: clock.kind }, { now });
  if (result.outcome !== 'changed') return unchanged;
  if (told && addressed)
    return {
      kind: 'marked',
      addressed: { ...addressed, inquiry: { ...result.inquiry, pendingNotification: pending } },
      action,
      history: result.history,
    };
  const notice: PendingNotification = {
    kind: action === 'breach' ? 'breach' : 'warning',
    clock: clock.kind,
    cycle: clock.cycle,
    dueAt: clock.dueAt,
    at: now.toISOString(),
    department: listed,
    // Due at once with a raise: told so, not as hours overdue.
    ...(action === 'breach' && raiseOf(clock)),
  };
  const dropped = pending && !sameDeadline ? pending : undefined;
  return {
    kind: 'marked',
    addressed: {
      inquiry: { ...result.inquiry, pendingNotification: notice },
      notice,
      addressee: listedUnder,
      named: listed,
    },
    action,
    history: result.history,
    ...(dropped && { dropped }),
  };
}

/**
 * The operator's words VK refused, if they are what the deadline owes: the first response (VK's refusal took
 * it back, so it is owed again: delivery.ts), or the answer. A refused intermediate answer while the answer
 * is owed leaves the resolution deadline as it was: the citizen had their first response.
 */
function refusedOwed(inquiry: Inquiry, clock: ClockKind): EscalationNotification['undelivered'] {
  const refused = inquiry.undelivered;
  if (!refused) return undefined;
  const owedAgain =
    clock === 'first_response' ? inquiry.firstRespondedAt === undefined : refused.purpose === 'answer';
  return owedAgain ? { purpose: refused.purpose, at: refused.at } : undefined;
}

/**
 * When the inquiry's current cycle began by a reopening (the citizen wrote after the answer, or an operator
 * reopened it), not by a routing back into work of a rejected message: the cycle it ended was answered or
 * closed. Reopened before cycles were kept, it has none to tell by, and its reopening's time is its current
 * first-response clock's start all the same.
 */
function reopenedAt(inquiry: Inquiry): string | undefined {
  if (inquiry.reopenCount === 0) return undefined;
  const ended = inquiry.earlierCycles?.at(-1);
  if (ended?.status === 'rejected') return undefined;
  return inquiry.firstResponseStartedAt;
}

/**
 * The community's place a comment is under (its wall post, board topic, photo, video or product): its address
 * names the community (a negative owner; a topic by its community's id) and the place, no citizen. A comment
 * under a user's wall, photo or video (a positive owner, a citizen's id) is never named.
 */
function placeOf({ replyTo }: Inquiry): Pick<EscalationNotification, 'place'> {
  const place = commentedPlace(replyTo);
  return place && place.ownerId < 0 && place.id > 0 ? { place } : {};
}

function commentedPlace(replyTo: ReplyTarget): CommentedPlace | undefined {
  switch (replyTo.channel) {
    case 'wall_comment':
      return { kind: 'wall', ownerId: replyTo.ownerId, id: replyTo.postId };
    // A board comment names its community by its positive id (normalise.ts); VK's address, by the negative.
    case 'board_comment':
      return { kind: 'topic', ownerId: -Math.abs(replyTo.groupId), id: replyTo.topicId };
    case 'photo_comment':
      return { kind: 'photo', ownerId: replyTo.ownerId, id: replyTo.photoId };
    case 'video_comment':
      return { kind: 'video', ownerId: replyTo.ownerId, id: replyTo.videoId };
    case 'market_comment':
      return { kind: 'product', ownerId: replyTo.ownerId, id: replyTo.itemId };
    case 'direct_message':
    case 'wall_post':
      return undefined;
  }
}

/**
 * The notice as its addressee's digest lists it, or undefined for a warning gone moot: with the department it
 * came from (`Передано из`: the one it was moved from, or the one it names, configured no more) and, told to
 * the department whose deadline it was of an inquiry open in another since, where it went (`Передано в`).
 * With who holds the inquiry and its status, and, while the deadline stands, a reopening that started it and
 * an answer VK refused that leaves it owed.
 */
export function notificationOf(
  { inquiry, notice, addressee, named }: AddressedNotice,
  departments: readonly Department[],
): EscalationNotification | undefined {
  const standing = noticeStanding(inquiry, notice);
  if (standing.standing === 'moot') return undefined;
  const settled = standing.standing === 'settled' ? standing.settled : undefined;
  const nameOf = (id: string) => departments.find((one) => one.id === id)?.name ?? id;
  const from = notice.movedFrom ?? (named !== addressee.id ? named : undefined);
  const movedFrom = from && nameOf(from);
  const to = !settled && inquiry.department !== addressee.id ? inquiry.department : undefined;
  const movedTo = to && nameOf(to);
  const refused = refusedOwed(inquiry, notice.clock);
  // Only the reopening of the cycle whose deadline the notice tells (a notice of an earlier one is settled).
  const reopened = reopenedAt(inquiry);
  return {
    kind: notice.kind,
    inquiryId: inquiry.id,
    ...(inquiry.caseNumber && { caseNumber: inquiry.caseNumber }),
    groupId: inquiry.groupId,
    ...placeOf(inquiry),
    category: inquiry.category,
    priority: inquiry.priority,
    clock: notice.clock,
    // The deadline as it is now: an operator may have put it back or forward since.
    dueAt: standing.standing === 'stands' ? (standing.clock?.dueAt ?? notice.dueAt) : notice.dueAt,
    ...(movedFrom && { movedFrom }),
    ...(movedTo && { movedTo }),
    ...(settled && { settled }),
    ...(inquiry.terms?.clock === 'round_the_clock' && { roundTheClock: true }),
    status: inquiry.status,
    // An operator's name is staff data, as the console shows it.
    ...(inquiry.assignee && {
      holder: {
        name: inquiry.assignee.name,
        ...(inquiry.assignedAt !== undefined && { since: inquiry.assignedAt }),
      },
    }),
    ...(!settled && refused && { undelivered: refused }),
    ...(!settled && reopened !== undefined && { reopenedAt: reopened }),
    ...(!settled && inquiry.citizenSettledAt !== undefined && { citizenSettledAt: inquiry.citizenSettledAt }),
    ...(notice.kind === 'critical' && { becameCriticalAt: notice.at }),
    ...(notice.raisedFrom !== undefined && { raisedFrom: notice.raisedFrom }),
    ...(notice.raisedTo !== undefined && { raisedTo: notice.raisedTo }),
    ...(notice.raisedAt !== undefined && { raisedAt: notice.raisedAt }),
    // No citizen's words: the e-mail leaves our encryption (digest/inquiry-block.ts).
  };
}
