import * as z from 'zod';
import { parseCaseNumber } from '../inquiry/case-number.js';
import { SLA_CLOCKS } from '../inquiry/deadline.js';
import { type HistoryKind, INQUIRY_STATUSES, OPEN_STATUSES } from '../inquiry/inquiry.js';
import type { InquiryEvent } from '../inquiry/state-machine.js';
import { MAX_MESSAGE_LENGTH, OUTBOX_PURPOSES } from '../outbox/outbox-message.js';
import { CATEGORIES, PRIORITIES } from '../taxonomy.js';
import { CHANNELS } from '../vk/citizen-message.js';
import { MAX_QUOTED_CHARACTERS, MAX_QUOTED_DEPTH, MAX_QUOTED_MESSAGES } from '../vk/quoted.js';
import { MAX_STATISTICS_DAYS, periodBound } from './statistics.js';

/**
 * The operator API's requests and answers, described once: the handler validates with them and the OpenAPI
 * document is generated from them (`z.toJSONSchema`).
 */

/**
 * Said of every field of free text in an answer (a citizen's words, an operator's, VK's): the API gives it back
 * as written, markup included (a citizen may type `<img src=x onerror=…>`), as JSON does no harm; a console
 * that put it into a page as HTML would run it.
 */
export const PLAIN_TEXT = 'Plain text, as written: render it as text, never as HTML.';
/** Free text in an answer, described, and said to be plain text. */
const freeText = (description?: string) =>
  z.string().describe(description ? `${description} ${PLAIN_TEXT}` : PLAIN_TEXT);

const departmentId = z.string().regex(/^[a-z][a-z0-9-]*$/);

/**
 * The Queries (each reads 1 MB of the index at most) one request of a list makes in all, or one per department
 * where an admin's are more: a filtered list whose page is still empty reads on up to this, so that a narrow
 * filter does not answer "nothing" while more is there, and a request still ends well within the timeout.
 */
export const QUERY_PAGES_PER_REQUEST = 16;

/** A department asked for by a list or the statistics: one not configured answers 400, not an empty answer. */
const askedDepartment = departmentId
  .optional()
  .describe(
    'One department, by its id (`GET /api/v1/directory`): one not configured answers 400, one that is not ' +
      'yours 403. Without it, all of yours (an admin’s: every department).',
  );

export const listInquiriesQuery = z
  .strictObject({
    department: askedDepartment,
    status: z
      .enum(INQUIRY_STATUSES)
      .optional()
      .describe(
        'rejected: messages the classifier took for no inquiry (thanks, greetings, ads…), and inquiries an ' +
          "operator rejected as none (`reject`), listed under their community's triage department for its " +
          'operators to review, in no open work: they are in the `order=newest` list only. `move` puts one into ' +
          'work. A status that is not open (answered, closed, rejected) with `order=urgent`, `overdue` or ' +
          '`assignee=none` answers 400: those list open inquiries only, so nothing could match.',
      ),
    category: z.enum(CATEGORIES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    community: z.coerce.number().int().positive().optional(),
    overdue: z
      .enum(['true', 'false'])
      .optional()
      .describe(
        'true: the open inquiries past their running deadline; false: the open ones not past it (due now or ' +
          'later, or with no running clock). Either way nearest deadline first, whatever `order` says.',
      ),
    undelivered: z
      .enum(['true', 'false'])
      .optional()
      .describe(
        "true: the inquiries whose operator's answer VK refused for good (the citizen forbade messages, the " +
          'comments are closed…), so that the citizen got nothing: they are back in open work with `undelivered` ' +
          'set until an operator answers again or closes them; false: the others.',
      ),
    assignee: z
      .enum(['me', 'none'])
      .optional()
      .describe(
        'me: the inquiries the operator asking handles (`assignee`: taken, or answered when no one had), in any ' +
          'status; none: the open inquiries no one has taken, the work left to take.',
      ),
    order: z
      .enum(['newest', 'urgent'])
      .default('newest')
      .describe(
        'newest: by opening time, every status; urgent: open inquiries by their running deadline, nearest ' +
          'first, those with no running clock last.',
      ),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(20)
      .describe(
        'The most inquiries a page holds. A filtered list (status, category, priority, community, ' +
          'undelivered, assignee, author) reads of each department one inquiry more than the page still wants, ' +
          'then twice as many with each further read while the page is short (1 MB of the index at most a ' +
          `read), and reads on while the page is empty, up to ${QUERY_PAGES_PER_REQUEST} reads a request (one ` +
          "a department where an admin's are more). With several departments a page ends where the first of " +
          'them that may hold more stopped reading, so that pages keep the list in order: what the others ' +
          'matched past that point is left for the next page. A page may so hold fewer than asked, or none ' +
          "though matches were read, and give a `nextCursor`: follow it to the list's end.",
      ),
    cursor: z
      .string()
      .max(4000)
      .optional()
      .describe(
        'The `nextCursor` of the previous page, sent with the same query: the same `department`, filters, ' +
          '`order` and `overdue` (`limit` may change). Sent with another, it answers 400: it would skip what ' +
          'the other query read past. The list has ended when a page gives no `nextCursor`.',
      ),
    author: z.coerce
      .number()
      .int()
      .refine((id) => id !== 0 && Number.isSafeInteger(id), { message: 'a VK id is a non-zero integer' })
      .optional()
      .describe(
        "A citizen's VK id (negative: a community that wrote as one). Admins only (403 otherwise), with " +
          "`community` (400 without): that citizen's inquiries in the community, in every channel and status, to " +
          'trace one who says they got nothing. A filter like the others (see `limit`): a page may hold none and ' +
          "still give a `nextCursor`; follow it to the list's end. Personal data, in no log: the API logs the path, and its " +
          'access log no query string.',
      ),
    caseNumber: z
      .string()
      .max(40)
      .refine((text) => parseCaseNumber(text) !== undefined, {
        message: 'a case number is <year>-<number>, as in 2026-004217',
      })
      .optional()
      .describe(
        'The inquiry a citizen names by its case number, as the acknowledgement told it (`2026-004217`; ' +
          '`2026-4217` or `2026 4217` finds it too). Numbers are counted per community: with `community`, that ' +
          "community's inquiry; without, each community's of that number. One page, no `nextCursor`; only " +
          '`community` and `department` may go with it (400 otherwise). One of a department not yours is not ' +
          'listed. Inquiries opened before case numbers have none: find them by id.',
      ),
  })
  // Asked together, these can match nothing: a 400 says why, rather than an empty list after reading much of
  // the index. The urgent and overdue lists read an index of open inquiries only (inquiry-table.ts, gsi1).
  .superRefine((query, context) => {
    if (query.status === undefined || OPEN_STATUSES.includes(query.status)) return;
    if (query.order === 'urgent' || query.overdue !== undefined)
      context.addIssue({
        code: 'custom',
        path: ['status'],
        message:
          `${query.status} is no open status, and ${query.overdue !== undefined ? 'overdue' : 'order=urgent'} ` +
          'lists open inquiries only: ask it with order=newest',
      });
    if (query.assignee === 'none')
      context.addIssue({
        code: 'custom',
        path: ['assignee'],
        message: `none lists the open inquiries no one has taken, never ${query.status} ones`,
      });
  });
export type ListInquiriesQuery = z.infer<typeof listInquiriesQuery>;

/**
 * What shows nothing on a screen: separators and spaces (Z), controls (Cc), format characters (Cf: the
 * zero-width space, non-joiner and joiner, the word joiner, the byte order mark), combining marks with nothing
 * to mark (M), and the Hangul fillers and the blank braille pattern, which fonts draw empty.
 * https://www.unicode.org/reports/tr44/#General_Category_Values
 */
const INVISIBLE = /^[\p{Z}\p{Cc}\p{Cf}\p{M}\u115F\u1160\u3164\uFFA0\u2800]*$/u;

/** An operator's words: trimmed, and with something in them a person can read. */
const visibleText = (max: number, description: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !INVISIBLE.test(text), {
      message: 'holds no visible character (only spaces, zero-width or other invisible characters)',
    })
    .describe(
      `${description} At least one visible character: one made only of spaces and invisible characters ` +
        '(zero-width space or joiner, word joiner, byte order mark…) answers 400.',
    );

export const textBody = z.strictObject({
  text: visibleText(MAX_MESSAGE_LENGTH, 'The words to the citizen, trimmed.'),
  force: z
    .boolean()
    .optional()
    .describe(
      'true: answer an inquiry another operator holds all the same. An answer or intermediate answer then makes ' +
        'it yours (their name stays in the history); a further word after the answer leaves it theirs. ' +
        'Without it, words to an inquiry another operator holds answer 409 `taken_by_other`, naming them.',
    ),
});
export type TextBody = z.infer<typeof textBody>;
const reasonText = visibleText(1000, 'Why, for the history, trimmed.');
export const reasonBody = z.strictObject({ reason: reasonText });
export type ReasonBody = z.infer<typeof reasonBody>;
export const takeBody = z.strictObject({
  force: z
    .boolean()
    .optional()
    .describe(
      'true: take over an inquiry another operator holds (their name stays in the history). Without it, ' +
        'taking one another operator holds answers 409.',
    ),
});
export type TakeBody = z.infer<typeof takeBody>;
export const moveBody = z
  .strictObject({
    department: departmentId.optional(),
    /** With a category or a priority, the running deadline is timed anew on the terms they bring. */
    category: z.enum(CATEGORIES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    reason: reasonText,
  })
  .refine(
    (body) => body.department !== undefined || body.category !== undefined || body.priority !== undefined,
    { message: 'give a department, a category, a priority or several' },
  )
  // The refinement above is code, which no JSON Schema carries: the document says it as `anyOf`.
  .meta({
    anyOf: (['department', 'category', 'priority'] as const).map((field) => ({ required: [field] })),
    description:
      'Where to move the inquiry, and why: a department, a category, a priority or several (`reason` alone ' +
      'answers 400). A move that changes nothing (all it names is the inquiry’s already, on the same terms) ' +
      'answers 200 with the inquiry and the same `ETag`, and writes nothing: no history entry, no new version.',
  });
export type MoveBody = z.infer<typeof moveBody>;

/**
 * A moment of the period: with `Z` or an offset, so that a head of department may ask in local time, never
 * without one (whose time zone?). In a URL a bare `+` reads as a space: the error says how to write it.
 */
const periodMoment = z.iso.datetime({
  offset: true,
  error:
    'an ISO date and time with Z or an offset, such as 2026-12-01T00:00:00+05:00 (in a URL, write + as %2B)',
});

/**
 * The period's length in milliseconds; undefined when a bound is no moment, which its own issue reports (zod
 * runs the refinements below even then, and periodBound of no moment would throw: a 500 for a typo).
 */
const periodMilliseconds = (query: { from: string; to: string }) =>
  periodMoment.safeParse(query.from).success && periodMoment.safeParse(query.to).success
    ? Date.parse(periodBound(query.to)) - Date.parse(periodBound(query.from))
    : undefined;

export const statisticsQuery = z
  .strictObject({
    from: periodMoment.describe(
      'The start of the period, included: the inquiries opened at this moment or later. An ISO date and ' +
        'time with `Z` or an offset (`2026-12-01T00:00:00+05:00`, its `+` written `%2B` in a URL), taken to ' +
        'the millisecond.',
    ),
    to: periodMoment.describe(
      'The end of the period, left out: the inquiries opened before this moment, written as `from`. ' +
        'Periods that follow one another (each `to` the `from` of the next) count each inquiry once. A year ' +
        'at most.',
    ),
    department: askedDepartment,
    community: z.coerce.number().int().positive().optional(),
  })
  .refine((query) => (periodMilliseconds(query) ?? 1) > 0, { message: 'from must be before to' })
  .refine((query) => (periodMilliseconds(query) ?? 0) <= MAX_STATISTICS_DAYS * 86_400_000, {
    message: `the period is longer than ${MAX_STATISTICS_DAYS} days: ask for a year or less`,
  });
export type StatisticsQuery = z.infer<typeof statisticsQuery>;

export const sharedLocation = z.object({
  latitude: z.number(),
  longitude: z.number(),
  title: freeText('The place’s name, where VK names it: an address or a venue.').optional(),
  address: freeText().optional(),
  city: freeText().optional(),
  country: freeText().optional(),
  mapUrl: z.string().describe('The point on Yandex Maps.'),
});

/** One kind of attachment of a message, as vk/attachments.ts sums them up. */
export const attachment = z.object({
  kind: z.string(),
  count: z.number(),
  links: z
    .array(z.string())
    .optional()
    .describe(
      'Where to open them: the links VK gives, else the vk.com address of a video, photo, document or audio ' +
        '(https://vk.com/video<owner_id>_<id>), a shared post or comment, made from their ids.',
    ),
  transcripts: z
    .array(z.string())
    .optional()
    .describe(
      'audio_message: what VK’s speech recognition heard in the voice messages, where it finished. The ' +
        `citizen’s words: classified and routed on with the text. ${PLAIN_TEXT}`,
    ),
});

export const quotedMessage = z.object({
  kind: z
    .enum(['forwarded', 'reply', 'repost', 'shared_post', 'shared_comment'])
    .describe(
      'forwarded: a message forwarded with the citizen’s; reply: the message the citizen replied to; repost: a ' +
        'post the citizen’s post reposts; shared_post, shared_comment: a post or comment shared in the message.',
    ),
  depth: z.number().describe('1: carried by the citizen’s message itself; 2: by a message that it carries…'),
  authorId: z
    .number()
    .optional()
    .describe('Who wrote it, where VK says: a person’s VK id, a community’s negative id'),
  sentAt: z.string().optional(),
  text: freeText('The words passed on, as their author wrote them (empty when `redacted`).'),
  cut: z
    .literal(true)
    .optional()
    .describe(
      'The text was shortened, or its voice messages’ transcripts left out, to fit the bounds: read it whole in VK.',
    ),
  link: z.string().optional().describe('Where to open a post or comment in VK.'),
  attachments: z.array(attachment).optional(),
  redacted: z
    .literal(true)
    .optional()
    .describe(
      'Its author asked for their data to be deleted: its text is empty, and its author, time, link and ' +
        'attachments are gone. It keeps its place, so that the citizen’s own words around it still read.',
    ),
});

export const operatorRef = z.object({
  id: z.string().describe("The operator's id in the user pool (`sub`)"),
  name: freeText('Their name in the user pool, else the e-mail they sign in with.'),
});

/** Where an operator's words were written, as the state machine's answering events say (`via`). */
const REPLY_VIA = ['console', 'vk'] as const satisfies readonly Extract<
  InquiryEvent,
  { type: 'final_answer' }
>['via'][];

export const slaTerms = z
  .object({
    firstResponseHours: z.number(),
    resolutionHours: z.number(),
    clock: z
      .enum(SLA_CLOCKS)
      .optional()
      .describe(
        'How the hours count: `working_hours`, in working time of the community’s calendar, or ' +
          '`round_the_clock`, every hour of every day. Absent on inquiries opened before terms said it: working hours.',
      ),
  })
  .describe('The SLA terms: hours to the first response and to the resolution, and how they count.');

const messagePlace = {
  messageRef: z.string(),
  sentAt: z.string(),
  number: z.number().optional(),
};

const attachments = z
  .array(attachment)
  .describe(
    'The attachments by kind (photo, doc, audio_message…), with the links VK gives, where it gives any.',
  );

/**
 * Every field an inquiry has, as the API gives it (view.ts leaves out its bookkeeping): strict, so that a field
 * added to the inquiry and not here fails the test that checks real answers against the document.
 */
export const inquirySummary = z.strictObject({
  id: z.string(),
  caseNumber: z
    .string()
    .optional()
    .describe(
      "The case number the citizen was told (`2026-004217`: the year and the community's sequence in it), " +
        'given when the inquiry was put into work: none on a message taken for no inquiry, nor on an inquiry ' +
        'opened before case numbers (its acknowledgement told its `id`).',
    ),
  groupId: z.number(),
  channel: z.enum(CHANNELS),
  replyTo: z
    .looseObject({ channel: z.enum(CHANNELS) })
    .describe(
      'Where the answer goes, by `channel`: direct_message {peerId, conversationMessageId?, messageId?}; ' +
        'wall_post {ownerId, postId, suggested?}; wall_comment {ownerId, postId, commentId, threadCommentId?}; ' +
        'board_comment {groupId, topicId, commentId}; photo_comment {ownerId, photoId, commentId}; ' +
        'video_comment {ownerId, videoId, commentId}; market_comment {ownerId, itemId, commentId}. VK’s ids.',
    ),
  authorId: z.number().describe('The citizen’s VK id.'),
  withdrawn: z
    .boolean()
    .optional()
    .describe('The citizen (or an admin) deleted the opening message in VK: `text` is then what it said.'),
  status: z.enum(INQUIRY_STATUSES),
  category: z.enum(CATEGORIES),
  priority: z.enum(PRIORITIES),
  confidence: z.number().describe('How sure the classifier was, 0 to 1.'),
  triage: z.boolean().describe('The classifier was not sure: it went to the triage department to review.'),
  terms: slaTerms
    .optional()
    .describe('The SLA terms it runs on; absent on a message rejected as not an inquiry.'),
  clock: z
    .object({
      kind: z.enum(['first_response', 'resolution']),
      cycle: z
        .number()
        .describe('Which clock of the inquiry this is, from 1: each is warned and escalated once.'),
      startedAt: z.string(),
      dueAt: z.string(),
      warnAt: z.string(),
      warned: z.boolean(),
      breached: z.boolean(),
    })
    .optional()
    .describe('The running deadline; absent once answered or closed, and on a rejected message.'),
  clockCount: z.number().describe('How many clocks it has started.'),
  department: z
    .string()
    .optional()
    .describe(
      "The department that owns it; a message rejected as not an inquiry: its community's triage department, " +
        'where it is listed for review (none on one recorded before rejected messages were listed).',
    ),
  text: z
    .string()
    .describe(
      "The citizen's own words in the opening message, as last edited: what they passed on is in `quoted`. " +
        PLAIN_TEXT,
    ),
  attachments: attachments
    .optional()
    .describe(
      'What the opening message carries besides its text, as last edited, as its `message` history entry ' +
        'gives it: by kind (photo, doc, audio_message, forwarded_messages, geo…), with the links VK gives and ' +
        'the transcripts of voice messages. What a message with no words (a voice message, a photo) is about, ' +
        'shown without opening the inquiry. Absent when it carries none, and on inquiries stored before it was kept.',
    ),
  quoted: z
    .array(quotedMessage)
    .optional()
    .describe(
      'What the opening message passed on, in reading order: the message it replies to, forwarded messages ' +
        '(nested ones after the one that carries them, `depth` 2 and more), the posts a repost copies, posts ' +
        'and comments shared in it. A `message` entry of the history carries the same for each message.',
    ),
  quotedLeftOut: z
    .number()
    .optional()
    .describe(
      `How many passed-on messages were not kept: deeper than ${MAX_QUOTED_DEPTH}, more than ` +
        `${MAX_QUOTED_MESSAGES}, or past ${MAX_QUOTED_CHARACTERS} characters in all. Read them in VK.`,
    ),
  cropped: z
    .literal(true)
    .optional()
    .describe(
      'The opening message came cut short: VK cut it in its event (`is_cropped`), or the event was too large ' +
        '(over 256 KiB: many forwarded messages or photos) and only what is shown here was kept. Read the ' +
        'rest in VK.',
    ),
  location: sharedLocation
    .optional()
    .describe(
      'The location the opening message shared (VK’s `geo`): its coordinates, the place as VK names it, and a ' +
        'map link. A `message` entry of the history carries the location of its own message.',
    ),
  vkUrl: z
    .string()
    .optional()
    .describe(
      'Where to open the citizen’s words in VK: the community’s dialogue with the citizen ' +
        '(`https://vk.com/gim<group>?sel=<peer>`), the post, the comment (`wall<owner>_<post>?reply=<comment>`, ' +
        'with `&thread=` in a thread), the board topic at the comment, or the photo, video or product commented ' +
        'on. Absent for a group chat, which has no such address.',
    ),
  firstResponseStartedAt: z
    .string()
    .optional()
    .describe(
      'When the current first-response clock started: the opening message reached us (or an edit made it an ' +
        'inquiry), or the inquiry was reopened; a message of the citizen that reached us earlier, routed after ' +
        'the one that opened it, moves it back to when that one did. Absent on inquiries stored before it was kept.',
    ),
  firstResponseDueAt: z.string().optional(),
  firstRespondedAt: z
    .string()
    .optional()
    .describe(
      'When the first response of the current cycle was given: cleared when VK refuses the words that gave ' +
        'it (`undelivered`), as the citizen never got them; the next words, or the closing, give it again.',
    ),
  firstResponseLate: z.boolean().optional().describe('The first response came after `firstResponseDueAt`.'),
  resolutionDueAt: z.string().optional(),
  answeredAt: z.string().optional(),
  closedAt: z.string().optional(),
  finishedAt: z
    .string()
    .optional()
    .describe(
      'When it was last answered, closed or rejected; absent while it is in work again. Its data is deleted ' +
        '`retention.closedInquiryDays` after this (after `updatedAt` on one finished before it was kept).',
    ),
  earlierCycles: z
    .array(
      z.object({
        status: z.enum(INQUIRY_STATUSES).describe('How the cycle ended: answered, closed or rejected.'),
        startedAt: z
          .string()
          .optional()
          .describe('When its first-response clock started (absent on one reopened before it was kept).'),
        firstResponseDueAt: z.string().optional(),
        firstRespondedAt: z.string().optional(),
        firstResponseLate: z.boolean().optional(),
        resolutionDueAt: z.string().optional(),
        answeredAt: z.string().optional(),
        closedAt: z.string().optional(),
        refused: z
          .enum(['answer', 'intermediate_answer'])
          .optional()
          .describe(
            'The operators’ words VK refused last in the cycle, if any: they did not reach the citizen.',
          ),
        escalated: z
          .literal(true)
          .optional()
          .describe('One of the cycle’s deadlines passed without what was owed.'),
      }),
    )
    .optional()
    .describe(
      'The cycles before the current one (the inquiry was reopened, or rejected and routed back into work), ' +
        'oldest first, as each ended: the statistics count their first responses and answers too. Absent ' +
        'until a second cycle starts, and on inquiries whose cycles ended before they were kept.',
    ),
  escalated: z
    .boolean()
    .describe(
      'A deadline of its current cycle has passed without what was owed. A reopened inquiry (or one ' +
        'rejected and routed back into work) starts without it; its history and `earlierCycles` keep the ' +
        'earlier escalation.',
    ),
  assignee: operatorRef
    .optional()
    .describe(
      'The operator handling it: who took it (`take`), or answered it from the console when no one had (or ' +
        'with `force`). Kept once it is answered, closed or reopened; cleared when it moves to another ' +
        'department.',
    ),
  undelivered: z
    .object({
      outboxId: z.string(),
      purpose: z.enum(['answer', 'intermediate_answer']),
      reason: freeText('Why: VK’s error, or the channel’s missing token.'),
      at: z.string(),
    })
    .optional()
    .describe(
      "The operator's answer (or intermediate answer) that VK refused for good, and why: the citizen did not " +
        'get it. Cleared when an operator answers again or closes the inquiry. If it gave the first response, ' +
        'that is owed again (`firstRespondedAt` cleared).',
    ),
  messageCount: z.number().describe('How many of the citizen’s messages it holds.'),
  lastMessageAt: z.string().describe('When the citizen last wrote (VK’s time of the message).'),
  reopenCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().describe('Incremented on every change.'),
  openingMessage: z
    .object(messagePlace)
    .optional()
    .describe('The message its `text` comes from: VK’s reference and time of it.'),
  routingMessage: z
    .object({ ...messagePlace, rule: z.number().nullable() })
    .optional()
    .describe(
      'The message its category and department come from, and the routing rule it matched (null: triage).',
    ),
  operatorActedAt: z
    .string()
    .optional()
    .describe('When a person last changed it: from then on it is never re-routed automatically.'),
});

/** The answer to a change: the inquiry as changed, and the id of the message to the citizen it queued. */
export const changedInquiry = inquirySummary.extend({
  outboxId: z
    .string()
    .optional()
    .describe(
      'The message to the citizen this change put on the outbox (an answer, an intermediate answer, or the ' +
        'acknowledgement of a rejected message moved into work), the same for a repeated request: the ' +
        '`outboxId` of its `delivery` history entries, and of `undelivered` if VK refuses it. Absent when the ' +
        'change queued none.',
    ),
});

export const inquiryPage = z.object({
  items: z.array(inquirySummary),
  nextCursor: z
    .string()
    .optional()
    .describe(
      'Given while the list may go on, also after a page with fewer items than `limit` or none; ' +
        'absent at its end.',
    ),
});

const classification = {
  inquiry: z.boolean().optional(),
  category: z.enum(CATEGORIES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  confidence: z.number().optional(),
  triage: z.boolean().optional(),
  model: z.string().optional().describe('The model or rule set that classified it.'),
};

/** What each kind of history entry says in its `detail`; every field optional where kinds' writers differ. */
const HISTORY_DETAILS = {
  message: z
    .object({
      messageRef: z.string(),
      text: freeText('The citizen’s own words in this message.'),
      attachments,
      quoted: z.array(quotedMessage).optional(),
      quotedLeftOut: z.number().optional(),
      location: sharedLocation.optional(),
      cropped: z.literal(true).optional(),
      classification: z.object(classification).optional(),
    })
    .describe(
      'A citizen’s message: its words, attachments, what it passed on and where it shares a location.',
    ),
  classified: z
    .object({
      ...classification,
      fromPriority: z.enum(PRIORITIES).optional(),
      toPriority: z.enum(PRIORITIES).optional(),
      terms: slaTerms.optional(),
      dueAt: z.string().optional(),
    })
    .describe('The classifier’s verdict, or (fromPriority/toPriority) a follow-up that raised the priority.'),
  routed: z
    .object({
      department: z.string().optional(),
      rule: z.number().nullable().optional(),
      fromDepartment: z.string().optional(),
      toDepartment: z.string().optional(),
      fromCategory: z.enum(CATEGORIES).optional(),
      toCategory: z.enum(CATEGORIES).optional(),
      category: z.enum(CATEGORIES).optional(),
      fromPriority: z.enum(PRIORITIES).optional(),
      toPriority: z.enum(PRIORITIES).optional(),
      priority: z.enum(PRIORITIES).optional(),
      messageRef: z.string().optional(),
      opening: z.boolean().optional(),
      fromAssignee: operatorRef.optional().describe('Routed to another department: whose it was.'),
      terms: slaTerms.optional(),
      firstResponseDueAt: z.string().optional(),
    })
    .describe(
      'Routed to a department (by a rule, to triage, or by an operator), with its terms and deadline.',
    ),
  rejected: z
    .object({
      department: z
        .string()
        .optional()
        .describe('The triage department it is listed under (none on one recorded before they were listed).'),
      fromDepartment: z.string().optional().describe('Rejected by an operator: the department it was in.'),
      fromAssignee: operatorRef.optional().describe('Rejected by an operator: whose it was.'),
    })
    .describe(
      'Not an inquiry, by the classifier or by an operator (`actorId`, `actorName`, and why: `reason`): ' +
        'listed under the triage department, handed over there from the department it was in, no one’s.',
    ),
  status: z
    .object({
      firstResponseDueAt: z.string().optional(),
      assignee: operatorRef.optional().describe('Taken: whose it is now.'),
      fromAssignee: operatorRef.optional().describe('Taken over: whose it was.'),
    })
    .describe(
      'Taken, closed or reopened (see `from`, `to` and `reason`); a reopening gives the new deadline.',
    ),
  reply: z
    .object({
      text: freeText('The operator’s words.'),
      via: z.enum(REPLY_VIA).describe('console: through this API; vk: an admin answered by hand in VK.'),
      intermediate: z.boolean().optional(),
      firstResponse: z.boolean().optional(),
      resolutionDueAt: z.string().optional(),
      assignee: operatorRef
        .optional()
        .describe(
          'An answer or intermediate answer from the console to an inquiry no one had taken, or sent with ' +
            '`force` to one another operator held: theirs now.',
        ),
      fromAssignee: operatorRef.optional().describe('Sent with `force`: whose the inquiry was.'),
      outboxId: z
        .string()
        .optional()
        .describe(
          'The id of the message that carries the words to the citizen (none for words typed in VK, which ' +
            'VK sent): the `outboxId` of its `delivery` entries and, if VK refused it, of the `undelivered` ' +
            'entry and flag. Match it whole. Absent on entries written before it was kept.',
        ),
    })
    .describe(
      'An operator’s answer, intermediate answer or further word. Its delivery is a `delivery` entry with ' +
        'the same `outboxId`.',
    ),
  message_changed: z
    .object({
      messageRef: z.string(),
      change: z.string().describe('edited, deleted or restored.'),
      text: freeText('The citizen’s words after an edit or restoration.').optional(),
      attachments: attachments
        .optional()
        .describe(
          'What the message carries after an edit or restore (a photo added by an edit), if anything.',
        ),
      previousText: freeText('The citizen’s words before an edit.').optional(),
    })
    .describe('The citizen edited, deleted or restored a message in VK.'),
  warning: z
    .object({
      clock: z.enum(['first_response', 'resolution']),
      cycle: z.number(),
      dueAt: z.string(),
      department: z.string().optional(),
    })
    .describe('A deadline is near.'),
  escalated: z
    .object({
      clock: z.enum(['first_response', 'resolution']),
      cycle: z.number(),
      dueAt: z.string(),
      department: z.string().optional(),
    })
    .describe('A deadline has passed.'),
  delivery: z
    .object({
      outboxId: z.string(),
      purpose: z.enum(OUTBOX_PURPOSES),
      attempt: z.string().describe('`<queue delivery>.<try>`.'),
      result: z.enum(['delivered', 'undeliverable', 'skipped', 'retry', 'token']),
      method: z.string().optional().describe('The VK API method called.'),
      vkId: z.number().optional().describe('The id VK gave the message or comment sent.'),
      vkError: z.number().optional(),
      vkMessage: freeText('VK’s error message.').optional(),
      token: z.string().optional(),
      text: z
        .string()
        .optional()
        .describe(
          'An acknowledgement’s words, as sent (or tried): what the citizen was promised. An operator’s words ' +
            `are in their \`reply\` entry. ${PLAIN_TEXT}`,
        ),
    })
    .describe('One attempt to send a message to the citizen through the VK API, and its result.'),
  moved: z
    .object({
      fromDepartment: z.string().optional(),
      toDepartment: z.string().optional(),
      fromCategory: z.enum(CATEGORIES).optional(),
      toCategory: z.enum(CATEGORIES).optional(),
      fromPriority: z.enum(PRIORITIES).optional(),
      toPriority: z.enum(PRIORITIES).optional(),
      terms: slaTerms.optional(),
      dueAt: z.string().optional(),
      fromAssignee: operatorRef.optional().describe('Moved to another department: whose it was.'),
    })
    .describe('An operator moved it to another department, category or priority.'),
  undelivered: z
    .object({ outboxId: z.string(), purpose: z.enum(['answer', 'intermediate_answer']) })
    .describe('VK refused an operator’s words for good: the citizen did not get them.'),
} satisfies Record<HistoryKind, z.ZodObject>;

/**
 * The documented part of a stored entry's `detail`, nested objects too (zod leaves out keys it does not know):
 * undefined if the stored one does not fit its kind's schema (an entry written by an older version).
 */
export const documentedDetail = (
  kind: HistoryKind,
  detail: Record<string, unknown>,
): Record<string, unknown> | undefined => HISTORY_DETAILS[kind].safeParse(detail).data;

export const isDocumentedKind = (kind: string): kind is HistoryKind => Object.hasOwn(HISTORY_DETAILS, kind);

/** The fields a kind's `detail` documents. */
export const detailFields = (kind: HistoryKind): readonly string[] =>
  Object.keys(HISTORY_DETAILS[kind].shape);

const historyFields = {
  key: z
    .string()
    .describe(
      'Names the entry, the same on every read, and orders the history as it comes: the time of what caused ' +
        'the entry, then an opaque part. Compare it whole; its parts mean nothing else.',
    ),
  at: z.string(),
  actor: z.enum(['citizen', 'classifier', 'router', 'operator', 'escalator', 'responder']),
  actorId: z
    .union([z.number(), z.string()])
    .optional()
    .describe('The citizen’s or VK admin’s VK id, or the operator’s id in the user pool (`sub`).'),

  actorName: z
    .string()
    .optional()
    .describe(
      "An operator's name in the user pool, else the e-mail they sign in with: who did it. An answer typed " +
        `in VK has none. ${PLAIN_TEXT}`,
    ),
  reason: freeText(
    'Why: an operator’s words (a rejection, a closing, a move, a reopening), or what the product says.',
  ).optional(),
  from: z.enum(INQUIRY_STATUSES).optional().describe('The status it changed from, if it changed one.'),
  to: z.enum(INQUIRY_STATUSES).optional(),
  inquiryId: z.string(),
};

const KNOWN_KINDS = Object.keys(HISTORY_DETAILS);

/**
 * One entry of the history, its `detail` typed by its `kind`; a kind added later comes as the last variant,
 * its detail open, so that a client shows its `reason` rather than failing on it.
 */
export const historyEntry = z.union([
  ...Object.entries(HISTORY_DETAILS).map(([kind, detail]) =>
    z.strictObject({ ...historyFields, kind: z.literal(kind), detail }),
  ),
  z
    .strictObject({
      ...historyFields,
      kind: z.string().regex(new RegExp(`^(?!(?:${KNOWN_KINDS.join('|')})$)`)),
      detail: z.record(z.string(), z.unknown()),
    })
    .describe('A kind this document does not know yet: show its `reason`.'),
]);

/**
 * The history entries an inquiry's detail gives, and a page of its history at most: with the 1 MB one Query
 * reads, what keeps the answer within Lambda's 6 MB however long the dialogue grew.
 */
export const HISTORY_PAGE_SIZE = 100;

const historyOrder =
  'In the order of their keys: oldest first, as the dialogue reads. A page holds every entry of each instant it ' +
  'reaches, so it may hold more or fewer than asked.';

export const inquiryDetail = z.object({
  inquiry: inquirySummary,
  history: z
    .array(historyEntry)
    .describe(
      `The newest ${HISTORY_PAGE_SIZE} entries of the history at most (and 1 MB of them), the whole history of ` +
        `most inquiries. ${historyOrder}`,
    ),
  historyCursor: z
    .string()
    .optional()
    .describe(
      'Given when older entries may be left: `GET /api/v1/inquiries/{id}/history?cursor=…` gives them, the ' +
        'next older page first. Absent when `history` starts with the first entry.',
    ),
});

export const historyQuery = z.strictObject({
  cursor: z
    .string()
    .max(200)
    .optional()
    .describe(
      'The `historyCursor` of the inquiry’s detail, or the `nextCursor` of the page before: the entries older ' +
        'than those. Without it, the newest page, as the detail gives it.',
    ),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(HISTORY_PAGE_SIZE)
    .default(HISTORY_PAGE_SIZE)
    .describe('The most entries a page holds, and 1 MB of them at most.'),
});
export type HistoryQuery = z.infer<typeof historyQuery>;

export const inquiryHistoryPage = z.object({
  history: z.array(historyEntry).describe(`Entries older than the cursor's. ${historyOrder}`),
  nextCursor: z
    .string()
    .optional()
    .describe(
      'Given while older entries may be left, also after a page with fewer entries than `limit`: send it as ' +
        '`cursor` for the next older page. Absent once the page starts with the first entry.',
    ),
});

/** The figures of one thing an inquiry owes in each of its cycles: `what` is its plural. */
const answerFigures = (what: string) =>
  z.object({
    count: z.number().describe(`How many ${what} were given (words VK refused do not count).`),
    medianMinutes: z
      .number()
      .nullable()
      .describe(
        `Calendar minutes from the start of the cycle to each of the ${what} given, median: what the ` +
          'citizen waited, nights, weekends and holidays included. Null when none was given.',
      ),
    p90Minutes: z.number().nullable().describe('The same, 90th percentile.'),
    medianWorkingMinutes: z
      .number()
      .nullable()
      .describe(
        `The same in working minutes of the community's calendar, median: as the deadlines count them (a ` +
          'message sent on Friday evening after hours and answered at 09:30 on Monday waited 30 of them). Null ' +
          'when none was given, or the community is no longer configured.',
      ),
    p90WorkingMinutes: z.number().nullable().describe('The same in working minutes, 90th percentile.'),
    inTime: z.number().describe(`How many ${what} were given by their deadline.`),
    late: z
      .number()
      .describe(`How many ${what} were given after their deadline, or are still owed and past it.`),
    inTimeShare: z
      .number()
      .nullable()
      .describe('inTime / (inTime + late), to three places; null when nothing was due yet.'),
  });

export const statisticsGroup = z.object({
  department: z
    .string()
    .describe(
      'The department the inquiries are in now: every figure of an inquiry, of each of its cycles, counts ' +
        'under it, whichever department held the inquiry when what it owed was given or fell due. An ' +
        'inquiry moved to another department, or rejected to triage, takes its figures with it, its lateness ' +
        'too: the department that let a deadline pass and then moved it no longer shows that, and the one it ' +
        'went to does. The history names each move.',
    ),
  community: z.number(),
  total: z.number(),
  byStatus: z.record(z.string(), z.number()),
  byCategory: z.record(z.string(), z.number()),
  firstResponse: answerFigures('first responses').describe(
    'The first response (an intermediate answer or the answer, whichever came first; words VK refused are ' +
      'none, the next ones count at their time), due by ' +
      '`firstResponseDueAt`, in each cycle of each inquiry: from its opening, and from each reopening (or ' +
      'route back into work) on; the cycles it ended are kept in `earlierCycles`.',
  ),
  resolution: answerFigures('answers').describe(
    'The resolution: the answer (or, for an inquiry closed after VK refused its answer, the closing), due by ' +
      '`resolutionDueAt` after an intermediate answer, else by the first response’s deadline, in each cycle ' +
      'of each inquiry, as for `firstResponse`.',
  ),
  answeredInTimeShare: z
    .number()
    .nullable()
    .meta({ deprecated: true })
    .describe('`firstResponse.inTimeShare`, under its first name: it counts first responses only.'),
});

export const statistics = z.object({ from: z.string(), to: z.string(), groups: z.array(statisticsGroup) });

export const directory = z.object({
  departments: z
    .array(z.object({ id: z.string(), name: z.string() }))
    .describe('Every department: its id (as inquiries, lists and `move` name it) and its name.'),
  communities: z
    .array(
      z.object({
        groupId: z.number().describe('The VK community’s id, as inquiries name it (`groupId`).'),
        name: z.string(),
        timeZone: z
          .string()
          .describe(
            'The IANA time zone its working hours and deadlines are kept in: show its times (all UTC in the ' +
              'API) in it.',
          ),
      }),
    )
    .describe('Every VK community the product answers for.'),
});

export const me = z.object({
  id: z
    .string()
    .describe("Your id in the user pool (`sub`): the `actorId` of what you do, an `assignee`'s id"),
  name: z
    .string()
    .describe(
      `What colleagues read as who did it (\`actorName\`): the \`name\` in the user pool, else your e-mail. ${PLAIN_TEXT}`,
    ),
  admin: z.boolean().describe('In `admins`: you see and change every department’s inquiries.'),
  departments: z
    .array(z.object({ id: z.string(), name: z.string() }))
    .describe(
      'The departments you are an operator of (your `dept-<id>` groups), as the directory names them: whose ' +
        "inquiries you see and change. An admin may be in none and still sees every department's.",
    ),
});

/**
 * The code of every error the operator API gives, with the status it comes with: what a console branches on.
 * The `message` beside it is for people, and may be reworded.
 */
export const ERROR_CODES = {
  validation_failed:
    '400: the query, the body or a header does not fit (`issues` says where), or names what is not there (a department, a cursor)',
  unauthorized: '401: no valid token',
  forbidden: '403: not an operator of the department asked for',
  not_found: '404: no such inquiry (or not one of your departments), or no such route',
  taken_by_other:
    '409: another operator holds the inquiry (`holder`): take it, or answer it, with `force` to do so all the same',
  already_yours: '409: the inquiry is yours already',
  not_allowed_in_state: '409: the inquiry’s status does not allow this change',
  changed_meanwhile:
    '409: someone changed the inquiry while a `reply` or `move` was made, so that it would now mean something else',
  community_not_configured: '409: the inquiry’s VK community is no longer configured',
  precondition_failed: '412: `If-Match` named another version than the inquiry’s (`current`)',
  period_too_full: '422: the period holds more inquiries than one request can count: ask for a shorter one',
  internal_error: '500: something failed on our side',
  unavailable: '503: the change is saved, but its message to the citizen is not yet queued',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
const errorCodes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export const problem = z.object({
  code: z.enum(errorCodes).describe(
    `What went wrong, for a program: stable, unlike \`message\`. ${Object.entries(ERROR_CODES)
      .map(([code, what]) => `${code}: ${what}`)
      .join('; ')}.`,
  ),
  message: z.string().describe('What went wrong, for people: it may be reworded, so branch on `code`.'),
  issues: z.array(z.string()).optional().describe('validation_failed: each part that does not fit, and why.'),
  holder: z
    .object({ id: z.string(), name: z.string() })
    .optional()
    .describe('taken_by_other: who holds the inquiry (`assignee`).'),
  current: z
    .object({ status: z.enum(INQUIRY_STATUSES), version: z.number() })
    .optional()
    .describe(
      'precondition_failed: the inquiry as it is now, which `If-Match` did not name: its status and version.',
    ),
  idempotencyKey: z
    .string()
    .optional()
    .describe(
      'unavailable: the `Idempotency-Key` the change is saved under (the one it came with, or the one it was ' +
        'given): repeat the request with it to queue the message, not to make another change.',
    ),
});

export type Problem = z.infer<typeof problem>;

/**
 * What API Gateway answers by itself, before or instead of the function: a token refused (401), a request
 * throttled (429), the function failed or timed out (500). Its body has only `message`; the function's own
 * answers with these statuses carry a `code` too.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 */
export const gatewayProblem = z.object({
  message: z.string().describe('`Unauthorized`, `Too Many Requests`, `Internal Server Error`…'),
  code: z.enum(errorCodes).optional().describe('Only on the function’s own answers: see the other errors.'),
});
