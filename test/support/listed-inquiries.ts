import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { toInquiryItem } from '../../lambdas/adapters/inquiry-items.js';
import type { Inquiry, InquiryStatus } from '../../lambdas/domain/inquiry/inquiry.js';
import type { InquiryListCriteria } from '../../lambdas/domain/operator/list-criteria.js';
import type { ReplyTarget } from '../../lambdas/domain/vk/citizen-message.js';
import { listInquiriesQuery } from '../../lambdas/operator-api/contract/inquiry-list.js';
import { listCriteriaOf } from '../../lambdas/operator-api/use-cases/list-inquiries.js';

/** What a list test sets of an inquiry; the rest is a routed direct message about a pothole. */
export interface ListedFields {
  createdAt: string;
  /** The running deadline; null: no running clock. */
  dueAt: string | null;
  status?: InquiryStatus;
  text?: string;
  /** The id of the operator who holds it. */
  assignee?: string;
  groupId?: number;
  /** Where the citizen wrote; a direct message without it. */
  replyTo?: ReplyTarget;
  /** When the citizen wrote that the matter is settled. */
  citizenSettledAt?: string;
  /** The running deadline's warning point; its due time unless given. */
  warnAt?: string;
  priority?: Inquiry['priority'];
  category?: Inquiry['category'];
}

/** An inquiry of `department` as the router stores it, for the lists to find in the indexes. */
export function listedInquiry(id: string, department: string, fields: ListedFields): Inquiry {
  const { createdAt, dueAt } = fields;
  return {
    id,
    groupId: fields.groupId ?? 1,
    channel: fields.replyTo?.channel ?? 'direct_message',
    replyTo: fields.replyTo ?? { channel: 'direct_message', peerId: 1 },
    conversationKey: `dm:${id}`,
    authorId: 1,
    text: fields.text ?? 'Яма на дороге',
    status: fields.status ?? 'routed',
    category: fields.category ?? 'roads',
    priority: fields.priority ?? 'normal',
    confidence: 0.9,
    triage: false,
    department,
    ...(dueAt !== null && {
      clock: {
        kind: 'first_response',
        cycle: 1,
        startedAt: createdAt,
        dueAt,
        warnAt: fields.warnAt ?? dueAt,
        warned: true,
        breached: false,
      },
    }),
    clockCount: 1,
    escalated: false,
    ...(fields.citizenSettledAt && { citizenSettledAt: fields.citizenSettledAt }),
    ...(fields.assignee && { assignee: { id: fields.assignee, name: `Оператор ${fields.assignee}` } }),
    messageCount: 1,
    lastMessageAt: createdAt,
    reopenCount: 0,
    createdAt,
    updatedAt: createdAt,
    version: 1,
    sourceEventKey: id,
    causes: [id],
  };
}

/** Stores it with its index keys; call it one at a time, as dynalite has lost concurrent writes to one partition. */
export async function storeListed(
  documents: DynamoDBDocumentClient,
  tableName: string,
  id: string,
  department: string,
  fields: ListedFields,
): Promise<void> {
  await documents.send(
    new PutCommand({ TableName: tableName, Item: toInquiryItem(listedInquiry(id, department, fields)) }),
  );
}

/** A list as the operator API asks the store for it, from the query's parameters (defaults applied). */
export const listCriteria = (query: Record<string, unknown>): InquiryListCriteria =>
  listCriteriaOf(listInquiriesQuery.parse(query));
