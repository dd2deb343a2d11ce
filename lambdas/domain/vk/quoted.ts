import { commentLink, postLink, summariseAttachments, transcriptsOf } from './attachments.js';
import type { CitizenMessage, QuotedMessage } from './citizen-message.js';
import { placeWordsOf } from './location.js';
import { asInteger, asRecord, type Loose } from './loose.js';
import { instantOf } from './sent-at.js';

/**
 * Bounds on the words a message passes on. VK nests forwarded messages in forwarded messages with no
 * documented limit, and one callback body may carry megabytes of them (ingest trims a large one to what these
 * bounds keep: trim-event.ts). What is kept travels in
 * one SQS message to the router, is stored twice in DynamoDB (on the inquiry and in its history entry, each
 * item at most 400 KB: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html)
 * and comes back with every inquiry of a list (a Lambda answer is at most 6 MB, a list holds up to 100): 6,000
 * characters of text and links (at most 18 KB in UTF-8) keep each far from its limit. What does not fit is
 * not dropped silently: a shortened text is marked `cut`, and the messages left out are counted.
 */
export const MAX_QUOTED_DEPTH = 5;
export const MAX_QUOTED_MESSAGES = 50;
export const MAX_QUOTED_CHARACTERS = 6000;

type Passed = { kind: QuotedMessage['kind']; depth: number; body: Loose };

const records = (value: unknown): Loose[] =>
  Array.isArray(value) ? value.map(asRecord).filter((item) => item !== undefined) : [];

/** The first `length` characters, never ending in half of a surrogate pair. */
function cutTo(text: string, length: number): string {
  const cut = text.slice(0, length);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/**
 * What one message, post or comment passes on, in reading order: the message it replies to (VK shows it above
 * the text), the forwarded messages, the posts a repost copies (`copy_history`, the nearest first), and the
 * posts and comments shared as attachments (https://dev.vk.com/ru/reference/objects/message,
 * https://dev.vk.com/ru/reference/objects/post).
 */
function passedOn(body: Loose, depth: number): Passed[] {
  const passed: Passed[] = [];
  const reply = asRecord(body.reply_message);
  if (reply) passed.push({ kind: 'reply', depth, body: reply });
  for (const message of records(body.fwd_messages)) passed.push({ kind: 'forwarded', depth, body: message });
  for (const post of records(body.copy_history)) passed.push({ kind: 'repost', depth, body: post });
  for (const attachment of records(body.attachments)) {
    const post = attachment.type === 'wall' ? asRecord(attachment.wall) : undefined;
    if (post) passed.push({ kind: 'shared_post', depth, body: post });
    const comment = attachment.type === 'wall_reply' ? asRecord(attachment.wall_reply) : undefined;
    if (comment) passed.push({ kind: 'shared_comment', depth, body: comment });
  }
  return passed;
}

function linkOf({ kind, body }: Passed): string | undefined {
  if (kind === 'repost' || kind === 'shared_post') return postLink(body.owner_id ?? body.to_id, body.id);
  if (kind === 'shared_comment') return commentLink(body.owner_id, body.post_id, body.id);
  return undefined;
}

/** What a passed-on message holds besides its text: its links and its voice messages' transcripts. */
const linksLength = (quoted: QuotedMessage) =>
  (quoted.link?.length ?? 0) +
  (quoted.attachments ?? []).reduce(
    (sum, summary) =>
      sum +
      [...(summary.links ?? []), ...(summary.transcripts ?? [])].reduce((n, item) => n + item.length, 0),
    0,
  );

/** One passed-on message as kept, within what is left of the budget; and what it took of it. */
function keep(passed: Passed, budget: number): { quoted: QuotedMessage; cost: number } {
  const { body } = passed;
  const text = typeof body.text === 'string' ? body.text : '';
  const authorId = asInteger(body.from_id);
  const sentAt = instantOf(asInteger(body.date));
  const link = linkOf(passed);
  const attachments = summariseAttachments(records(body.attachments));
  const quoted: QuotedMessage = {
    kind: passed.kind,
    depth: passed.depth,
    ...(authorId !== undefined && { authorId }),
    ...(sentAt && { sentAt }),
    text: text.length > budget ? cutTo(text, budget) : text,
    ...(text.length > budget && { cut: true as const }),
    ...(link && { link }),
    ...(attachments.length > 0 && { attachments }),
  };
  let cost = quoted.text.length + linksLength(quoted);
  if (cost > budget) {
    // The links and transcripts do not fit: the kinds and counts still say what was attached, and the
    // message is marked cut, to be heard whole in VK.
    if (quoted.attachments?.some((summary) => summary.transcripts)) quoted.cut = true;
    quoted.attachments = quoted.attachments?.map(({ kind, count }) => ({ kind, count }));
    cost = quoted.text.length + linksLength(quoted);
    if (cost > budget) delete quoted.link;
    cost = Math.min(budget, quoted.text.length + linksLength(quoted));
  }
  return { quoted, cost };
}

/**
 * What the walk over a message's passed-on words tells of each: the body as it lies in the event, and what
 * is kept of it with the budget it was kept within, or nothing when it is left out.
 */
type QuotedVisitor = (body: Loose, kept: { quoted: QuotedMessage; budget: number } | undefined) => void;

/**
 * Visits every passed-on message of `body` (nested ones too) in reading order, deciding for each what is
 * kept within the bounds above. Iterative, so that no nesting can exhaust the stack; every passed-on message
 * is visited, so that those left out are counted. A message left out leaves out all it passes on in turn:
 * its own are deeper, come later and find the count and the budget no better.
 */
export function walkQuoted(
  body: Loose,
  visit?: QuotedVisitor,
): Pick<CitizenMessage, 'quoted' | 'quotedLeftOut'> {
  const kept: QuotedMessage[] = [];
  let leftOut = 0;
  let budget = MAX_QUOTED_CHARACTERS;
  const stack = passedOn(body, 1).reverse();
  for (let passed = stack.pop(); passed !== undefined; passed = stack.pop()) {
    stack.push(...passedOn(passed.body, passed.depth + 1).reverse());
    if (passed.depth > MAX_QUOTED_DEPTH || kept.length >= MAX_QUOTED_MESSAGES || budget <= 0) {
      leftOut += 1;
      visit?.(passed.body, undefined);
      continue;
    }
    const { quoted, cost } = keep(passed, budget);
    visit?.(passed.body, { quoted, budget });
    kept.push(quoted);
    budget -= cost;
  }
  return {
    ...(kept.length > 0 && { quoted: kept }),
    ...(leftOut > 0 && { quotedLeftOut: leftOut }),
  };
}

/** The words a VK message, post or comment passes on (nested ones too), with who wrote them and when. */
export function quotedIn(body: Loose): Pick<CitizenMessage, 'quoted' | 'quotedLeftOut'> {
  return walkQuoted(body);
}

/** The bodies a message, post or comment passes on directly, in reading order. */
export const passedOnBodies = (body: Loose): Loose[] => passedOn(body, 1).map((passed) => passed.body);

/** Whether a part already ends a sentence: `.`, `!`, `?` or `…`, perhaps followed by emoji or spaces. */
const endsSentence = (part: string) => /[.!?…][^\p{L}\p{N}]*$/u.test(part);

/**
 * Parts of a message's words (its text, each transcript, each message passed on) joined so that each is a
 * sentence of its own: the classifier reads a sentence as what lies between `.`, `!` and `?`, and a "год
 * назад" at the end of the typed text must not put a spoken "пахнет газом" into the past. A part followed by
 * another gets a period unless it ends a sentence already; the last stays as typed, so that a message of one
 * part is read exactly as written (a greeting ending in an emoji stays a greeting). The operator reads the
 * parts as sent, never this text.
 */
const asSentences = (parts: readonly string[]): string => {
  const kept = parts.map((part) => part.trim()).filter((part) => part !== '');
  return kept
    .map((part, index) => (index === kept.length - 1 || endsSentence(part) ? part : `${part}.`))
    .join('\n\n');
};

/** A message's words with what its voice messages say: a spoken "пахнет газом" is as urgent as a typed one. */
const withTranscripts = (text: string, attachments: QuotedMessage['attachments']) =>
  asSentences([text, ...transcriptsOf(attachments)]);

/**
 * The words a message is classified and routed on: the citizen's own (typed, and heard in their voice
 * messages), then those they passed on, since a forwarded "пахнет газом" is as urgent as a typed one, and a
 * forwarded address routes as a typed one does.
 * Left out: the community's own private messages quoted or forwarded back (the acknowledgement, an operator's
 * answer), which are our words, not the citizen's matter: "спасибо" in reply to an answer stays a thank-you.
 * A post of the community's that a citizen shares (an announcement of a water cut) is kept: it says what
 * they are asking about.
 */
export function wordsOf(
  message: Pick<CitizenMessage, 'groupId' | 'text' | 'quoted'> & Partial<Pick<CitizenMessage, 'attachments'>>,
): string {
  const ownId = -Math.abs(message.groupId);
  const passed = (message.quoted ?? [])
    .filter(
      (quoted) => !(quoted.authorId === ownId && (quoted.kind === 'reply' || quoted.kind === 'forwarded')),
    )
    .map((quoted) => withTranscripts(quoted.text, quoted.attachments));
  return asSentences([withTranscripts(message.text, message.attachments), ...passed]);
}

/**
 * The words a message is routed on: those it is classified on, then the name of the place it shares, so that
 * a rule's pattern for a street or a district finds the one the citizen pinned ("Яма на дороге" sent with
 * the location "Пермь, ул. Ленина, 12"). The place is not classified on: its name says nothing of the matter,
 * and a location sent alone stays wordless, for a person to look at in triage.
 */
export function routingWordsOf(
  message: Pick<CitizenMessage, 'groupId' | 'text' | 'quoted' | 'location'> &
    Partial<Pick<CitizenMessage, 'attachments'>>,
): string {
  return asSentences([wordsOf(message), placeWordsOf(message.location)]);
}

/**
 * The passed-on words with those of `authorId` taken out, on their request to have their data deleted (152-FZ
 * art. 21): each of their messages keeps its kind and depth, so that the citizen's message that passed it on
 * still reads in order, and loses its text, link, attachments, author and time, marked `redacted`. What they
 * passed on in turn was written by others, and stays. `redacted`: how many were taken out.
 */
export function withoutWordsOf(
  quoted: readonly QuotedMessage[],
  authorId: number,
): { quoted: QuotedMessage[]; redacted: number } {
  let redacted = 0;
  const kept = quoted.map((message): QuotedMessage => {
    if (message.authorId !== authorId) return message;
    redacted += 1;
    return { kind: message.kind, depth: message.depth, text: '', redacted: true };
  });
  return { quoted: kept, redacted };
}

/** Whether the passed-on words hold any of `authorId`'s. */
export const quotesAuthor = (quoted: unknown, authorId: number): boolean =>
  Array.isArray(quoted) && quoted.some((message) => asRecord(message)?.authorId === authorId);
