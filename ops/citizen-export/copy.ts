import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { HistoryEntry, Inquiry, InquiryStatus } from '../../lambdas/domain/inquiry/inquiry.js';
import { deletionDueAt } from '../../lambdas/domain/inquiry/retention.js';
import { STATUS_NAMES } from '../../lambdas/domain/inquiry/status.js';
import { CATEGORY_NAMES, type Category } from '../../lambdas/domain/taxonomy.js';
import type { Channel } from '../../lambdas/domain/vk/citizen-message.js';
import { vkUrlOf } from '../../lambdas/domain/vk/vk-url.js';
import { type CorrespondenceEntry, correspondenceOf } from './correspondence.js';

export type { CorrespondenceEntry } from './correspondence.js';

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
   * the table all the same, until the retention sweep (15 days after the try) or their erasure deletes them.
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
