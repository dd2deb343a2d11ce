import type { AppConfig } from '../../config/schema.js';
import type { Inquiry } from '../../inquiry/inquiry.js';
import { type OutboxMessage, outboxIdFor } from '../outbox-message.js';
import { dueAtForCitizen } from './due-at.js';
import { type AcknowledgementSettings, reopenedSettingsOf, settingsOf } from './settings.js';
import { DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE, renderAcknowledgement } from './words.js';

/**
 * A suggested post waits for the community to publish or decline it, and a comment on it would be a comment
 * on a post no one but the author and the admins can see, if VK took it at all: the inquiry is recorded and
 * routed, and the operator who publishes or declines the post answers (docs/answering-citizens.md, "Acknowledgement").
 */
const isSuggestedPost = (inquiry: Inquiry) =>
  inquiry.replyTo.channel === 'wall_post' && inquiry.replyTo.suggested === true;

/**
 * Why a new inquiry is not acknowledged, as the router logs it: taken for no inquiry (`rejected`, listed
 * for triage); no longer `routed` (moved on since, when an event comes again: for the router's opening
 * event, routed into work again since by an operator, whose request acknowledges that routing); routed back
 * into work after it was in work, its case number told by its first routing (`told_already`); answered
 * or closed (or reopened after its answer) before its event came again; turned off for the community; a
 * suggested post; no first-response deadline; a community no longer configured.
 */
export type AcknowledgementSkipped =
  | 'not_an_inquiry'
  | 'not_routed'
  | 'told_already'
  | 'answered'
  | 'disabled'
  | 'suggested_post'
  | 'no_deadline'
  | 'unknown_community';

export type AcknowledgementDecision = { message: OutboxMessage } | { skipped: AcknowledgementSkipped };

/**
 * What a community's template is filled with, for an inquiry whose first response is due by `dueAt`, told at
 * `writtenAt` (the year is said when the due time falls in another).
 */
const valuesOf = (inquiry: Inquiry, settings: AcknowledgementSettings, dueAt: string, writtenAt?: Date) => ({
  // The number the citizen can read out (case-number.ts); an inquiry opened before numbers keeps its id.
  caseNumber: inquiry.caseNumber ?? inquiry.id,
  department: settings.departmentName,
  dueAt: dueAtForCitizen(dueAt, settings.timeZone, { writtenAt, localTimeName: settings.localTimeName }),
});

/**
 * The words of a template, and for a `critical` inquiry the community's line on where to call first, on a line
 * of its own: every acknowledgement of a gas leak says to call 104, and VK's notification of a message shows
 * only its first words, which must be that line.
 */
function wordsOf(
  template: string,
  inquiry: Inquiry,
  settings: AcknowledgementSettings,
  values: ReturnType<typeof valuesOf>,
): string {
  const text = renderAcknowledgement(template, values);
  const notice = inquiry.priority === 'critical' ? settings.criticalNotice?.trim() : undefined;
  return notice ? `${renderAcknowledgement(notice, values)}\n${text}` : text;
}

/** The acknowledgement of a routing that promised `firstResponseDueAt`, keyed by `cause`, or why there is none. */
export function promised(
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
  const values = valuesOf(inquiry, settings, dueAt, now);
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
      text: wordsOf(passed ? onceDue : settings.template, inquiry, settings, values),
      ...(timed && !passed && { dueAt, textOnceDue: wordsOf(onceDue, inquiry, settings, values) }),
      requestedAt: now.toISOString(),
      requestedBy,
    },
  };
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
  return wordsOf(onceDue, inquiry, settings, valuesOf(inquiry, settings, dueAt));
}
