import type { Priority } from '../taxonomy.js';

/** A warning, breach or critical notice marked on the inquiry, not yet sent to its department. */
export interface PendingNotification {
  /**
   * `warning` and `breach` of a deadline near or passed; `critical`: the inquiry became critical (routed so, or
   * raised to it), told on the escalator's next run whatever its clock says (critical-notice.ts).
   */
  kind: 'warning' | 'breach' | 'critical';
  clock: 'first_response' | 'resolution';
  /** The clock's cycle (DeadlineClock.cycle); absent on notices marked before it was kept. */
  cycle?: number;
  dueAt: string;
  /** When it became due: the escalator's index orders it by this. */
  at: string;
  /**
   * The department told: the one the inquiry was in when the notice was marked (it keeps it when the inquiry
   * moves or is rejected into triage before it is sent), or the one it was moved to after the notice went. Absent
   * on notices marked before it was kept: the inquiry's department. One the configuration names no more: the
   * inquiry's, whose index lists it.
   */
  department?: string;
  /** The department the inquiry was moved from after its warning or escalation: the new one is told anew. */
  movedFrom?: string;
  /**
   * A `critical` notice of a raise: the priority the inquiry had before (`at` is when it was raised). A breach
   * of a clock a raise timed to a due time already past (DeadlineClock.raisedPastDue): the priority before,
   * with the one raised to (`raisedTo`) and when (`raisedAt`).
   */
  raisedFrom?: Priority;
  raisedTo?: Priority;
  raisedAt?: string;
  /**
   * A `critical` notice whose clock the raise escalated at once (its deadline under the critical terms had
   * passed): a breach, counted when the notice is sent, and told as one settled if the clock stops first.
   */
  escalated?: true;
  /**
   * The escalator run (`run`, its own id) that is sending the notice, and when it claimed it (`at`): written
   * before the e-mail is published, so that a raise to critical is not undone once its e-mail may be on its way
   * (critical-notice.ts). Given back if the e-mail is refused; one of a run that ended without clearing the
   * notice (a crash) is taken over by a later run, which sends the notice again (escalation/notice-claim.ts).
   */
  sending?: { run: string; at: string };
}
