/**
 * VK keeps at most 14 characters of a callback server's title (groups.addCallbackServer,
 * https://dev.vk.com/ru/method/groups.addCallbackServer). Ours is the prefix and the stage's name, so that
 * stages connecting one community tell their servers apart: the prefix leaves the stage eight.
 */
const SERVER_TITLE_MAX_LENGTH = 14;
export const SERVER_TITLE_PREFIX = 'VKinq-';
export const MAX_STAGE_LENGTH = SERVER_TITLE_MAX_LENGTH - SERVER_TITLE_PREFIX.length;
