import type { Classification } from '../taxonomy.js';
import type { Channel, CitizenMessage, ReplyTarget } from '../vk/citizen-message.js';

export const INQUIRY_STATUSES = [
  'new',
  'routed',
  'in_progress',
  'answered',
  'closed',
  'rejected',
  'reopened',
] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];

/** One citizen's case: what they asked, who owns it and by when it must be answered. */
export interface Inquiry {
  id: string;
  groupId: number;
  channel: Channel;
  replyTo: ReplyTarget;
  conversationKey: string;
  authorId: number;
  text: string;
  status: InquiryStatus;
  category: Classification['category'];
  priority: Classification['priority'];
  confidence: number;
  triage: boolean;
  /** Absent for messages that are not inquiries: they are recorded, never routed. */
  department?: string;
  firstResponseDueAt?: string;
  escalated: boolean;
  createdAt: string;
  updatedAt: string;
  /** Incremented on every change; every write is conditional on the version read. */
  version: number;
  /** The VK event the inquiry was opened by. */
  sourceEventKey: string;
}

/** One entry of an inquiry's history: who did what, when and why. */
export interface HistoryEntry {
  inquiryId: string;
  /**
   * Orders the entry in the history and names it uniquely: built from what caused it (the VK event, the
   * version it changed), never from the time of processing, so that processing the same cause again
   * rewrites the same entry instead of adding a twin.
   */
  key: string;
  at: string;
  kind: 'message' | 'classified' | 'routed' | 'rejected';
  actor: 'citizen' | 'classifier' | 'router';
  detail: Record<string, unknown>;
}

export interface OpenInquiryInput {
  id: string;
  eventKey: string;
  message: CitizenMessage;
  classification: Classification;
  routing: { department: string; rule: number | null } | null;
  firstResponseDueAt: Date | null;
  now: Date;
}

/**
 * Opens an inquiry for a citizen's first message. A message that is not an inquiry (thanks, spam…) is
 * recorded as `rejected`, with no department and no deadline.
 */
export function openInquiry(input: OpenInquiryInput): { inquiry: Inquiry; history: HistoryEntry[] } {
  const { message, classification, routing, now } = input;
  const at = now.toISOString();
  const routed = classification.inquiry && routing !== null;
  const inquiry: Inquiry = {
    id: input.id,
    groupId: message.groupId,
    channel: message.channel,
    replyTo: message.replyTo,
    conversationKey: message.conversationKey,
    authorId: message.authorId,
    text: message.text,
    status: routed ? 'routed' : 'rejected',
    category: classification.category,
    priority: classification.priority,
    confidence: classification.confidence,
    triage: classification.triage,
    ...(routed && { department: routing.department }),
    ...(routed && input.firstResponseDueAt && { firstResponseDueAt: input.firstResponseDueAt.toISOString() }),
    escalated: false,
    createdAt: at,
    updatedAt: at,
    version: 1,
    sourceEventKey: input.eventKey,
  };
  const cause = `${message.sentAt}#${input.eventKey}`;
  const history: HistoryEntry[] = [
    {
      inquiryId: input.id,
      key: `${cause}#1`,
      at: message.sentAt,
      kind: 'message',
      actor: 'citizen',
      detail: { eventKey: input.eventKey, attachments: message.attachments },
    },
    {
      inquiryId: input.id,
      key: `${cause}#2`,
      at,
      kind: 'classified',
      actor: 'classifier',
      detail: { ...classification },
    },
    routed
      ? {
          inquiryId: input.id,
          key: `${cause}#3`,
          at,
          kind: 'routed',
          actor: 'router',
          detail: {
            department: routing.department,
            rule: routing.rule,
            firstResponseDueAt: inquiry.firstResponseDueAt,
          },
        }
      : {
          inquiryId: input.id,
          key: `${cause}#3`,
          at,
          kind: 'rejected',
          actor: 'router',
          detail: { reason: 'not an inquiry' },
        },
  ];
  return { inquiry, history };
}
