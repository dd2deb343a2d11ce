import type { AttachmentSummary } from './citizen-message.js';
import { asInteger, asRecord, type Loose } from './loose.js';

/** Links kept per kind: enough for an operator to open them, bounded whatever a message holds. */
const MAX_LINKS_PER_KIND = 10;
const MAX_LINK_LENGTH = 2048;
/**
 * The characters of voice messages' transcripts kept per message: one callback may carry many voice messages,
 * and this keeps a message as far from its SQS and DynamoDB bounds as the words it passes on (quoted.ts).
 */
const MAX_TRANSCRIPT_CHARACTERS = 6000;

const asLink = (value: unknown): string | undefined =>
  typeof value === 'string' && /^https?:\/\//.test(value) && value.length <= MAX_LINK_LENGTH
    ? value
    : undefined;

/** A wall post's address in VK: https://vk.com/wall<owner_id>_<post_id> (a community's owner id is negative). */
export function postLink(ownerId: unknown, postId: unknown): string | undefined {
  const owner = asInteger(ownerId);
  const post = asInteger(postId);
  return owner !== undefined && owner !== 0 && post !== undefined && post > 0
    ? `https://vk.com/wall${owner}_${post}`
    : undefined;
}

/** A comment's address in VK: its post's, opened at the comment (`?reply=<comment_id>`). */
export function commentLink(ownerId: unknown, postId: unknown, commentId: unknown): string | undefined {
  const post = postLink(ownerId, postId);
  const comment = asInteger(commentId);
  return post && comment !== undefined && comment > 0 ? `${post}?reply=${comment}` : undefined;
}

/** The largest size of a photo with a link: VK gives several, each with its own URL. */
export function largestPhotoSize(photo: Loose): Loose | undefined {
  const sizes = Array.isArray(photo.sizes) ? photo.sizes.map(asRecord) : [];
  let best: { area: number; size: Loose } | undefined;
  for (const size of sizes) {
    if (!size || !asLink(size.url)) continue;
    const area = Number(size.width ?? 0) * Number(size.height ?? 0);
    if (!best || area > best.area) best = { area, size };
  }
  return best?.size;
}

/** The link to the largest size of a photo. */
const photoLink = (photo: Loose): string | undefined => asLink(largestPhotoSize(photo)?.url);

/**
 * Kinds VK may send with their ids only (a video's `player` is often absent, an audio's `url` empty for other
 * apps than VK's own): their address on vk.com is made from the ids, as a shared post's is. An `access_key`
 * (https://dev.vk.com/ru/reference/objects/attachments-message) is not added: VK documents it for API calls
 * only (`<type><owner_id>_<id>_<access_key>`), not for vk.com links, and it is a key to private content; an
 * operator opens a private one from the dialogue or comment in VK.
 */
const ADDRESS_PREFIX: Readonly<Record<string, string>> = {
  video: 'video',
  photo: 'photo',
  doc: 'doc',
  audio: 'audio',
};

/** An object's address on vk.com from its ids: https://vk.com/video<owner_id>_<id>, and so on. */
function addressOf(kind: string, body: Loose): string | undefined {
  const prefix = ADDRESS_PREFIX[kind];
  const owner = asInteger(body.owner_id);
  const id = asInteger(body.id);
  return prefix && owner !== undefined && owner !== 0 && id !== undefined && id > 0
    ? `https://vk.com/${prefix}${owner}_${id}`
    : undefined;
}

/**
 * The link VK gives for one attachment, where it gives one
 * (https://dev.vk.com/ru/reference/objects/attachments-message): a photo's largest size, a document's,
 * link's, audio's or graffiti's `url`, a voice message's `link_mp3`, a video's `player`. A shared post or
 * comment comes with no URL, only its ids: its address is made from them (`to_id` is the owner in older API
 * versions); so is a video's, photo's, document's or audio's that comes with none.
 */
function linkOf(kind: string, attachment: Loose): string | undefined {
  const body = asRecord(attachment[kind]);
  if (!body) return undefined;
  if (kind === 'photo') return photoLink(body) ?? addressOf(kind, body);
  if (kind === 'wall') return postLink(body.owner_id ?? body.to_id, body.id);
  if (kind === 'wall_reply') return commentLink(body.owner_id, body.post_id, body.id);
  return asLink(body.url) ?? asLink(body.link_mp3) ?? asLink(body.player) ?? addressOf(kind, body);
}

/**
 * What VK's speech recognition heard in a voice message, once it is done (`transcript_state: "done"`; VK sends
 * `in_progress` while it works, and older voice messages have neither field). Not in VK's object reference:
 * the shape is VK's answer as the SDKs read it (https://github.com/vknet/vk/issues/1017).
 */
function transcriptOf(kind: string, attachment: Loose, room: number): string | undefined {
  if (kind !== 'audio_message' || room <= 0) return undefined;
  const body = asRecord(attachment[kind]);
  if (body?.transcript_state !== 'done' || typeof body.transcript !== 'string') return undefined;
  let transcript = body.transcript.trim().slice(0, room);
  // Never end in half of a surrogate pair.
  if (/[\ud800-\udbff]$/.test(transcript)) transcript = transcript.slice(0, -1);
  return transcript === '' ? undefined : transcript;
}

/**
 * What a message carries besides its text, by kind: how many, and the links VK gives. Forwarded messages,
 * a quoted reply and a shared location count as kinds of their own, so an operator sees them at a glance.
 */
export function summariseAttachments(
  attachments: readonly Loose[] | undefined,
  extras: { forwarded?: number; replyTo?: boolean; geo?: boolean } = {},
): AttachmentSummary[] {
  const byKind = new Map<string, AttachmentSummary>();
  let transcriptRoom = MAX_TRANSCRIPT_CHARACTERS;
  for (const attachment of attachments ?? []) {
    const kind = typeof attachment.type === 'string' ? attachment.type : 'unknown';
    const summary = byKind.get(kind) ?? { kind, count: 0 };
    summary.count += 1;
    const link = linkOf(kind, attachment);
    if (link && (summary.links?.length ?? 0) < MAX_LINKS_PER_KIND)
      summary.links = [...(summary.links ?? []), link];
    const transcript = transcriptOf(kind, attachment, transcriptRoom);
    if (transcript) {
      summary.transcripts = [...(summary.transcripts ?? []), transcript];
      transcriptRoom -= transcript.length;
    }
    byKind.set(kind, summary);
  }
  const summaries = [...byKind.values()];
  if (extras.forwarded) summaries.push({ kind: 'forwarded_messages', count: extras.forwarded });
  if (extras.replyTo) summaries.push({ kind: 'reply_to_message', count: 1 });
  if (extras.geo) summaries.push({ kind: 'geo', count: 1 });
  return summaries;
}

/** The words heard in a message's voice messages, in the order they came. */
export const transcriptsOf = (attachments: readonly AttachmentSummary[] | undefined): string[] =>
  (attachments ?? []).flatMap((summary) => summary.transcripts ?? []);
