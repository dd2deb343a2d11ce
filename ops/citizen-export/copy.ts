import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { HistoryEntry, Inquiry, InquiryStatus } from '../../lambdas/domain/inquiry/inquiry.js';
import { deletionDueAt } from '../../lambdas/domain/inquiry/retention.js';
import { STATUS_NAMES } from '../../lambdas/domain/inquiry/status.js';
import { CATEGORY_NAMES, type Category } from '../../lambdas/domain/taxonomy.js';
import type {
  AttachmentSummary,
  Channel,
  QuotedMessage,
  SharedLocation,
} from '../../lambdas/domain/vk/citizen-message.js';
import { vkUrlOf } from '../../lambdas/domain/vk/vk-url.js';

/**
 * What the table holds of one citizen in one community, as the body hands it to them on their request (152-FZ
 * art. 14): their inquiries, their own words and what the body sent them, and how long it is all kept. Not in
 * it, by design (docs/runbook.md, "A citizen asks for a copy of their data"): who the operators are and what
 * they noted among themselves, other people's words their messages passed on, the product's bookkeeping
 * (VK's event keys, internal ids, the routing and the deadlines' checks).
 */
export interface CitizenCopy {
  community: { groupId: number; name?: string };
  /** When the copy was made, ISO. */
  madeAt: string;
  /** The time zone the times of the printed copy are told in: the community's (UTC for one removed). */
  timeZone: string;
  /** The retention period, and what is kept for it, in the citizen's words (152-FZ art. 14 part 7). */
  retention: { closedInquiryDays: number; terms: string[] };
  inquiries: InquiryCopy[];
  /**
   * Their messages whose inquiry was never stored whole (a failed try that was never routed again): kept in
   * the table all the same, until their erasure deletes them.
   */
  unopenedMessages: CorrespondenceEntry[];
}

/** One of their inquiries, as the citizen may know it. */
export interface InquiryCopy {
  /** The number they were told; absent on a message taken for no inquiry, and on the oldest inquiries. */
  caseNumber?: string;
  openedAt: string;
  answeredAt?: string;
  closedAt?: string;
  status: InquiryStatus;
  statusName: string;
  category: Category;
  categoryName: string;
  /** The department's public name; absent when it is no longer configured, or none had it. */
  department?: string;
  source: { channel: Channel; vkUrl?: string };
  /** When the retention sweep deletes it, as it stands: absent while it is open. */
  deletedAfter?: string;
  /** Their messages and what the body sent them, oldest first. */
  correspondence: CorrespondenceEntry[];
}

/** A passage the citizen's message passed on that is their own words (a forward of their earlier message). */
interface OwnPassage {
  kind: QuotedMessage['kind'];
  sentAt?: string;
  text: string;
  link?: string;
  attachments?: AttachmentSummary[];
}

export type CorrespondenceEntry =
  | {
      at: string;
      from: 'citizen';
      kind: 'message';
      text: string;
      attachments?: AttachmentSummary[];
      location?: SharedLocation;
      /** What it passed on of their own words. */
      passedOn?: OwnPassage[];
      /** How many passages of others' words (or redacted ones) it passed on: counted, not copied. */
      passagesOfOthers?: number;
    }
  | {
      at: string;
      from: 'citizen';
      kind: 'edited' | 'deleted' | 'restored';
      text?: string;
      attachments?: AttachmentSummary[];
    }
  | {
      at: string;
      from: 'body';
      /** The product's acknowledgement, an operator's intermediate answer, answer, or reply besides them. */
      kind: 'acknowledgement' | 'intermediate_answer' | 'answer' | 'reply';
      text: string;
      /** VK refused it, or it never left: the citizen did not get it. */
      notDelivered?: true;
    };

/** What the product keeps of an inquiry, and for how long: the term 152-FZ art. 14 part 7 asks the body to state. */
export const retentionWords = (days: number): string[] => [
  'Сведения хранятся в информационной системе, в которую поступают обращения со страницы органа во ВКонтакте: ' +
    'ваш идентификатор ВКонтакте, тексты ваших сообщений и вложения к ним (ссылки на них во ВКонтакте), ' +
    'время сообщений, ответы, направленные вам, сведения о рассмотрении обращения (статус, категория, отдел, сроки).',
  `Обращение хранится ${days} дн. после того, как на него дан ответ, оно закрыто или признано не обращением, ` +
    'затем удаляется вместе со всеми сведениями о нём. Обращение, которое ещё рассматривается, не удаляется; ' +
    'если вы напишете снова после ответа, срок отсчитывается от нового ответа.',
  'По вашему заявлению ваши сведения могут быть удалены раньше этого срока.',
];

type Detail = Record<string, unknown>;
const textOf = (detail: Detail) => (typeof detail.text === 'string' ? detail.text : '');
const attachmentsOf = (detail: Detail) =>
  Array.isArray(detail.attachments) && detail.attachments.length > 0
    ? { attachments: detail.attachments as AttachmentSummary[] }
    : {};

/** Their own passages copied; the others' (and the redacted, which name no author) only counted. */
function passages(quoted: unknown, userId: number) {
  if (!Array.isArray(quoted) || quoted.length === 0) return {};
  const own = (quoted as QuotedMessage[]).filter(
    (passage) => passage.authorId === userId && passage.redacted !== true,
  );
  const others = quoted.length - own.length;
  return {
    ...(own.length > 0 && {
      passedOn: own.map(
        ({ kind, sentAt, text, link, attachments }): OwnPassage => ({
          kind,
          ...(sentAt !== undefined && { sentAt }),
          text,
          ...(link !== undefined && { link }),
          ...(attachments && attachments.length > 0 && { attachments }),
        }),
      ),
    }),
    ...(others > 0 && { passagesOfOthers: others }),
  };
}

/** The outbox ids of the body's messages VK refused or that never left, and never delivered after. */
function undeliveredOf(history: readonly HistoryEntry[]): Set<string> {
  const refused = new Set<string>();
  const delivered = new Set<string>();
  for (const { kind, detail = {} } of history) {
    if (typeof detail.outboxId !== 'string') continue;
    if (kind === 'undelivered') refused.add(detail.outboxId);
    if (kind === 'delivery' && detail.result === 'delivered') delivered.add(detail.outboxId);
  }
  return new Set([...refused].filter((id) => !delivered.has(id)));
}

/**
 * The citizen's side of a history: their own messages (`actorId` theirs: a group chat's other members are
 * other people) and their changes, the acknowledgements delivered to them, and the operators' words to them,
 * without who wrote them. Every other entry is the product's or the operators' work on the case.
 */
export function correspondenceOf(history: readonly HistoryEntry[], userId: number): CorrespondenceEntry[] {
  const undelivered = undeliveredOf(history);
  return history.flatMap((entry): CorrespondenceEntry[] => {
    // A stored entry may have no detail (stored-history-entry.ts): read as an empty one.
    const { at, kind, actor, actorId, detail = {} } = entry;
    if (kind === 'message' && actor === 'citizen' && actorId === userId) {
      const location = detail.location as SharedLocation | undefined;
      return [
        {
          at,
          from: 'citizen',
          kind: 'message',
          text: textOf(detail),
          ...attachmentsOf(detail),
          ...(location && { location }),
          ...passages(detail.quoted, userId),
        },
      ];
    }
    if (kind === 'message_changed' && actor === 'citizen') {
      const change = detail.change;
      if (change !== 'edited' && change !== 'deleted' && change !== 'restored') return [];
      return [
        {
          at,
          from: 'citizen',
          kind: change,
          ...(typeof detail.text === 'string' && { text: detail.text }),
          ...attachmentsOf(detail),
        },
      ];
    }
    if (kind === 'reply' && actor === 'operator' && typeof detail.text === 'string') {
      const said =
        detail.intermediate === true
          ? 'intermediate_answer'
          : detail.intermediate === false
            ? 'answer'
            : 'reply';
      const outboxId = detail.outboxId;
      return [
        {
          at,
          from: 'body',
          kind: said,
          text: detail.text,
          ...(typeof outboxId === 'string' && undelivered.has(outboxId) && { notDelivered: true as const }),
        },
      ];
    }
    // The product's own words to them (the case number, the deadline), as VK took them.
    if (
      kind === 'delivery' &&
      detail.purpose === 'acknowledgement' &&
      detail.result === 'delivered' &&
      typeof detail.text === 'string'
    )
      return [{ at, from: 'body', kind: 'acknowledgement', text: detail.text }];
    return [];
  });
}

/** A department as the citizen knows it: its public name, or its name; none once it is not configured. */
const departmentName = (config: AppConfig, id: string | undefined) => {
  const department = config.departments.find((candidate) => candidate.id === id);
  return department && (department.publicName ?? department.name);
};

/** One of their inquiries, with its whole history (oldest first), as the copy tells it. */
export function inquiryCopy(
  inquiry: Inquiry,
  history: readonly HistoryEntry[],
  config: AppConfig,
): InquiryCopy {
  const department = departmentName(config, inquiry.department);
  const vkUrl =
    inquiry.replyTo.channel === 'direct_message' ? undefined : vkUrlOf(inquiry.groupId, inquiry.replyTo);
  const deletedAfter = deletionDueAt(inquiry, config.retention);
  return {
    ...(inquiry.caseNumber !== undefined && { caseNumber: inquiry.caseNumber }),
    openedAt: inquiry.createdAt,
    ...(inquiry.answeredAt !== undefined && { answeredAt: inquiry.answeredAt }),
    ...(inquiry.closedAt !== undefined && { closedAt: inquiry.closedAt }),
    status: inquiry.status,
    statusName: STATUS_NAMES[inquiry.status],
    category: inquiry.category,
    categoryName: CATEGORY_NAMES[inquiry.category] ?? inquiry.category,
    ...(department !== undefined && { department }),
    // A dialogue's address in VK is the community's admins', which the citizen cannot open: the channel says it.
    source: { channel: inquiry.channel, ...(vkUrl !== undefined && { vkUrl }) },
    ...(deletedAfter && { deletedAfter: deletedAfter.toISOString() }),
    correspondence: correspondenceOf(history, inquiry.authorId),
  };
}

/** The copy of what the table holds of the citizen in the community, their inquiries in the order of opening. */
export function citizenCopy(options: {
  config: AppConfig;
  groupId: number;
  userId: number;
  inquiries: readonly { inquiry: Inquiry; history: readonly HistoryEntry[] }[];
  unopened: readonly (readonly HistoryEntry[])[];
  madeAt: Date;
}): CitizenCopy {
  const { config, groupId, userId } = options;
  const community = config.communities.find((candidate) => candidate.groupId === groupId);
  return {
    community: { groupId, ...(community && { name: community.name }) },
    madeAt: options.madeAt.toISOString(),
    timeZone: community?.calendar.timeZone ?? 'UTC',
    retention: {
      closedInquiryDays: config.retention.closedInquiryDays,
      terms: retentionWords(config.retention.closedInquiryDays),
    },
    inquiries: options.inquiries
      .map(({ inquiry, history }) => inquiryCopy(inquiry, history, config))
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt)),
    unopenedMessages: options.unopened.flatMap((history) =>
      correspondenceOf(history, userId).filter((entry) => entry.from === 'citizen'),
    ),
  };
}
