import { commentLink, postLink } from './attachments.js';
import type { ReplyTarget } from './citizen-message.js';
import { isGroupChat } from './peer.js';

/**
 * Where an operator opens the citizen's words in VK, made from the ids the inquiry answers to. Only addresses
 * VK itself uses are made; where none is known for sure, none is given:
 *
 * - a direct message: the community's messages ("Сообщения сообщества", `gim<group id>`), at the dialogue
 *   with the citizen (`sel=<peer id>`). A group chat the community was added to has no such address known:
 *   none is given;
 * - a post: `wall<owner>_<post>`, the address a suggested post keeps once the community publishes it
 *   (wall.post publishes it by its id);
 * - a wall comment: its post, opened at the comment (`?reply=<comment>`), within its thread
 *   (`&thread=<first comment>`);
 * - a board comment: its topic, at the comment (`topic-<group>_<topic>?post=<comment>`);
 * - a photo, video or market comment: the photo, video or product it is under (`photo<owner>_<id>`,
 *   `video<owner>_<id>`, `product<owner>_<id>`), where the comments are shown.
 */
export function vkUrlOf(groupId: number, replyTo: ReplyTarget): string | undefined {
  switch (replyTo.channel) {
    case 'direct_message':
      return isGroupChat(replyTo.peerId) || replyTo.peerId <= 0
        ? undefined
        : `https://vk.com/gim${groupId}?sel=${replyTo.peerId}`;
    case 'wall_post':
      return postLink(replyTo.ownerId, replyTo.postId);
    case 'wall_comment': {
      const link = commentLink(replyTo.ownerId, replyTo.postId, replyTo.commentId);
      const thread = replyTo.threadCommentId;
      return link && thread !== undefined && thread > 0 && thread !== replyTo.commentId
        ? `${link}&thread=${thread}`
        : link;
    }
    case 'board_comment':
      return `https://vk.com/topic-${Math.abs(replyTo.groupId)}_${replyTo.topicId}?post=${replyTo.commentId}`;
    case 'photo_comment':
      return `https://vk.com/photo${replyTo.ownerId}_${replyTo.photoId}`;
    case 'video_comment':
      return `https://vk.com/video${replyTo.ownerId}_${replyTo.videoId}`;
    case 'market_comment':
      return `https://vk.com/product${replyTo.ownerId}_${replyTo.itemId}`;
    default:
      return undefined;
  }
}
