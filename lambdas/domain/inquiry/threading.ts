import type { Classification } from '../taxonomy.js';
import {
  type CitizenMessage,
  postConversationKey,
  type ReplyTarget,
  threadConversationKey,
} from '../vk/citizen-message.js';
import type { Inquiry } from './inquiry.js';

const HOUR_MS = 3_600_000;

/**
 * What a citizen's new message is about, as the classifier says: whether it is an inquiry, whether the
 * classifier was sure of it (not flagged for triage) and its category.
 */
type Matter = Pick<Classification, 'inquiry' | 'triage' | 'category'> & {
  /** The citizen's word that the matter is settled or withdrawn (citizen-settles.ts): no new matter. */
  settles?: boolean;
};

/**
 * When an answered or closed inquiry was settled: its answer, or its closing (its last change, for one stored
 * before it kept that). Undefined while it is in work.
 */
export const settledAtOf = (
  inquiry: Pick<Inquiry, 'status' | 'answeredAt' | 'closedAt' | 'updatedAt'>,
): string | undefined =>
  inquiry.status === 'closed'
    ? (inquiry.closedAt ?? inquiry.updatedAt)
    : inquiry.status === 'answered'
      ? (inquiry.answeredAt ?? inquiry.updatedAt)
      : undefined;

/** Whether `at` (ms) falls within `reopenClosedWithinHours` of the inquiry's settling: a word then reopens it. */
export const withinReopeningWindow = (
  settledAt: string,
  at: number,
  threading: { reopenClosedWithinHours: number },
): boolean => at - Date.parse(settledAt) <= threading.reopenClosedWithinHours * HOUR_MS;

/**
 * `join` the latest inquiry (a follow-up, or a reopening), `open` a new one, or `new_matter`: open a new one
 * although the latest could be reopened, because the message is about something else.
 */
type ThreadingDecision = 'join' | 'open' | 'new_matter';

/**
 * Where a citizen's next message in a conversation goes: into their latest inquiry there (a follow-up while it
 * is open; within `reopenClosedWithinHours` of its answer, or of its closing, it reopens it), or into a new
 * inquiry (none yet, the latest was not an inquiry, or it was answered or closed longer ago than that).
 * A message received before the answer (or the closing) and routed after it (SQS and the classifier took a
 * second, the operator was quicker) reopens it too: the operator answered without having seen those words
 * (citizen-message.ts files it after the answer).
 * Nothing closes an answered inquiry by itself: without the window a direct dialogue would stay one case
 * for ever, and a new problem written months later would join an old one of another department.
 *
 * Within the window, with `newMatterOpensInquiry`, a message the classifier is sure is an inquiry of another
 * category than the settled inquiry's current one (set by hand, maybe) is a new matter: a pothole reported two
 * days after a rubbish complaint was answered opens a case of its own in the roads department, rather than
 * reopening the rubbish case in housing. A vague or unsure word ("всё ещё не сделали", "???"), a reaction, or
 * one of the same category still reopens; the citizen's word that the matter is settled ("вопрос снят")
 * joins it, and reopens nothing (citizen-message.ts). Open work is always joined: a burst of the new matter's messages
 * joins the case its first one opened. Without `matter` (an operator's reply typed in VK, which has no
 * classification), or without the setting, nothing is a new matter.
 */
export function threadingDecision(
  latest: Inquiry | undefined,
  receivedAt: Date,
  threading: { reopenClosedWithinHours: number; newMatterOpensInquiry?: boolean },
  matter?: Matter,
): ThreadingDecision {
  if (!latest || latest.status === 'rejected') return 'open';
  const settledAt = settledAtOf(latest);
  if (settledAt === undefined) return 'join';
  if (!withinReopeningWindow(settledAt, receivedAt.getTime(), threading)) return 'open';
  const newMatter =
    threading.newMatterOpensInquiry === true &&
    matter !== undefined &&
    matter.inquiry &&
    !matter.triage &&
    matter.settles !== true &&
    matter.category !== latest.category;
  return newMatter ? 'new_matter' : 'join';
}

/**
 * Where the words go of an edit that makes an inquiry of a message taken for none (routableByEdit,
 * transitions/message-changed.ts), `latest` being the conversation's latest inquiry (maybe the edited one):
 * the edited message opens its own inquiry (`route`) only where the same words written anew would open one
 * (threadingDecision: `open`, or a `new_matter`). While the conversation has a newer inquiry that they would
 * join (open, or answered or closed within the reopening window, which they then reopen), they `join` it as a
 * follow-up: a greeting written before the report and edited to name the matter after it is one matter, one
 * case number, one acknowledgement.
 */
export function editThreadingDecision(
  edited: Inquiry,
  latest: Inquiry | undefined,
  receivedAt: Date,
  threading: { reopenClosedWithinHours: number; newMatterOpensInquiry?: boolean },
  matter: Matter,
): 'route' | 'join' {
  if (!latest || latest.id === edited.id) return 'route';
  return threadingDecision(latest, receivedAt, threading, matter) === 'join' ? 'join' : 'route';
}

/**
 * The conversation a citizen's message continues. A wall comment continues its author's conversation under
 * the post, in whichever thread it is written, as a comment under a photo or in a board topic does: a
 * citizen's "and the lights on Lenina are out too", "photo attached", "still nothing" written as comments of
 * their own are one case, acknowledged once, not a case and a public acknowledgement each. A post's author
 * is in the post's conversation (`post:<owner>:<post>`) wherever they comment under it, in reply to our
 * acknowledgement or answer, which are comments under the post, too. Conversations are per author: another
 * citizen's comment, in any thread, is in their own. A comment ingest queued before this rule came with its
 * thread's key: it goes to the post's too.
 */
export function conversationKeyOf(message: CitizenMessage): string {
  const target = message.replyTo;
  return target.channel === 'wall_comment'
    ? postConversationKey(target.ownerId, target.postId)
    : message.conversationKey;
}

/**
 * The conversation a wall comment was in before a citizen's comments under a post were one: its thread's.
 * An inquiry opened then holds that key, and only that conversation's pointer names it; until the citizen has
 * a case in the post's conversation, a comment in that thread still joins it (router/message-conversation.ts).
 */
export function threadConversationOf(message: CitizenMessage): string | undefined {
  const target = message.replyTo;
  return target.channel === 'wall_comment'
    ? threadConversationKey(target.postId, target.threadCommentId ?? target.commentId)
    : undefined;
}

/**
 * Where a follow-up moves the inquiry's answer: a wall comment under the inquiry's post, newer than what the
 * citizen wrote before, is where they are now; the answer replies to it (`reply_to_comment`), in its thread,
 * rather than to the post or an older comment. Elsewhere the answer stays where the inquiry was opened.
 * https://dev.vk.com/ru/method/wall.createComment
 */
export function replyTargetAfter(inquiry: Inquiry, message: CitizenMessage): ReplyTarget {
  const [current, next] = [inquiry.replyTo, message.replyTo];
  const onTheWall = current.channel === 'wall_post' || current.channel === 'wall_comment';
  if (
    next.channel === 'wall_comment' &&
    onTheWall &&
    current.ownerId === next.ownerId &&
    current.postId === next.postId &&
    message.sentAt >= inquiry.lastMessageAt
  )
    return next;
  return current;
}
