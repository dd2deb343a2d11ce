/**
 * What each recorded VK payload (../shared/fixtures/vk) means, written out by hand from the payloads:
 * the unit tests check the domain against it, the integration test the whole ingest → classifier path.
 */
export type Expected =
  | { kind: 'citizen_message'; channel: string; replyTo: Record<string, unknown>; messageRef: string }
  | {
      kind: 'message_changed';
      change: 'edited' | 'deleted' | 'restored';
      channel: string;
      messageRef: string;
    }
  | { kind: 'operator_reply_in_vk'; peerId: number; adminId: number; messageRef: string }
  | { kind: 'own_words' }
  | { kind: 'service' }
  | { kind: 'confirmation' };

const dm = {
  kind: 'citizen_message',
  channel: 'direct_message',
  replyTo: { channel: 'direct_message', peerId: 123456789, conversationMessageId: 614, messageId: 985 },
  messageRef: 'dm:123456789:614',
} as const;
const boardNew = {
  kind: 'citizen_message',
  channel: 'board_comment',
  replyTo: { channel: 'board_comment', groupId: 1234, topicId: 38446232, commentId: 3 },
  messageRef: 'board:-1234:38446232:3',
} as const;
const photoNew = {
  kind: 'citizen_message',
  channel: 'photo_comment',
  replyTo: { channel: 'photo_comment', ownerId: -1234, photoId: 123456, commentId: 4 },
  messageRef: 'photo:-1234:123456:4',
} as const;
const changed = (change: 'edited' | 'deleted' | 'restored', channel: string, messageRef: string) =>
  ({ kind: 'message_changed', change, channel, messageRef }) as const;

export const EXPECTED: Record<string, Expected> = {
  '01_confirmation__vksdk_test.json': { kind: 'confirmation' },
  '02_group_join__vk_docs_example.json': { kind: 'service' },
  '03_message_new__vknet.json': dm,
  '08_board_post_new__vknet.json': boardNew,
  '09_board_post_new_from_community__vknet.json': { kind: 'own_words' },
  '10_photo_comment_new__vknet.json': photoNew,
  'vknet/BoardPostDeleteTest.json': changed('deleted', 'board_comment', 'board:-1234:6:3'),
  'vknet/BoardPostEditTest.json': { kind: 'own_words' },
  'vknet/BoardPostNew.json': boardNew,
  'vknet/BoardPostNewFirst.json': { kind: 'own_words' },
  'vknet/BoardPostRestoreTest.json': changed('restored', 'board_comment', 'board:-1234:38446232:3'),
  'vknet/GroupJoinTest.json': { kind: 'service' },
  'vknet/GroupLeaveSelfTest.json': { kind: 'service' },
  'vknet/GroupLeaveTest.json': { kind: 'service' },
  'vknet/MarketCommentDeleteTest.json': changed('deleted', 'market_comment', 'market:-1234:4444:1'),
  'vknet/MarketCommentEditTest.json': changed('edited', 'market_comment', 'market:-1234:1686058:1'),
  'vknet/MarketCommentNewTest.json': {
    kind: 'citizen_message',
    channel: 'market_comment',
    replyTo: { channel: 'market_comment', ownerId: -1234, itemId: 1686058, commentId: 1 },
    messageRef: 'market:-1234:1686058:1',
  },
  'vknet/MarketCommentRestoreTest.json': changed('restored', 'market_comment', 'market:-1234:1686058:1'),
  'vknet/MessageAllowTest.json': { kind: 'service' },
  'vknet/MessageDenyTest.json': { kind: 'service' },
  'vknet/MessageEditTest.json': { kind: 'own_words' },
  'vknet/MessageEventTest.json': { kind: 'service' },
  'vknet/MessageNewTemplateTest.json': dm,
  'vknet/MessageNewTest.json': dm,
  'vknet/MessageReplyTest.json': {
    kind: 'operator_reply_in_vk',
    peerId: 123,
    adminId: 123,
    messageRef: 'dm:123:792',
  },
  'vknet/PhotoCommentDeleteTest.json': changed('deleted', 'photo_comment', 'photo:-1234:123456:4'),
  'vknet/PhotoCommentEditTest.json': changed('edited', 'photo_comment', 'photo:-1234:456239020:4'),
  'vknet/PhotoCommentNewTest.json': photoNew,
  'vknet/PhotoCommentRestoreTest.json': changed('restored', 'photo_comment', 'photo:-1234:456239020:4'),
  'vknet/PhotoNewTest.json': { kind: 'service' },
  'vknet/UserBlockTemporaryTest.json': { kind: 'service' },
  'vknet/UserBlockTest.json': { kind: 'service' },
  'vknet/UserUnblockByEndDateTest.json': { kind: 'service' },
  'vknet/UserUnblockTest.json': { kind: 'service' },
  'vknet/VideoCommentDeleteTest.json': changed('deleted', 'video_comment', 'video:-1234:123456:4'),
  'vknet/VideoCommentEditTest.json': changed('edited', 'video_comment', 'video:-1234:4444:1'),
  'vknet/VideoCommentNewTest.json': {
    kind: 'citizen_message',
    channel: 'video_comment',
    replyTo: { channel: 'video_comment', ownerId: -1234, videoId: 4444, commentId: 1 },
    messageRef: 'video:-1234:4444:1',
  },
  'vknet/VideoCommentRestoreTest.json': changed('restored', 'video_comment', 'video:-1234:4444:1'),
  'vknet/VideoNewTest.json': { kind: 'service' },
  'vknet/WallPostNewTest.json': {
    kind: 'citizen_message',
    channel: 'wall_post',
    replyTo: { channel: 'wall_post', ownerId: -1234, postId: 6 },
    messageRef: 'post:-1234:6',
  },
  'vknet/WallReplyDeleteTest.json': changed('deleted', 'wall_comment', 'wall:-1234:6:9'),
  'vknet/WallReplyEditTest.json': changed('edited', 'wall_comment', 'wall:-1234:6:9'),
  'vknet/WallReplyNewTest.json': {
    kind: 'citizen_message',
    channel: 'wall_comment',
    replyTo: { channel: 'wall_comment', ownerId: -1234, postId: 6, commentId: 9 },
    messageRef: 'wall:-1234:6:9',
  },
  'vknet/WallReplyRestoreTest.json': changed('restored', 'wall_comment', 'wall:-1234:6:9'),
};
