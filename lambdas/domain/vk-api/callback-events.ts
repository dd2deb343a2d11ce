/**
 * Service events subscribed to only to be counted (membership, blocking, and whether a citizen takes the
 * community's direct messages): they make no inquiry. message_allow / message_deny are not stored: VK decides
 * at each reply, and refuses one the citizen does not take (lambdas/domain/outbox/delivery-plan.ts).
 */
export const COUNTED_SERVICE_EVENTS = [
  'group_join',
  'group_leave',
  'user_block',
  'user_unblock',
  'message_allow',
  'message_deny',
] as const;

/**
 * The Callback API events the product handles, and so subscribes to: a citizen's words in every channel
 * (a post on an open wall or a suggested post among them) and their edits, deletes and restores (a direct
 * message's edit too, though VK documents `message_edit` for the community's own messages only); the
 * community's own replies (a person answering by hand in VK); membership, blocking and messaging permission,
 * counted. Everything else stays off, so VK does not spend our endpoint's time on events we would drop.
 * test/unit/vk/callback-events.test.ts holds this list to the event types the code reads.
 * https://dev.vk.com/ru/method/groups.setCallbackSettings
 */
export const HANDLED_CALLBACK_EVENTS = [
  'message_new',
  'message_reply',
  'message_edit',
  'wall_post_new',
  'wall_reply_new',
  'wall_reply_edit',
  'wall_reply_delete',
  'wall_reply_restore',
  'board_post_new',
  'board_post_edit',
  'board_post_delete',
  'board_post_restore',
  'photo_comment_new',
  'photo_comment_edit',
  'photo_comment_delete',
  'photo_comment_restore',
  'video_comment_new',
  'video_comment_edit',
  'video_comment_delete',
  'video_comment_restore',
  'market_comment_new',
  'market_comment_edit',
  'market_comment_delete',
  'market_comment_restore',
  ...COUNTED_SERVICE_EVENTS,
] as const;

/**
 * The settings that enable exactly the handled events: each handled one on, every other one VK reports
 * switched off. Returns only what differs from `current`, so that an unchanged server is left alone.
 */
export function callbackSettingsChanges(current: Record<string, number>): Record<string, 0 | 1> {
  const wanted = new Set<string>(HANDLED_CALLBACK_EVENTS);
  const changes: Record<string, 0 | 1> = {};
  for (const event of wanted) if (current[event] !== 1) changes[event] = 1;
  for (const [event, value] of Object.entries(current))
    if (!wanted.has(event) && value !== 0) changes[event] = 0;
  return changes;
}
