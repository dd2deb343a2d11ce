/** Product counters (CloudWatch metrics in AWS). */
export interface ProductMetrics {
  /**
   * Counts one, or `value` of the metric at once (the inquiries a run left, say), with what it is counted by.
   * A `department` is a dimension only of the rare counts read by department; the adapter keeps it beside the
   * others' counts, where logs can be searched by it (lambdas/adapters/metrics.ts).
   */
  count(name: MetricName, dimensions?: Record<string, string>, value?: number): void;
}
export type MetricName =
  | 'InquiriesOpened'
  | 'InquiriesRouted'
  | 'InquiriesReopened'
  /** A follow-up more urgent than its inquiry raised the inquiry's priority. */
  | 'PrioritiesRaised'
  /** A message of its burst re-routed an inquiry no one had acted on yet (burst.ts). */
  | 'InquiriesRerouted'
  | 'FirstResponsesInTime'
  | 'FirstResponsesLate'
  | 'DeadlineWarnings'
  | 'DeadlineBreaches'
  /** A department told of a critical inquiry (new, raised to critical, or reopened still critical). */
  | 'CriticalNotices'
  /**
   * A deadline warning held back (its digest refused) that will never be told: its clock stopped meanwhile
   * (answered in time), or another deadline's breach took its place on the inquiry's one pending notice.
   */
  | 'DeadlineWarningsDropped'
  /**
   * The escalator could not check an inquiry, or tell of it (each inquiry of a digest not sent, of a notice
   * sent but not cleared); it went on with the others.
   */
  | 'EscalationErrors'
  /** An escalator run stopped for time, leaving departments to the next run (its notices go out late). */
  | 'EscalatorRunsStoppedForTime'
  /** Inquiries due that a run cut short left to the next, per department: how far behind the escalator is. */
  | 'EscalationChecksLeft'
  /** A deadline fell in a year the community's calendar does not list: its holidays were not counted. */
  | 'DeadlinesOutsideCalendar'
  /**
   * Not a count but a level, written by each escalator run while it is low: the fewest days, over communities,
   * before a deadline counted then may end in a year the community's calendar does not list.
   */
  | 'CalendarDaysLeft'
  /**
   * An inquiry found under a department the configuration no longer names (a citizen's message joined it, or
   * its deadline check came) was moved to its community's triage department: the old department's other
   * inquiries are still to be moved (docs/runbook.md, "Renaming, merging or removing a department").
   */
  | 'InquiriesMovedFromUnconfiguredDepartments'
  /**
   * An operator's change was saved but its message to the citizen could not be put on the answers queue: answered
   * 503, which fails no invocation, so only this count tells ops.
   */
  | 'OperatorMessagesNotQueued'
  /** The retention sweep deleted a finished inquiry past its period, with every item that named it. */
  | 'InquiriesDeleted'
  /** A retention sweep ran out of time before it had deleted everything due: the next night goes on. */
  | 'RetentionRunsIncomplete'
  /** A group chat's message we never stored (the members' talk) was edited, still not written to us. */
  | 'ChatEditsNotAddressed'
  /**
   * An admin's reply typed in VK in a group chat that quotes no member's message, or to a member with no
   * inquiry there once its wait was over (the members' talk, never stored): dropped.
   */
  | 'ChatRepliesNotAddressed'
  /**
   * An operator's reply typed in VK in a dialogue whose inquiry was answered or closed longer ago than the
   * citizen's next message could join it, no new inquiry having come in its wait (a follow-up): noted on it.
   */
  | 'RepliesInVkOnSettledInquiries'
  /**
   * An operator's reply typed in VK to a message rejected as no inquiry (a greeting), no inquiry the citizen
   * wrote before it having come in its wait: noted on the rejected message.
   */
  | 'RepliesInVkOnRejectedMessages'
  /**
   * An operator's reply typed in VK in a direct dialogue that answers no inquiry we hold: the citizen's latest
   * was opened by words written after it, and the one before is not known (router/record-reply.ts). Dropped.
   */
  | 'RepliesInVkNotRecorded'
  /**
   * A change of a citizen's message, or an operator's reply in VK, failed: its message was still not routed
   * once its wait was over (it may be a dead letter). Each failed attempt counts.
   */
  | 'ChangesWithoutMessage'
  /**
   * A change of a citizen's message still not stored once its wait was over, that cannot be waiting for it
   * as a dead letter (router/overtaken.ts, cannotBeLate): dropped.
   */
  | 'ChangesWithoutMessageDropped'
  /**
   * A change of a message of a citizen whose data `citizen:erase` deleted (an edit, a deletion, an operator's
   * reply typed in VK), its message gone with their data: dropped, its words never stored.
   */
  | 'ChangesAfterErasureDropped'
  /**
   * A citizen's message that came again under another VK event than the one that brought it (a second
   * callback server of the community, or a retry without `event_id` after a deploy changed the key's form):
   * dropped, its inquiry unchanged. Not counted in a group chat, where it is mostly the message its edit overtook.
   */
  | 'RepeatedMessagesDropped'
  /**
   * A citizen's new message, late (a dead letter replayed, a queue's backlog), written before their data was
   * erased by `citizen:erase` in the last ERASED_CITIZEN_DAYS: dropped, its words never stored.
   */
  | 'MessagesAfterErasureDropped'
  /**
   * A citizen's edit, in VK, of words an operator had answered, by `outcome`: `reopened` (it added to them
   * within the reopening window) or `recorded` (a typo, a reaction, or too late), the answered words kept.
   */
  | 'EditsAfterAnswer';
