import type { AppConfig } from '../config/schema.js';
import type { Inquiry } from '../inquiry/inquiry.js';
import { dateFormatPerTimeZone } from '../sla/time-zone.js';
import { type OutboxMessage, outboxIdFor } from './outbox-message.js';

/**
 * The placeholders a community's acknowledgement template may use: `caseNumber`, the inquiry's case number
 * (`2026-004217`, its community's sequence of the year: case-number.ts), what operators look it up by when the
 * citizen calls or writes again; `department`, the department's name; `dueAt`, the first-response deadline.
 */
export const ACKNOWLEDGEMENT_PLACEHOLDERS = ['caseNumber', 'department', 'dueAt'] as const;

export const DEFAULT_ACKNOWLEDGEMENT_TEMPLATE =
  'Здравствуйте! Ваше обращение зарегистрировано под номером {caseNumber} и передано: {department}. ' +
  'Ответ будет дан до {dueAt}.';

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

/** "3 марта в 14:00" in the community's time zone: what a citizen reads as the time of the answer. */
export function formatDueAt(instant: string, timeZone: string): string {
  const parts = dueAtFormat(timeZone).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((candidate) => candidate.type === type)?.value;
  return `${part('day')} ${part('month')} в ${part('hour')}:${part('minute')}`;
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
 * The acknowledgement of a newly routed inquiry, or nothing (not routed, no deadline, turned off, a
 * suggested post). Its id is the inquiry's and the purpose's alone: however often the router (or the
 * operator who routed a rejected message) asks, the citizen hears it once.
 */
export function acknowledgementFor(
  inquiry: Inquiry,
  settings: AcknowledgementSettings,
  now: Date,
  requestedBy = 'router',
): OutboxMessage | undefined {
  if (!settings.enabled || inquiry.status !== 'routed' || !inquiry.firstResponseDueAt) return undefined;
  if (isSuggestedPost(inquiry)) return undefined;
  return {
    kind: 'message_to_citizen',
    id: outboxIdFor(inquiry.id, 'acknowledgement', 'routed'),
    inquiryId: inquiry.id,
    groupId: inquiry.groupId,
    purpose: 'acknowledgement',
    replyTo: inquiry.replyTo,
    citizenId: inquiry.authorId,
    text: renderAcknowledgement(settings.template, {
      // The number the citizen can read out (case-number.ts); an inquiry opened before numbers keeps its id.
      caseNumber: inquiry.caseNumber ?? inquiry.id,
      department: settings.departmentName,
      dueAt: formatDueAt(inquiry.firstResponseDueAt, settings.timeZone),
    }),
    requestedAt: now.toISOString(),
    requestedBy,
  };
}

/**
 * The acknowledgement of a newly routed inquiry in its community's words (`communities[].acknowledgement`),
 * or nothing (see acknowledgementFor; a community no longer configured acknowledges nothing).
 */
export function acknowledgementOf(
  inquiry: Inquiry,
  config: AppConfig,
  now: Date,
  requestedBy?: string,
): OutboxMessage | undefined {
  const community = config.communities.find((candidate) => candidate.groupId === inquiry.groupId);
  if (!community) return undefined;
  const department = config.departments.find((candidate) => candidate.id === inquiry.department);
  return acknowledgementFor(
    inquiry,
    {
      enabled: community.acknowledgement?.enabled ?? true,
      template: community.acknowledgement?.template ?? DEFAULT_ACKNOWLEDGEMENT_TEMPLATE,
      timeZone: community.calendar.timeZone,
      departmentName: department?.name ?? inquiry.department ?? '',
    },
    now,
    requestedBy,
  );
}
