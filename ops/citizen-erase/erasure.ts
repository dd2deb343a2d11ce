import { type Inquiry, type InquiryStatus, isFinished } from '../../lambdas/domain/inquiry/inquiry.js';

/** An open inquiry of the citizen: what an operator needs to find it. */
export interface OpenInquiry {
  id: string;
  caseNumber?: string;
  status: InquiryStatus;
  department?: string;
}

/** What an erasure of a citizen in a community did (a dry run: would do). */
export interface CitizenErasure {
  /** The citizen's inquiries found, by status. */
  found: Record<string, number>;
  /** The open ones among them: kept unless `includeOpen`. */
  open: OpenInquiry[];
  /** Inquiries deleted (a dry run: that would be). */
  deleted: number;
  /** Items deleted with them: history, message and case lookups, delivery records, pointers (a dry run: 0). */
  items: number;
  /** The conversations' pointers gone, those of the deleted inquiries included (a dry run: that would go). */
  pointers: number;
  /**
   * Whether their messaging permission, an item only releases up to 13d2507 wrote, was deleted (a dry run:
   * would be), whatever of theirs is kept.
   */
  permission: boolean;
  /**
   * Items of other citizens' inquiries (the inquiry, its history entries, its messages' lookups) whose quotes
   * or mentions of the citizen were redacted (a dry run: that would be).
   */
  redacted: number;
  /**
   * New inquiries of theirs never stored whole whose leftovers were deleted (a dry run: would be): a router's
   * try stopped between their history and their item, and their message was never routed again. Their items,
   * and the lookups of their dialogue's messages naming no inquiry, are counted in `items`.
   */
  unopened: number;
  /** Whether the configuration names the community: one removed keeps its open inquiries (`kept`). */
  configured: boolean;
  /**
   * Inquiries kept, and why: open without `includeOpen` or in a community no longer configured, refused by
   * the state machine, or changed meanwhile.
   */
  kept: { id: string; reason: string }[];
  /**
   * When the citizen was marked erased (a dry run: not marked): for ERASED_CITIZEN_DAYS the router drops the
   * changes VK still sends of their messages erased (domain/inquiry/erased-citizen.ts), and their messages
   * written before it that come late (router/erased-author.ts).
   */
  markedAt?: string;
}

/**
 * An erasure before anything is done: the citizen's inquiries found, by status, and the open ones among them;
 * `configured`, whether the configuration names the community.
 */
export function erasureFound(current: readonly Inquiry[], configured: boolean): CitizenErasure {
  const result: CitizenErasure = {
    found: {},
    open: [],
    deleted: 0,
    items: 0,
    pointers: 0,
    permission: false,
    redacted: 0,
    unopened: 0,
    configured,
    kept: [],
  };
  for (const inquiry of current) {
    result.found[inquiry.status] = (result.found[inquiry.status] ?? 0) + 1;
    if (!isFinished(inquiry.status))
      result.open.push({
        id: inquiry.id,
        ...(inquiry.caseNumber !== undefined && { caseNumber: inquiry.caseNumber }),
        status: inquiry.status,
        ...(inquiry.department !== undefined && { department: inquiry.department }),
      });
  }
  return result;
}
