import { describe, expect, it } from 'vitest';
import { type Inquiry, openInquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import { COMMENTS_KEPT } from '../../../lambdas/domain/inquiry/reply-target.js';
import { applyEvent, type InquiryEvent } from '../../../lambdas/domain/inquiry/state-machine.js';
import type { CitizenMessage, ReplyTarget } from '../../../lambdas/domain/vk/citizen-message.js';
import { permContext as context } from './perm-context.js';

/**
 * A citizen's comments under a post of the community (owner -1, post 601), and a photo's: where the answer goes
 * when the comment it would reply to is deleted, and when it is restored.
 */

const classification = {
  category: 'waste',
  priority: 'high',
  confidence: 0.9,
  inquiry: true,
  triage: false,
  model: 't',
} as const;
const at = (minute: number) => `2026-03-16T04:${String(minute).padStart(2, '0')}:00.000Z`;

/** The citizen's wall comment `id` under post 601, in the thread of `thread` if given, written at `minute`. */
const wallComment = (id: number, minute: number, thread?: number): CitizenMessage => ({
  groupId: 1,
  channel: 'wall_comment',
  replyTo: {
    channel: 'wall_comment',
    ownerId: -1,
    postId: 601,
    commentId: id,
    ...(thread !== undefined && { threadCommentId: thread }),
  },
  messageRef: `wall:-1:601:${id}`,
  conversationKey: `wall:601:${thread ?? id}`,
  authorId: 5,
  text: 'Во дворе не вывозят мусор',
  attachments: [],
  sentAt: at(minute),
});

const photoComment = (id: number, minute: number): CitizenMessage => ({
  groupId: 1,
  channel: 'photo_comment',
  replyTo: { channel: 'photo_comment', ownerId: -1, photoId: 77, commentId: id },
  messageRef: `photo:-1:77:${id}`,
  conversationKey: 'photo:-1:77',
  authorId: 5,
  text: 'Во дворе не вывозят мусор',
  attachments: [],
  sentAt: at(minute),
});

const opened = (message: CitizenMessage): Inquiry =>
  openInquiry({
    id: 'i1',
    eventKey: `e:${message.messageRef}`,
    message,
    classification,
    routing: { department: 'housing', rule: 1 },
    deadlines: { terms: { firstResponseHours: 4, resolutionHours: 56 }, context },
    triageDepartment: 'triage',
    receivedAt: new Date(message.sentAt),
    now: new Date(message.sentAt),
  }).inquiry;

const apply = (inquiry: Inquiry, event: InquiryEvent): Inquiry => {
  const result = applyEvent(inquiry, event, context);
  if (result.outcome !== 'changed') throw new Error(result.outcome);
  return result.inquiry;
};
const followUp = (inquiry: Inquiry, message: CitizenMessage) =>
  apply(inquiry, {
    type: 'citizen_message',
    cause: `e:${message.messageRef}`,
    receivedAt: message.sentAt,
    message,
    classification,
  });
const changed = (inquiry: Inquiry, messageRef: string, change: 'deleted' | 'restored', minute: number) =>
  apply(inquiry, {
    type: 'message_changed',
    cause: `e:${change}:${messageRef}:${minute}`,
    at: at(minute),
    messageRef,
    change,
    opening: messageRef === inquiry.openingMessage?.messageRef,
  });
const commentOf = (target: ReplyTarget) => ('commentId' in target ? target.commentId : target.channel);

describe('where the answer goes when a comment is deleted or restored', () => {
  it("goes back to the citizen's newest comment still there when the follow-up it replies to is deleted", () => {
    let inquiry = followUp(opened(wallComment(9001, 0)), wallComment(9003, 5, 9001));
    expect(commentOf(inquiry.replyTo)).toBe(9003);
    inquiry = changed(inquiry, 'wall:-1:601:9003', 'deleted', 10);
    expect(inquiry.replyTo).toEqual({ channel: 'wall_comment', ownerId: -1, postId: 601, commentId: 9001 });
    expect(inquiry.withdrawn).toBeUndefined();
    // Restored, it is the newest again: the answer goes to it.
    inquiry = changed(inquiry, 'wall:-1:601:9003', 'restored', 15);
    expect(commentOf(inquiry.replyTo)).toBe(9003);
  });

  it('skips deleted comments, and goes to a newer one restored but not to an older one', () => {
    let inquiry = opened(wallComment(9001, 0));
    inquiry = followUp(inquiry, wallComment(9003, 5, 9001));
    inquiry = followUp(inquiry, wallComment(9005, 6, 9001));
    inquiry = changed(inquiry, 'wall:-1:601:9003', 'deleted', 10);
    // Not the one the answer goes to: it stays with the newest.
    expect(commentOf(inquiry.replyTo)).toBe(9005);
    inquiry = changed(inquiry, 'wall:-1:601:9005', 'deleted', 11);
    expect(commentOf(inquiry.replyTo)).toBe(9001);
    inquiry = changed(inquiry, 'wall:-1:601:9003', 'restored', 12);
    expect(commentOf(inquiry.replyTo)).toBe(9003);
    inquiry = changed(inquiry, 'wall:-1:601:9001', 'restored', 13);
    expect(commentOf(inquiry.replyTo)).toBe(9003);
  });

  it("goes to the thread's first comment when none of the citizen's is left, else stays on the opening one", () => {
    // The citizen wrote in someone else's thread (comment 8000): the answer goes there once theirs are gone.
    let inquiry = opened(wallComment(9001, 0, 8000));
    inquiry = followUp(inquiry, wallComment(9003, 5, 8000));
    inquiry = changed(inquiry, 'wall:-1:601:9003', 'deleted', 10);
    expect(commentOf(inquiry.replyTo)).toBe(9001);
    inquiry = changed(inquiry, 'wall:-1:601:9001', 'deleted', 11);
    expect(inquiry.replyTo).toMatchObject({ commentId: 8000, threadCommentId: 8000 });
    expect(inquiry.withdrawn).toBe(true);

    // Their own thread, all of it deleted: nothing better than the opening comment (VK refuses, flagged).
    let own = opened(wallComment(9101, 0));
    own = changed(own, 'wall:-1:601:9101', 'deleted', 10);
    expect(commentOf(own.replyTo)).toBe(9101);
  });

  it("goes back to the citizen's post when every comment of theirs under it is deleted", () => {
    const post: CitizenMessage = {
      ...wallComment(0, 0),
      channel: 'wall_post',
      replyTo: { channel: 'wall_post', ownerId: -1, postId: 601 },
      messageRef: 'post:-1:601',
      conversationKey: 'post:-1:601',
    };
    let inquiry = opened(post);
    expect(inquiry.comments).toBeUndefined();
    inquiry = followUp(inquiry, { ...wallComment(9003, 5), conversationKey: 'post:-1:601' });
    expect(commentOf(inquiry.replyTo)).toBe(9003);
    inquiry = changed(inquiry, 'wall:-1:601:9003', 'deleted', 10);
    expect(inquiry.replyTo).toEqual({ channel: 'wall_post', ownerId: -1, postId: 601 });
  });

  it("answers under a photo the citizen's follow-up once their opening comment is deleted", () => {
    let inquiry = followUp(opened(photoComment(501, 0)), photoComment(502, 5));
    // Under a photo the answer goes to the opening comment while it is there.
    expect(commentOf(inquiry.replyTo)).toBe(501);
    inquiry = changed(inquiry, 'photo:-1:77:501', 'deleted', 10);
    expect(inquiry.replyTo).toEqual({ channel: 'photo_comment', ownerId: -1, photoId: 77, commentId: 502 });
  });

  it('leaves the target of an inquiry stored before it kept comments, unless the thread tells a better one', () => {
    const { comments: _comments, ...before } = followUp(
      opened(wallComment(9001, 0)),
      wallComment(9003, 5, 9001),
    );
    const inquiry = changed(before, 'wall:-1:601:9003', 'deleted', 10);
    expect(inquiry.replyTo).toMatchObject({ commentId: 9001, threadCommentId: 9001 });
    const direct = changed(
      { ...before, replyTo: { channel: 'direct_message', peerId: 5 } },
      'dm:5:1',
      'deleted',
      10,
    );
    expect(direct.replyTo).toEqual({ channel: 'direct_message', peerId: 5 });
  });

  it('keeps the newest comments only, and an older deletion handled late moves nothing', () => {
    let inquiry = opened(wallComment(9000, 0));
    for (let n = 1; n <= COMMENTS_KEPT + 5; n++) inquiry = followUp(inquiry, wallComment(9000 + n, n, 9000));
    expect(inquiry.comments).toHaveLength(COMMENTS_KEPT);
    expect(inquiry.comments?.at(-1)?.messageRef).toBe(`wall:-1:601:${9000 + COMMENTS_KEPT + 5}`);
    const stale = apply(inquiry, {
      type: 'message_changed',
      cause: 'e:late',
      at: at(40),
      messageRef: `wall:-1:601:${9000 + COMMENTS_KEPT + 5}`,
      change: 'deleted',
      opening: false,
      stale: true,
    });
    expect(stale.replyTo).toEqual(inquiry.replyTo);
    expect(stale.comments).toEqual(inquiry.comments);
  });
});
