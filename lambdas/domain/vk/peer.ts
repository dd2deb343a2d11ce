/**
 * VK numbers a group chat's dialogue `2000000000 + chat id`; a user's dialogue is the user's id
 * (https://dev.vk.com/ru/method/messages.send, `peer_id`).
 */
const CHAT_PEER_ID_OFFSET = 2_000_000_000;

/**
 * A group chat the community was added to: the community writes to the whole chat, whatever the author's own
 * setting for private messages from it (message_allow / message_deny) says.
 */
export const isGroupChat = (peerId: number) => peerId >= CHAT_PEER_ID_OFFSET;
