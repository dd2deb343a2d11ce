import { largestPhotoSize } from './attachments.js';
import type { VkEvent } from './envelope.js';
import { asRecord, type Loose } from './loose.js';
import { passedOnBodies, walkQuoted } from './quoted.js';

/** What the product reads of a passed-on message, post or comment (quoted.ts): the rest of it is let go. */
const PASSED_ON_FIELDS = new Set([
  'id',
  'owner_id',
  'to_id',
  'post_id',
  'from_id',
  'date',
  'text',
  'attachments',
  'fwd_messages',
  'reply_message',
  'copy_history',
]);

/**
 * What a passed-on message left out keeps: the ids its carrier's link to a shared post or comment is made of,
 * and its author, by which a group chat's message that forwards or replies to one of the community's is
 * written to it (chat.ts `chatChatterOf`), and whom an admin's answer there is for (`answeredMemberOf`).
 */
const STUB_FIELDS = ['id', 'owner_id', 'to_id', 'post_id', 'from_id'];

/** The fields of VK's envelope, its secret taken out (envelope.ts). */
const ENVELOPE_FIELDS = new Set(['type', 'group_id', 'event_id', 'v', 'object']);

/** Attachments a passed-on message is made of (quoted.ts): trimmed as passed-on messages, not here. */
const PASSED_ON_KINDS = new Set(['wall', 'wall_reply']);

/**
 * An attachment as the product reads it (attachments.ts): a photo keeps only its largest size, the one whose
 * link an operator opens (VK gives up to ten, each with its URL); any other kind keeps its plain fields (the
 * `url`, `link_mp3` or `player` linked to, its ids and title) without the previews, frames and nested photos
 * nothing reads. https://dev.vk.com/ru/reference/objects/attachments-message
 */
function trimAttachment(attachment: Loose): boolean {
  const kind = typeof attachment.type === 'string' ? attachment.type : undefined;
  if (kind === undefined || PASSED_ON_KINDS.has(kind)) return false;
  const body = asRecord(attachment[kind]);
  if (!body) return false;
  let changed = false;
  if (kind === 'photo' && Array.isArray(body.sizes) && body.sizes.length > 1) {
    const largest = largestPhotoSize(body);
    body.sizes = largest ? [largest] : [];
    changed = true;
  }
  for (const key of Object.keys(body))
    if ((key !== 'sizes' || kind !== 'photo') && typeof body[key] === 'object' && body[key] !== null) {
      delete body[key];
      changed = true;
    }
  return changed;
}

function trimAttachments(body: Loose): boolean {
  let changed = false;
  if (Array.isArray(body.attachments))
    for (const attachment of body.attachments) {
      const record = asRecord(attachment);
      if (record && trimAttachment(record)) changed = true;
    }
  return changed;
}

/** Deletes the fields of `body` that `keep` does not name; whether there were any. */
function keepOnly(body: Loose, keep: (key: string) => boolean): boolean {
  let changed = false;
  for (const key of Object.keys(body))
    if (!keep(key)) {
      delete body[key];
      changed = true;
    }
  return changed;
}

/** Every body `body` passes on, nested ones too, `body` itself left out. Iterative: no nesting exhausts it. */
function passedOnWithin(body: Loose): Loose[] {
  const all: Loose[] = [];
  const stack = passedOnBodies(body);
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    all.push(next);
    stack.push(...passedOnBodies(next));
  }
  return all;
}

/**
 * A passed-on message left out, made a stub that is counted as it was: its ids and author, and one empty forwarded
 * message for each it passed on in turn, so that `quotedLeftOut` says the same number of messages.
 */
function stub(body: Loose, within: readonly Loose[]): void {
  keepOnly(body, (key) => STUB_FIELDS.includes(key));
  if (within.length > 0) body.fwd_messages = within.map(() => ({}));
}

/**
 * The event with what the product does not read of it let go, for an event too large to queue as it came
 * (many forwarded messages with photos: ingest's limit is far above SQS's). A citizen's message comes out
 * reading the same: its own text, attachments and location whole; of what it passes on, every message
 * `quotedIn` keeps with the text it keeps (a text it cuts stays one character longer, so it is cut the same
 * way and marked `cut`); every message it leaves out becomes an empty stub, counted as before in
 * `quotedLeftOut`; photos keep their largest size only. `trimmed`: whether anything went. What goes is what no bound kept: the sizes
 * of photos nobody opens, the previews of videos and documents, the texts past the 6,000 characters of
 * passed-on words (quoted.ts). Pure: the event given is not changed.
 *
 * Fields beside the envelope's own go too. A direct message's event holds the message in `object.message`
 * (API 5.103 and newer) or as `object`.
 */
export function trimVkEvent(event: VkEvent): { event: VkEvent; trimmed: boolean } {
  // Fields VK's envelope does not have (envelope.ts) are read by nothing: they are not copied.
  const copy = structuredClone(
    Object.fromEntries(Object.entries(event).filter(([key]) => ENVELOPE_FIELDS.has(key))),
  ) as VkEvent;
  let trimmed = Object.keys(copy).length < Object.keys(event).length;
  const object = asRecord(copy.object);
  if (!object) return { event: copy, trimmed };
  const root = asRecord(object.message) ?? object;
  if (trimAttachments(root)) trimmed = true;
  const detached = new Set<Loose>();
  walkQuoted(root, (body, kept) => {
    // A stub's own passed-on messages are counted by it, not kept: the walk found them before it was cut.
    if (detached.has(body)) return;
    if (!kept) {
      const within = passedOnWithin(body);
      for (const inner of within) detached.add(inner);
      stub(body, within);
      trimmed = true;
      return;
    }
    if (keepOnly(body, (key) => PASSED_ON_FIELDS.has(key))) trimmed = true;
    if (kept.quoted.cut && typeof body.text === 'string' && body.text.length > kept.budget + 1) {
      body.text = body.text.slice(0, kept.budget + 1);
      trimmed = true;
    }
    if (trimAttachments(body)) trimmed = true;
  });
  return { event: copy, trimmed };
}
