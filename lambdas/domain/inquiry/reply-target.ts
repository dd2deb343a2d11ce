/**
 * Where the answer goes when the citizen deletes the comment it would reply to. On the wall the answer replies
 * to the citizen's newest comment under the inquiry's post (threading.ts, replyTargetAfter); under a photo, a
 * video or a product, to the comment that opened the inquiry. A reply to a deleted comment is refused by VK
 * (errors 104, 210, 211: the responder records the answer undeliverable), though the citizen's other comments,
 * or the thread, are still there: so the inquiry keeps its citizen's comments (`comments`), and when the one
 * its answer would go to is deleted, the answer goes to the newest of them that still exists, else to the
 * first comment of the thread, else to the message that opened the inquiry. A comment restored goes back to
 * being the answer's place if it is newer than the one the answer goes to now.
 * https://dev.vk.com/ru/method/wall.createComment, https://dev.vk.com/ru/reference/errors
 */
import type { CitizenMessage, ReplyTarget } from '../vk/citizen-message.js';
import { namesComment } from '../vk/message-ref.js';
import { type MessagePlace, placeOf, sentBefore } from './burst.js';
import type { Inquiry } from './inquiry.js';

/** How many of the citizen's comments an inquiry keeps, the newest: enough for a case's thread, and small. */
export const COMMENTS_KEPT = 20;

/** One of the citizen's comments of the inquiry: where an answer to it goes, and whether it was deleted. */
export interface CitizenComment extends MessagePlace {
  replyTo: ReplyTarget;
  deleted?: true;
}

/**
 * The comments of the inquiry with the citizen's message among them, if it is a comment answered where it was
 * written (not an edit's words joined to another inquiry, which carry that inquiry's target), in the order
 * they were written, the newest COMMENTS_KEPT. Undefined for a direct message or a post.
 */
export function commentsWith(
  comments: readonly CitizenComment[] | undefined,
  message: CitizenMessage,
): CitizenComment[] | undefined {
  if (!namesComment(message.replyTo, message.messageRef)) return comments ? [...comments] : undefined;
  const others = (comments ?? []).filter((comment) => comment.messageRef !== message.messageRef);
  const added: CitizenComment = { ...placeOf(message), replyTo: message.replyTo };
  return [...others, added]
    .sort((a, b) => (sentBefore(a, b) ? -1 : sentBefore(b, a) ? 1 : 0))
    .slice(-COMMENTS_KEPT);
}

/**
 * The inquiry's comments and reply target after the citizen (or an admin) deleted or restored the message
 * `messageRef`: the comment marked so, and the target moved where the module's rule says. A message the
 * inquiry does not keep as a comment (a direct message, a post, one stored before comments were kept) moves
 * the target only if it is the one the target names, deleted: to the thread's first comment, or the post.
 */
export function replyTargetAfterChange(
  inquiry: Pick<Inquiry, 'channel' | 'replyTo' | 'comments'>,
  messageRef: string,
  change: 'deleted' | 'restored',
): { replyTo: ReplyTarget; comments: CitizenComment[] | undefined } {
  const comments = inquiry.comments?.map((comment) =>
    comment.messageRef !== messageRef
      ? comment
      : change === 'deleted'
        ? { ...comment, deleted: true as const }
        : withoutDeleted(comment),
  );
  const current = inquiry.replyTo;
  const changed = comments?.find((comment) => comment.messageRef === messageRef);
  const standing = (comments ?? []).filter((comment) => !comment.deleted);
  if (change === 'restored') {
    if (!changed) return { replyTo: current, comments };
    const answeredAt = (comments ?? []).find((comment) => sameTarget(comment.replyTo, current));
    const newer = !answeredAt || answeredAt.deleted === true || sentBefore(answeredAt, changed);
    return { replyTo: newer ? changed.replyTo : current, comments };
  }
  if (!namesComment(current, messageRef)) return { replyTo: current, comments };
  const newest = standing.at(-1);
  if (newest) return { replyTo: newest.replyTo, comments };
  return { replyTo: fallbackTarget(inquiry, current, comments ?? []), comments };
}

/**
 * Where the answer goes when none of the citizen's comments is left: the first comment of the thread the
 * deleted one was in (someone's, the citizen's own unless it is deleted too), else the citizen's post the
 * inquiry was opened by; else it stays, the opening comment itself (VK refuses it, and the answer is flagged
 * undelivered for the department to reach the citizen otherwise).
 */
function fallbackTarget(
  inquiry: Pick<Inquiry, 'channel'>,
  deleted: ReplyTarget,
  comments: readonly CitizenComment[],
): ReplyTarget {
  if (deleted.channel !== 'wall_comment') return deleted;
  const thread = deleted.threadCommentId;
  const threadDeleted = comments.some(
    (comment) =>
      comment.deleted && comment.replyTo.channel === 'wall_comment' && comment.replyTo.commentId === thread,
  );
  if (thread !== undefined && thread !== deleted.commentId && !threadDeleted)
    return { ...deleted, commentId: thread, threadCommentId: thread };
  if (inquiry.channel === 'wall_post')
    return { channel: 'wall_post', ownerId: deleted.ownerId, postId: deleted.postId };
  return deleted;
}

const withoutDeleted = ({ deleted: _deleted, ...comment }: CitizenComment): CitizenComment => comment;

/** Whether two targets name the same comment (or the same post, or dialogue). */
function sameTarget(a: ReplyTarget, b: ReplyTarget): boolean {
  if (a.channel !== b.channel) return false;
  if ('commentId' in a && 'commentId' in b) return a.commentId === b.commentId;
  return JSON.stringify(a) === JSON.stringify(b);
}
