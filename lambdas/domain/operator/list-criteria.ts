import type { InquiryStatus } from '../inquiry/inquiry.js';
import type { Category, Priority } from '../taxonomy.js';

/** The kinds of place in VK that citizens comment under, as VK's addresses name them (`topic-1_5`). */
export const COMMENTED_PLACES = ['wall', 'topic', 'photo', 'video', 'product'] as const;

/**
 * A place that citizens comment under, as VK names it in its address (`https://vk.com/topic-123456789_5`): a
 * wall post, a community's board topic, a photo, a video or a market product, by its owner (a community's
 * negative id, or a person's) and its id.
 */
export interface CommentedPlace {
  kind: (typeof COMMENTED_PLACES)[number];
  ownerId: number;
  id: number;
}

/**
 * What a list of a department's inquiries asks the store for: which list (all of them newest first, or the open
 * ones most urgent first, past their running deadline or not), what narrows it, how many a page holds, and
 * where the page before ended.
 */
export interface InquiryListCriteria {
  /** newest: by opening time, every status; urgent: open inquiries by their running deadline, nearest first. */
  order: 'newest' | 'urgent';
  /** true: the open inquiries past their running deadline; false: the open ones not past it. */
  overdue?: boolean;
  status?: InquiryStatus;
  category?: Category;
  priority?: Priority;
  /** A VK community, by its group id. */
  community?: number;
  /** A citizen's VK id. */
  author?: number;
  /** What citizens comment under: a wall post (and the post), a board topic, a photo, video or product. */
  post?: CommentedPlace;
  /** true: the inquiries whose operator's answer VK refused for good; false: the others. */
  undelivered?: boolean;
  /** true: the inquiries whose citizen wrote that the matter is settled (`citizenSettledAt`); false: the others. */
  settled?: boolean;
  /**
   * me: those the operator asking handles; none: the open ones no one has taken; `heldBy`: those the operator
   * of that id holds.
   */
  assignee?: 'me' | 'none' | { heldBy: string };
  limit: number;
  /** Where the page before ended, as the store gave it. */
  cursor?: string;
}
