import { communityOf } from '../config/community-of.js';
import type { AppConfig } from '../config/schema.js';
import { type HistoryEntry, type Inquiry, isOpen } from '../inquiry/inquiry.js';
import { dateFormatPerTimeZone } from '../sla/time-zone.js';
import { type OutboxMessage, outboxIdFor } from './outbox-message.js';

/**
 * The placeholders a community's acknowledgement template may use: `caseNumber`, the inquiry's case number
 * (`2026-004217`, its community's sequence of the year: case-number.ts), what operators look it up by when the
 * citizen calls or writes again; `department`, the department's name; `dueAt`, the first-response deadline.
 */
export const ACKNOWLEDGEMENT_PLACEHOLDERS = ['caseNumber', 'department', 'dueAt'] as const;

/**
 * What an acknowledgement says once its deadline has passed, unless its community words it
 * (`acknowledgement.templateOnceDue`): the case number and the department, no time already gone.
 */
export const DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE =
  'Здравствуйте! Ваше обращение зарегистрировано под номером {caseNumber}. Его рассматривает: {department}.';

/**
 * The time is that of the first response, often "we are working on it", not of the final answer: "we will
 * answer you by", not "the answer will be given by".
 */
export const DEFAULT_ACKNOWLEDGEMENT_TEMPLATE = `${DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE} Мы ответим вам до {dueAt}.`;

/**
 * What a reopening's acknowledgement says once its deadline has passed, unless its community words it
 * (`acknowledgement.reopened.templateOnceDue`): the citizen, who wrote again after the answer, learns their
 * message was taken, and under which number.
 */
export const DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE =
  'Ваше сообщение добавлено к обращению № {caseNumber}.';

/** A reopening's acknowledgement, unless its community words it (`acknowledgement.reopened.template`). */
export const DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE = `${DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE} Мы ответим вам до {dueAt}.`;

/** The placeholders a template uses that are not known: each is a configuration error. */
export function unknownPlaceholders(template: string): string[] {
  const known: readonly string[] = ACKNOWLEDGEMENT_PLACEHOLDERS;
  return [...template.matchAll(/\{([^{}\s]+)\}/gu)]
    .map((match) => match[1] ?? '')
    .filter((name) => !known.includes(name));
}

const dueAtFormat = dateFormatPerTimeZone('ru-RU', {
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * "3 марта в 14:00" in the community's time zone: what a citizen reads as the time of the answer. Midnight is
 * the end of the day before, "5 декабря в 24:00": "до 6 декабря в 00:00" reads as "by the end of 6 December",
 * a day later than meant.
 */
export function formatDueAt(instant: string, timeZone: string): string {
  const at = new Date(instant);
  const parts = dueAtFormat(timeZone).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes, from = parts) =>
    from.find((candidate) => candidate.type === type)?.value;
  if (part('hour') === '00' && part('minute') === '00') {
    const dayBefore = dueAtFormat(timeZone).formatToParts(new Date(at.getTime() - 60_000));
    return `${part('day', dayBefore)} ${part('month', dayBefore)} в 24:00`;
  }
  return `${part('day')} ${part('month')} в ${part('hour')}:${part('minute')}`;
}

const offsetFormat = dateFormatPerTimeZone('en-US', { timeZoneName: 'shortOffset' });

/**
 * The due time as the citizen reads it, its clock said: "3 марта в 14:00 по местному времени (UTC+5)". A
 * citizen writing from elsewhere, or reading on a phone set to Moscow time, is not left to guess.
 */
export function dueAtForCitizen(instant: string, timeZone: string): string {
  const at = new Date(instant);
  const offset =
    offsetFormat(timeZone)
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')
      ?.value.replace(/^GMT/u, 'UTC') ?? 'UTC';
  return `${formatDueAt(instant, timeZone)} по местному времени (${offset === 'UTC+0' ? 'UTC' : offset})`;
}

export function renderAcknowledgement(
  template: string,
  values: Record<(typeof ACKNOWLEDGEMENT_PLACEHOLDERS)[number], string>,
): string {
  return template.replace(/\{([^{}\s]+)\}/gu, (whole, name: string) =>
    name in values ? values[name as keyof typeof values] : whole,
  );
}

export interface AcknowledgementSettings {
  enabled: boolean;
  template: string;
  /**
   * The words once the deadline `template` names has passed (a routing replayed from the dead letters days
   * later, an acknowledgement VK took that long to take), so that the citizen is not promised a time already
   * gone; without `{dueAt}`. Omitted: DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE. A template of the ops' own
   * is not cut into pieces for it: "т.е.", "г." or a web address end no sentence.
   */
  templateOnceDue?: string | undefined;
  timeZone: string;
  departmentName: string;
}

/**
 * A suggested post waits for the community to publish or decline it, and a comment on it would be a comment
 * on a post no one but the author and the admins can see, if VK took it at all: the inquiry is recorded and
 * routed, and the operator who publishes or declines the post answers (README, "Acknowledgement").
 */
const isSuggestedPost = (inquiry: Inquiry) =>
  inquiry.replyTo.channel === 'wall_post' && inquiry.replyTo.suggested === true;

/**
 * Why a new inquiry is not acknowledged, as the router logs it: taken for no inquiry (`rejected`, listed
 * for triage); no longer `routed` (moved on since, when an event comes again: for the router's opening
 * event, routed into work again since by an operator, whose request acknowledges that routing); answered
 * or closed (or reopened after its answer) before its event came again; turned off for the community; a
 * suggested post; no first-response deadline; a community no longer configured.
 */
export type AcknowledgementSkipped =
  | 'not_an_inquiry'
  | 'not_routed'
  | 'answered'
  | 'disabled'
  | 'suggested_post'
  | 'no_deadline'
  | 'unknown_community';

export type AcknowledgementDecision = { message: OutboxMessage } | { skipped: AcknowledgementSkipped };

/**
 * What the acknowledgement's outbox id is keyed by. An inquiry's first routing (by the router, an edit, or the
 * operator who routed a rejected message) is `routed`, whoever asks and however often: the citizen hears it
 * once. One an operator rejected after it was in work, and routed back into work since, has a new clock and
 * a new due time, promised anew under the request that routed it back (`routeCause`): the responder sends
 * nothing under the first promise's id again, its outbox record written.
 */
export const acknowledgementCause = (inquiry: Inquiry): string =>
  inquiry.routeCause !== undefined && (inquiry.clockCount ?? 0) > 1 ? inquiry.routeCause : 'routed';

/**
 * The acknowledgement of a newly routed inquiry, or why there is none; its id, see acknowledgementCause. Its
 * deadline passed already at `now` (a routing replayed from the dead letters days later), it goes in the words
 * for then (`templateOnceDue`); still ahead, it carries it, and the words to send instead should the responder send it
 * only once it has passed (send-time.ts, acknowledgementAt).
 */
export function decideAcknowledgement(
  inquiry: Inquiry,
  settings: AcknowledgementSettings,
  now: Date,
  requestedBy = 'router',
): AcknowledgementDecision {
  if (inquiry.status === 'rejected') return { skipped: 'not_an_inquiry' };
  if (inquiry.status !== 'routed') return { skipped: 'not_routed' };
  return promised(
    inquiry,
    settings,
    { cause: acknowledgementCause(inquiry), firstResponseDueAt: inquiry.firstResponseDueAt },
    now,
    requestedBy,
  );
}

/**
 * The acknowledgement of the router's opening of an inquiry, asked for again when the event that opened it
 * comes back (its first try may have stopped before the outbox: SQS brings the event back minutes later, or a
 * dead letter is replayed days later). Whatever the inquiry has become since (taken, moved, written to), the
 * citizen is owed the case number: it tells the number, the department and the first-response due time as
 * they are now, under the `routed` id, so that one the first try did queue is sent once; the responder sends
 * it without the time once the department has responded (send-time.ts, acknowledgementOnceResponded). None once the
 * inquiry is rejected, answered or closed (or reopened after its answer: the answer told them more), nor once
 * an operator routed it into work (again) since, whose request acknowledged that routing itself.
 */
function decideOpeningAcknowledgementOf(
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
  requestedBy: string,
): AcknowledgementDecision {
  if (inquiry.status === 'rejected') return { skipped: 'not_an_inquiry' };
  // Reopened since, taken again or not: the citizen had its answer (or its closing) since.
  if (!isOpen(inquiry.status) || inquiry.reopenCount > 0) return { skipped: 'answered' };
  if (inquiry.routeCause !== undefined) return { skipped: 'not_routed' };
  const settings = settingsOf(inquiry, config, inquiry.department);
  if (!settings) return { skipped: 'unknown_community' };
  return promised(
    inquiry,
    settings,
    { cause: 'routed', firstResponseDueAt: inquiry.firstResponseDueAt },
    now,
    requestedBy,
  );
}

/**
 * The cause a reopening's acknowledgement is keyed by: the inquiry's reopening it tells of (`reopened-1` for
 * the first), so that the event that reopened it, redelivered or retried, queues it under the same id, and a
 * later reopening under another.
 */
export const reopeningAcknowledgementCause = (inquiry: Pick<Inquiry, 'reopenCount'>): string =>
  `reopened-${inquiry.reopenCount}`;

/**
 * The acknowledgement of a citizen's message that reopened their answered (or closed) inquiry, the current
 * cycle being the one that message started (`reopenCause`, which the router checks): the case number, and
 * the new first-response due time, in the community's words for a reopening (`acknowledgement.reopened`). Asked
 * again when its event comes back (its first try may have stopped before the outbox), it tells them as they
 * are now, under the same id, so that one the first try did queue is sent once; the responder sends it without
 * the time once the department has responded, and not at all once it is answered (README, "Too late"). None
 * once the inquiry is rejected, answered or closed again, nor when the community acknowledges nothing (or no
 * reopening).
 */
function decideReopeningAcknowledgementOf(
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
  requestedBy: string,
): AcknowledgementDecision {
  if (inquiry.status === 'rejected') return { skipped: 'not_an_inquiry' };
  if (!isOpen(inquiry.status)) return { skipped: 'answered' };
  const settings = reopenedSettingsOf(inquiry, config);
  if (!settings) return { skipped: 'unknown_community' };
  return promised(
    inquiry,
    settings,
    {
      cause: reopeningAcknowledgementCause(inquiry),
      // An inquiry without terms starts no clock when reopened: its due time is the last cycle's.
      firstResponseDueAt: inquiry.terms ? inquiry.firstResponseDueAt : undefined,
    },
    now,
    requestedBy,
  );
}

/** What a community's template is filled with, for an inquiry whose first response is due by `dueAt`. */
const valuesOf = (inquiry: Inquiry, settings: AcknowledgementSettings, dueAt: string) => ({
  // The number the citizen can read out (case-number.ts); an inquiry opened before numbers keeps its id.
  caseNumber: inquiry.caseNumber ?? inquiry.id,
  department: settings.departmentName,
  dueAt: dueAtForCitizen(dueAt, settings.timeZone),
});

/** The acknowledgement of a routing that promised `firstResponseDueAt`, keyed by `cause`, or why there is none. */
function promised(
  inquiry: Inquiry,
  settings: AcknowledgementSettings,
  routing: { cause: string; firstResponseDueAt?: string | undefined },
  now: Date,
  requestedBy: string,
): AcknowledgementDecision {
  if (!settings.enabled) return { skipped: 'disabled' };
  if (isSuggestedPost(inquiry)) return { skipped: 'suggested_post' };
  const dueAt = routing.firstResponseDueAt;
  if (!dueAt) return { skipped: 'no_deadline' };
  const values = valuesOf(inquiry, settings, dueAt);
  // A template that names no time has no time to pass.
  const timed = settings.template.includes('{dueAt}');
  const onceDue = settings.templateOnceDue ?? DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE;
  const passed = timed && Date.parse(dueAt) <= now.getTime();
  return {
    message: {
      kind: 'message_to_citizen',
      id: outboxIdFor(inquiry.id, 'acknowledgement', routing.cause),
      inquiryId: inquiry.id,
      groupId: inquiry.groupId,
      purpose: 'acknowledgement',
      replyTo: inquiry.replyTo,
      citizenId: inquiry.authorId,
      text: renderAcknowledgement(passed ? onceDue : settings.template, values),
      ...(timed && !passed && { dueAt, textOnceDue: renderAcknowledgement(onceDue, values) }),
      requestedAt: now.toISOString(),
      requestedBy,
    },
  };
}

/** What the citizen is told of `department`: its public name, or its name (`departments[].publicName`). */
function publicNameOf(config: AppConfig, department: string | undefined): string {
  const configured = config.departments.find((candidate) => candidate.id === department);
  return configured?.publicName ?? configured?.name ?? department ?? '';
}

/** How the inquiry's community acknowledges, naming `department` (`communities[].acknowledgement`). */
function settingsOf(
  inquiry: Inquiry,
  config: AppConfig,
  department: string | undefined,
): AcknowledgementSettings | undefined {
  const community = communityOf(config, inquiry.groupId);
  if (!community) return undefined;
  return {
    enabled: community.acknowledgement?.enabled ?? true,
    template: community.acknowledgement?.template ?? DEFAULT_ACKNOWLEDGEMENT_TEMPLATE,
    templateOnceDue: community.acknowledgement?.templateOnceDue,
    timeZone: community.calendar.timeZone,
    departmentName: publicNameOf(config, department),
  };
}

/**
 * How the inquiry's community acknowledges a citizen's reopening (`communities[].acknowledgement.reopened`):
 * not at all when it acknowledges nothing, or no reopening; in its words for one, or the default ones.
 */
function reopenedSettingsOf(inquiry: Inquiry, config: AppConfig): AcknowledgementSettings | undefined {
  const settings = settingsOf(inquiry, config, inquiry.department);
  if (!settings) return undefined;
  const community = communityOf(config, inquiry.groupId);
  const reopened = community?.acknowledgement?.reopened;
  return {
    ...settings,
    enabled: settings.enabled && (reopened?.enabled ?? true),
    template: reopened?.template ?? DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE,
    templateOnceDue: reopened?.templateOnceDue ?? DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE,
  };
}

/**
 * Which acknowledgement is asked for, which tells what the citizen is owed and under which outbox id:
 * - `first`: the routing that put the inquiry into work, as it left it (the router opening it or an edit routing
 *   it, as they do; an operator's route, done or repeated while the inquiry is still routed): decideAcknowledgement;
 * - `again`: the router's, when the event that opened or routed the inquiry comes back, its first try having maybe
 *   stopped before the outbox: decideOpeningAcknowledgementOf;
 * - `reopened`: the router's, for a citizen's message that reopened the inquiry, or that message's event come
 *   back: decideReopeningAcknowledgementOf;
 * - `{ repeated, history }`: an operator's request that routed it (`repeated`, its cause), repeated once the
 *   inquiry has moved on (taken, written to), read with the inquiry's history: decideRoutingAcknowledgement.
 */
export type AcknowledgementAsked =
  | 'first'
  | 'again'
  | 'reopened'
  | { repeated: string; history: readonly HistoryEntry[] };

/**
 * The acknowledgement asked for, in the inquiry's community's words (`communities[].acknowledgement`), or why
 * there is none (a community no longer configured acknowledges nothing); `requestedBy`: the router, or the
 * operator whose request routed the inquiry.
 */
export function decideAcknowledgementOf(
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
  asked: AcknowledgementAsked = 'first',
  requestedBy = 'router',
): AcknowledgementDecision {
  if (asked === 'again') return decideOpeningAcknowledgementOf(inquiry, config, now, requestedBy);
  if (asked === 'reopened') return decideReopeningAcknowledgementOf(inquiry, config, now, requestedBy);
  if (asked !== 'first')
    return decideRoutingAcknowledgement(inquiry, asked.history, asked.repeated, config, now, requestedBy);
  const settings = settingsOf(inquiry, config, inquiry.department);
  if (!settings) return { skipped: 'unknown_community' };
  return decideAcknowledgement(inquiry, settings, now, requestedBy);
}

/** The acknowledgement of a newly routed inquiry in its community's words, or nothing. */
export function acknowledgementOf(
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
  requestedBy?: string,
): OutboxMessage | undefined {
  const decision = decideAcknowledgementOf(inquiry, config, now, 'first', requestedBy);
  return 'message' in decision ? decision.message : undefined;
}

/**
 * The cause the acknowledgement of the routing by `cause` is keyed by, from the inquiry's history: `routed`
 * for its first routing, its own cause for one after an earlier routing (acknowledgementCause, which reads it
 * off the inquiry only while it is as the routing left it: an intermediate answer since starts another clock).
 * Undefined when the history holds no routing by `cause`.
 */
function acknowledgementCauseOf(history: readonly HistoryEntry[], cause: string): string | undefined {
  const routings = history
    .filter((entry) => entry.kind === 'routed')
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const index = routings.findIndex((entry) => entry.key.includes(`#${cause}#`));
  return index < 0 ? undefined : index === 0 ? 'routed' : cause;
}

/**
 * The acknowledgement an operator's routing of a rejected message (by `cause`) queues when the request is
 * repeated, its first try having saved the routing but not queued the acknowledgement (503): whatever the
 * inquiry has become since (taken, written to), it tells the case number, the department and the
 * first-response due time as they are now, under the id the first try used, so that one it did queue is sent
 * once; the responder skips it once the inquiry is answered (README, "Too late"). None once the inquiry is
 * rejected again, or routed by a later request (which acknowledges its own).
 */
function decideRoutingAcknowledgement(
  inquiry: Inquiry,
  history: readonly HistoryEntry[],
  cause: string,
  config: AppConfig,
  now: Date,
  requestedBy: string,
): AcknowledgementDecision {
  if (inquiry.status === 'rejected') return { skipped: 'not_an_inquiry' };
  const keyedBy = inquiry.routeCause === cause ? acknowledgementCauseOf(history, cause) : undefined;
  if (keyedBy === undefined) return { skipped: 'not_routed' };
  const settings = settingsOf(inquiry, config, inquiry.department);
  if (!settings) return { skipped: 'unknown_community' };
  return promised(
    inquiry,
    settings,
    { cause: keyedBy, firstResponseDueAt: inquiry.firstResponseDueAt },
    now,
    requestedBy,
  );
}

/**
 * The inquiry's acknowledgement in its community's words for once its first-response deadline has passed (for
 * a reopening, in those for a reopening): what the responder sends in place of one queued with a time that no
 * longer holds (send-time.ts). Undefined when there are no such words: the community is configured no more, its
 * template names no time, or the inquiry has no deadline.
 */
export function acknowledgementTextOnceDue(
  inquiry: Inquiry,
  config: AppConfig,
  { reopening }: { reopening: boolean },
): string | undefined {
  const dueAt = inquiry.firstResponseDueAt;
  const settings = reopening
    ? reopenedSettingsOf(inquiry, config)
    : settingsOf(inquiry, config, inquiry.department);
  if (dueAt === undefined || !settings?.template.includes('{dueAt}')) return undefined;
  const onceDue = settings.templateOnceDue ?? DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE;
  return renderAcknowledgement(onceDue, valuesOf(inquiry, settings, dueAt));
}
