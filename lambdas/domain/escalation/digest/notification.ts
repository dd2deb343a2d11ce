import type { ClockKind } from '../../inquiry/deadline.js';
import type { InquiryStatus } from '../../inquiry/inquiry.js';
import type { Settled } from '../../inquiry/transitions/clock-checks.js';
import type { CommentedPlace } from '../../operator/list-criteria.js';
import type { Category, Priority } from '../../taxonomy.js';

/** One inquiry near or past its deadline, or become critical, as a digest lists it. */
export interface EscalationNotification {
  kind: 'warning' | 'breach' | 'critical';
  inquiryId: string;
  /**
   * The case number the citizen was told (case-number.ts), which the digest names the inquiry by: what a head
   * of department says to the citizen and finds the inquiry by. Absent on inquiries opened before numbers.
   */
  caseNumber?: string;
  groupId: number;
  /**
   * The community's wall post, board topic, photo, video or product the inquiry is a comment under, as its VK
   * address names it (`https://vk.com/topic-123456789_5`, the owner the community's negative id): the e-mail
   * counts the inquiries under one place, as a mass incident brings them. Absent on any other channel.
   */
  place?: CommentedPlace;
  category: Category;
  priority: Priority;
  clock: ClockKind;
  dueAt: string;
  /** The name of the department the inquiry was moved from after its warning or escalation. */
  movedFrom?: string;
  /**
   * The name of the department that holds the inquiry now, when the notice goes to the one whose deadline it
   * was and the inquiry has moved on since: where its head finds it, and whom to ask.
   */
  movedTo?: string;
  /** The terms count every hour of every day (a threat to life), not the community's working time. */
  roundTheClock?: boolean;
  /** A `critical` notice: when the inquiry was put into work critical, or raised to it. */
  becameCriticalAt?: string;
  /**
   * A `critical` notice of a raise: the priority the inquiry had before. A breach of a deadline that came due
   * with a raise: the priority before, the one raised to (`raisedTo`) and when (`raisedAt`).
   */
  raisedFrom?: Priority;
  raisedTo?: Priority;
  raisedAt?: string;
  /**
   * An escalation told after the clock it tells of stopped (its e-mail was refused until then): what the
   * inquiry had since. Absent while the deadline is still owed.
   */
  settled?: Settled;
  /** The inquiry's status as the notice is sent. */
  status: InquiryStatus;
  /**
   * The operator who holds the inquiry (staff data, named as the user pool names them), and since when, if
   * known: a head asks them first. Absent when no one took it.
   */
  holder?: { name: string; since?: string };
  /**
   * The operator's words that VK refused, when they were what the deadline owes (the first response, or the
   * answer): the operator did answer, the citizen got nothing, and the deadline is owed again. `at`: when VK
   * refused them.
   */
  undelivered?: { purpose: 'answer' | 'intermediate_answer'; at: string };
  /** When the citizen or an operator reopened the inquiry, when its current cycle began so. */
  reopenedAt?: string;
  /**
   * When the citizen wrote, while the deadline still stands, that their matter is settled or withdrawn
   * (Inquiry.citizenSettledAt): the head reads the overdue inquiry as one to close, not a matter left undone.
   */
  citizenSettledAt?: string;
}

/**
 * A critical inquiry near or past a deadline it still owes: it comes first in its section and, when no
 * critical notice leads the e-mail, flags its subject. One told after its clock stopped (`settled`) is
 * history, not work; one in the "Критические" section is told so by its section.
 */
export const pressing = (notification: EscalationNotification) =>
  notification.kind !== 'critical' &&
  notification.priority === 'critical' &&
  notification.settled === undefined;

/** When the inquiry was raised, for a notice of a raise: to critical, or one whose deadline came due with it. */
export const raisedAtOf = ({ raisedFrom, raisedAt, becameCriticalAt }: EscalationNotification) =>
  raisedFrom === undefined ? undefined : (raisedAt ?? becameCriticalAt);

/**
 * A raise whose new terms, counted from a start hours back, fell due before the raise: owed at once, and how
 * far the deadline is behind says nothing of the department, which could act only from the raise (and, warned
 * minutes before of the old deadline still hours ahead, would read "overdue by 3 h" as an error).
 */
export const dueAtRaise = (notification: EscalationNotification) => {
  const raisedAt = raisedAtOf(notification);
  return raisedAt !== undefined && notification.dueAt <= raisedAt;
};
