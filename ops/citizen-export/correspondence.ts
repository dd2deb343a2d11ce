import type { HistoryEntry } from '../../lambdas/domain/inquiry/inquiry.js';
import type {
  AttachmentSummary,
  QuotedMessage,
  SharedLocation,
} from '../../lambdas/domain/vk/citizen-message.js';

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
      /** The community deleted their message in VK (an admin): its words stay as stored, the admin unnamed. */
      kind: 'deleted_by_community';
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
 * other people) and their changes, the community's deletion of one in VK, the acknowledgements delivered to them, and the operators' words to them,
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
    if (kind === 'message_changed' && actor === 'community' && detail.change === 'deleted')
      return [{ at, from: 'body', kind: 'deleted_by_community' }];
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
