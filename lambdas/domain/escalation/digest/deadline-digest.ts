import type { WorkingCalendar } from '../../sla/index.js';
import type { EscalationNotification } from './notification.js';

/**
 * What a department hears of its deadlines in one escalator run: one e-mail (more only if it would not fit
 * one message), in Russian, plain text, with the inquiries it lists also as data.
 */
export interface DeadlineDigest {
  department: string;
  departmentName: string;
  /**
   * Who the configuration says is told: the department's addresses, and the duty ones (`criticalNotify`) when
   * the digest is `critical`.
   */
  recipients: string[];
  /**
   * The digest holds critical work a duty officer is to hear of: an inquiry that became critical (a notice of
   * kind `critical`), or a critical inquiry near or past a deadline it still owes (a warning or a breach, also
   * at night when no one answered it within its hour). Published as the message attribute the duty addresses'
   * subscriptions filter on; in every part of a digest split over several messages.
   */
  critical: boolean;
  subject: string;
  text: string;
  notifications: EscalationNotification[];
  /** Set when the department's notices of the run were split over several messages. */
  part?: { index: number; count: number };
}

export interface DigestContext {
  department: { id: string; name: string; notify: readonly string[] };
  communities: readonly { groupId: number; name: string; calendar: WorkingCalendar }[];
  /**
   * The console's address of an inquiry, with `{inquiryId}`; omitted, an inquiry is named by its case number
   * with its id beside it, or by its id alone.
   */
  operatorConsoleUrl?: string | undefined;
  /** The time of the run: how late, or how long left, is counted to it. */
  now: Date;
  /** Who also gets an e-mail that is `critical` (`escalation.criticalNotify`): named in its recipients. */
  criticalNotify?: readonly string[];
}

/** A notice as the digest lists it: the notification, and the lines that tell of it (inquiry-block.ts). */
export interface Listed {
  notification: EscalationNotification;
  lines: string[];
}

/** The counts of the whole digest, which each of its parts tells. */
export interface Totals {
  breaches: number;
  warnings: number;
  /** Inquiries put into work as critical or raised to it since the last run (notices of kind `critical`). */
  critical: number;
  /** Critical inquiries near or past a deadline they still owe (`pressing`), in the whole digest. */
  pressing: number;
}
