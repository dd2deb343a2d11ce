import { communityOf as configuredCommunity } from '../domain/config/community-of.js';
import type { AppConfig } from '../domain/config/schema.js';
import { checkDeadlineCalendar } from '../domain/inquiry/calendar-check.js';
import { slaTermsFor } from '../domain/inquiry/deadline.js';
import { countEffects } from '../domain/inquiry/effect-counts.js';
import { erasedMessage } from '../domain/inquiry/erased-citizen.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { routeInquiry } from '../domain/inquiry/routing.js';
import type {
  EditRouting,
  Effect,
  TransitionContext,
  TransitionResult,
} from '../domain/inquiry/state-machine.js';
import { type MovedChange, withMoveToTriage } from '../domain/inquiry/unconfigured-department.js';
import type { ClassifiedMessage } from '../domain/messages.js';
import type {
  Clock,
  ErasedCitizens,
  ErasureMarks,
  InquiryRepository,
  ProductMetrics,
} from '../domain/ports.js';
import type { Priority } from '../domain/taxonomy.js';
import type { AcknowledgementOutcome, RouterAcknowledgementAsked } from './acknowledge.js';
import { MessageStillMissing, OVERTAKEN_RETRY_MS } from './overtaken.js';

export interface RouteMessageDeps {
  config: AppConfig;
  inquiries: InquiryRepository;
  clock: Clock;
  /** The inquiry id for a VK event: the same for the same event, so a redelivery finds what it made. */
  inquiryIdFor: (groupId: number, eventKey: string) => string;
  metrics?: ProductMetrics;
  /**
   * Acknowledges a newly routed inquiry to the citizen (through the outbox), or `again` when the event that
   * routed it comes back; idempotent. Says if it did.
   */
  acknowledge?: (inquiry: Inquiry, asked?: RouterAcknowledgementAsked) => Promise<AcknowledgementOutcome>;
  /**
   * The retention sweep's marks: a stored message whose inquiry is being deleted is a message no longer
   * known. Without them, such a message is taken for one whose inquiry was never stored.
   */
  erasures?: ErasureMarks;
  /**
   * The citizens `citizen:erase` deleted lately: a change of their message erased with their data is dropped,
   * and so is their message written before it that comes late (erased-author.ts); their words written before
   * it that another's message passes on are stored redacted (erased-quotes.ts), and others' mentions of them
   * replaced (erased-mentions.ts). Without them, such a change
   * is waited on, and kept in the dead-letter queue as any change whose message is missing; such a message is
   * routed, and such words stored.
   */
  erasedCitizens?: ErasedCitizens;
  /** Told of something ops must fix; the fields hold ids and dates, never the citizen's words. */
  logWarning?: (message: string, fields: Record<string, unknown>) => void;
}

/** The community's calendar and routing, and the counts and warnings of a change: shared by the use cases. */
export function routerContext(deps: RouteMessageDeps) {
  const { config } = deps;

  const communityOf = (groupId: number) => {
    const community = configuredCommunity(config, groupId);
    if (!community) throw new Error(`unknown community ${groupId}`);
    return community;
  };
  const contextFor = (groupId: number): TransitionContext => ({
    calendar: communityOf(groupId).calendar,
    warnAtFraction: config.sla.warnAtFraction,
    now: deps.clock.now(),
  });

  const record = (effects: Effect[], inquiry: Inquiry) => countEffects(deps.metrics, effects, inquiry);

  /** Acknowledges through the outbox, or says there is none (`no_outbox`). */
  const acknowledge = async (
    inquiry: Inquiry,
    asked: RouterAcknowledgementAsked,
  ): Promise<AcknowledgementOutcome | 'no_outbox'> =>
    deps.acknowledge ? deps.acknowledge(inquiry, asked) : 'no_outbox';
  /**
   * A follow-up, a new message's or an edit's, is acknowledged when it reopened the inquiry (the cycle it
   * started still current), or raised its priority and so made its due time sooner (a danger reported in the
   * open case), or raised it to critical (where to call); else not (noteRaise, citizen-message.ts, records
   * which). Asked again for its event come back, under the same id.
   */
  const acknowledgeFollowUp = async (
    inquiry: Inquiry,
    eventKey: string,
  ): Promise<AcknowledgementOutcome | 'no_outbox' | 'follow_up'> =>
    inquiry.reopenCause === eventKey
      ? acknowledge(inquiry, 'reopened')
      : inquiry.raiseCause === eventKey
        ? acknowledge(inquiry, 'raised')
        : 'follow_up';
  /** What completes an inquiry put into work (routing-completion.ts). */
  const completion = { inquiries: deps.inquiries, acknowledge };

  /** Tells of a deadline the change counted across a year the calendar does not list (calendar-check.ts). */
  const checkCalendar = (inquiry: Inquiry, before?: Inquiry) =>
    checkDeadlineCalendar(inquiry, before, contextFor(inquiry.groupId).calendar, deps);

  /**
   * Where a message routes an inquiry on its own words, as a new one would be routed; its terms at
   * `priority`, the one the inquiry would then have.
   */
  const routingOf = (
    groupId: number,
    classification: ClassifiedMessage['classification'],
    text: string,
    priority: Priority = classification.priority,
  ): EditRouting => {
    const { category, triage } = classification;
    const { department, rule } = routeInquiry(config, {
      groupId,
      category,
      priority: classification.priority,
      text,
      triage,
    });
    return { classification, department, rule, terms: slaTermsFor(config.sla, category, priority) };
  };

  const configured = new Set(config.departments.map((department) => department.id));
  /**
   * A citizen's message (or edit) that changes an inquiry left under a department no longer configured hands
   * it to the community's triage department in the same write, where it is seen (unconfigured-department.ts):
   * else it would join, or reopen, an inquiry no list shows and no one is warned of.
   */
  const seenInTriage = <Result extends TransitionResult>(
    result: Result,
    cause: string,
    context: TransitionContext,
  ): Exclude<Result, { outcome: 'changed' }> | MovedChange =>
    result.outcome !== 'changed'
      ? (result as Exclude<Result, { outcome: 'changed' }>)
      : withMoveToTriage(
          result,
          configured,
          communityOf(result.inquiry.groupId).triageDepartment,
          cause,
          context,
        );
  /** Told once the move seenInTriage made is stored: ops have the rest of the old department to move. */
  const movedToTriage = (inquiry: Inquiry, fromDepartment: string | undefined) => {
    if (fromDepartment === undefined) return;
    deps.metrics?.count('InquiriesMovedFromUnconfiguredDepartments');
    deps.logWarning?.('router: an inquiry under a department no longer configured was moved to triage', {
      inquiryId: inquiry.id,
      fromDepartment,
      toDepartment: inquiry.department,
    });
  };

  /**
   * The citizen's message a change or an operator's reply is about is still not stored once its wait is over
   * (overtaken.ts): counted, and kept in the dead-letter queue beside its message rather than dropped. What
   * it is, not which: the error is logged.
   */
  const stillMissing = (kind: 'message_changed' | 'operator_reply_in_vk') => {
    deps.metrics?.count('ChangesWithoutMessage');
    const what =
      kind === 'message_changed' ? 'the message this change is about' : 'the message this reply answers';
    return new MessageStillMissing(
      `${what} is still not routed after ${OVERTAKEN_RETRY_MS / 60_000} minutes of waiting for it`,
    );
  };

  /**
   * Whether the message a change is about, not held, is of a citizen whose data was erased lately
   * (domain/inquiry/erased-citizen.ts); a change that names no author cannot tell.
   */
  const erasedMessageOf = async (groupId: number, authorId: number | undefined, sentAt?: string) => {
    if (authorId === undefined || !deps.erasedCitizens) return undefined;
    return erasedMessage(sentAt, await deps.erasedCitizens.erasedAt(groupId, authorId, sentAt));
  };
  /** A change of an erased citizen's message, dropped: counted, its words kept nowhere. */
  const droppedAfterErasure = () => {
    deps.metrics?.count('ChangesAfterErasureDropped');
    return { inquiryId: null, outcome: 'erased_citizen' } as const;
  };

  /**
   * What follows a change once it is stored, whichever use case made it: its effects counted, its deadlines
   * checked against the calendar (against those `before` it had), and its move to triage told (seenInTriage).
   */
  const changeStored = (
    change: { inquiry: Inquiry; effects: Effect[]; movedFrom?: string | undefined },
    before?: Inquiry,
  ) => {
    record(change.effects, change.inquiry);
    checkCalendar(change.inquiry, before);
    movedToTriage(change.inquiry, change.movedFrom);
  };

  return {
    communityOf,
    contextFor,
    acknowledge,
    acknowledgeFollowUp,
    completion,
    routingOf,
    seenInTriage,
    changeStored,
    stillMissing,
    erasedMessageOf,
    droppedAfterErasure,
  };
}
