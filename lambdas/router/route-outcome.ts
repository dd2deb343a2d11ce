import type { InquiryStatus } from '../domain/inquiry/inquiry.js';
import type { AcknowledgementOutcome } from './acknowledge.js';

/** What became of a citizen's message the router routed, for the log (dispatch-by-kind.ts). */
export type RouteOutcome = {
  inquiryId: string;
  /**
   * The inquiry's case number, for the log: what the citizen was told and the on-call is given (none for a
   * message taken for no inquiry, nor for an inquiry older than case numbers).
   */
  caseNumber?: string;
  /**
   * opened: a new inquiry (opened_new_matter: a new matter, though it could have reopened the citizen's
   * answered or closed inquiry); joined: a follow-up in the citizen's inquiry (reopened: and it reopened it).
   */
  outcome: 'opened' | 'opened_new_matter' | 'joined' | 'reopened' | 'duplicate';
  created: boolean;
  department: string | null;
  /** The inquiry's status: `rejected` is a message taken for no inquiry, which is never acknowledged. */
  status: InquiryStatus;
  /**
   * What became of the acknowledgement: `queued` on the outbox (again, for a redelivered event, under the
   * same id), or why not: `follow_up` (only a new inquiry, or a message that reopened one or raised its
   * priority, is acknowledged), `other_delivery` (another
   * delivery of the event opened the inquiry and acknowledges it), `no_outbox` (a router without one), or
   * the reasons of decideAcknowledgement (acknowledgement.ts).
   */
  acknowledgement: AcknowledgementOutcome | 'follow_up' | 'other_delivery' | 'no_outbox';
  /** The inquiry's messages once a follow-up joined it: one citizen's flood shows as a count growing on one case. */
  messageCount?: number;
};
