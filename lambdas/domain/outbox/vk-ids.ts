/**
 * The de-duplication ids VK honours, derived from the outbox id, so that a retried or redelivered message is
 * dropped by VK instead of being sent twice.
 * - `random_id` of messages.send: "a number within int32", unique per application and sender; VK drops a
 *   send that repeats it among the dialogue's messages of the last hour (at most the last 100). So a 31-bit
 *   hash collides only between two messages of one community to one citizen within an hour.
 *   https://dev.vk.com/ru/method/messages.send
 * - `guid` of *.createComment: a string that prevents a repeated comment.
 *   https://dev.vk.com/ru/method/wall.createComment
 */

/** FNV-1a over the UTF-16 code units: small, pure and stable across runtimes. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A positive int32 (1 … 2^31 - 1): 0 would mean "no de-duplication" to VK. */
export function randomIdFor(outboxId: string): number {
  return fnv1a32(outboxId) & 0x7fffffff || 1;
}

/** The comment `guid`: the outbox id itself, made of characters VK keeps as they are. */
export function guidFor(outboxId: string): string {
  return outboxId.replace(/[^\w:.-]/g, '_');
}
