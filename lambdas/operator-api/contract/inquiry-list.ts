import * as z from 'zod';
import { QUERY_PAGES_PER_REQUEST } from '../../adapters/list-pages.js';
import { parseCaseNumber } from '../../domain/inquiry/case-number.js';
import { INQUIRY_STATUSES, OPEN_STATUSES } from '../../domain/inquiry/inquiry.js';
import { commentedPlaceOf } from '../../domain/operator/commented-place.js';
import { COMMENTED_PLACES } from '../../domain/operator/list-criteria.js';
import { CATEGORIES, PRIORITIES } from '../../domain/taxonomy.js';
import { askedCommunity, askedDepartment } from './fields.js';

/** An operator's id in the user pool (`sub`): a UUID there, a name locally; no space, no control character. */
const OPERATOR_ID = /^[!-~]{1,128}$/;

/**
 * The shape of a place citizens comment under, as VK names it (`wall-123456789_42`, `-123456789_42`,
 * `topic-…`, `photo-…`, `video-…`, `product-…`) or as its address in VK begins (`https://vk.com/…`, `m.vk.com`,
 * `vk.ru`, `vkontakte.ru`; the scheme in any case, as a phone's keyboard may capitalise it): what the document
 * shows; commentedPlaceOf reads it exactly.
 */
const PLACE_SHAPE = new RegExp(
  `^(?:(?:${COMMENTED_PLACES.join('|')})?-?[1-9][0-9]{0,14}_[1-9][0-9]{0,14}|(?:[Hh][Tt][Tt][Pp][Ss]?://)?(?:(?:m|www)\\.)?(?:vk\\.(?:com|ru)|vkontakte\\.ru|vkvideo\\.ru)/.*)$`,
);

const PLACE_FORMS =
  'a wall post, board topic, photo, video or product as VK names it, as in -123456789_42 or ' +
  'wall-123456789_42, topic-123456789_5, photo-123456789_7, video-123456789_8, product-123456789_9, or its ' +
  'address in VK, as in https://vk.com/wall-123456789_42 (m.vk.com, vk.ru and vkontakte.ru too; a video on ' +
  'vkvideo.ru too)';

/** GET /api/v1/inquiries: what a list of inquiries may ask for. */
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
    community: askedCommunity,
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
          'comments are closed…), or that failed every try and waits in the dead-letter queue, so that the ' +
          'citizen got nothing: they are back in open work with `undelivered` set until an operator answers ' +
          'again or closes them (or the answer, replayed, is delivered); false: the others.',
      ),
    settled: z
      .enum(['true', 'false'])
      .optional()
      .describe(
        'true: the inquiries whose citizen wrote, while the inquiry was open, that their matter is settled or ' +
          'withdrawn (`citizenSettledAt`), for an operator to read and answer or close (with `order=urgent` or ' +
          '`assignee=none`, the open ones; answered and closed ones keep it until a new cycle); false: the ' +
          'others. Words that settled a matter with no case to join opened none (`rejected` under triage, ' +
          'without `citizenSettledAt`). A filter like the others (see `limit`).',
      ),
    assignee: z
      .union([
        z.enum(['me', 'none']),
        z.string().regex(OPERATOR_ID, 'an operator’s id (`assignee.id`), me or none'),
      ])
      .optional()
      .describe(
        'me: the inquiries the operator asking handles (`assignee`: taken, or answered when no one had), in any ' +
          'status; none: the open inquiries no one has taken, the work left to take; an operator’s id (their ' +
          '`sub`, as `assignee.id` and a history entry’s `actorId` give it): the inquiries they hold in the ' +
          'departments asked, in any status, for an admin or a colleague to find what an operator moved to ' +
          'another department, or gone, still holds, and `release` it or take it over.',
      ),
    order: z
      .enum(['newest', 'urgent'])
      .default('newest')
      .describe(
        'newest: by opening time, every status; urgent: open inquiries by their running deadline, nearest ' +
          'first, those with no running clock last. The urgent order (and `overdue`) is the deadline now, not ' +
          'when the first page was read: an inquiry whose deadline moves while the list is paged comes again ' +
          'on a later page (an intermediate answer starts its later resolution deadline) or is passed over (a ' +
          'priority raised, by a follow-up or by hand, brings it ahead of the cursor). Keep one of each `id`, ' +
          'and read the list again from its first page after acting on an inquiry, and every few minutes.',
      ),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(20)
      .describe(
        'The most inquiries a page holds. A filtered list (status, category, priority, community, post, ' +
          'undelivered, settled, assignee, author) reads of each department one inquiry more than the page still wants, ' +
          'then twice as many with each further read while the page is short (1 MB of the index at most a ' +
          `read), and reads on while the page is empty, up to ${QUERY_PAGES_PER_REQUEST} reads a request (one ` +
          "a department where an admin's are more). With several departments a page ends where the first of " +
          'them that may hold more stopped reading, so that pages keep the list in order: what the others ' +
          'matched past that point is left for the next page. A page may so hold fewer than asked, or none ' +
          "though matches were read, and give a `nextCursor`: follow it to the list's end.",
      ),
    cursor: z
      .string()
      // Empty, it would start the list again at its first page, as if the console had sent none.
      .min(1, 'the cursor is not one this API gave')
      .max(4000)
      .optional()
      .describe(
        'The `nextCursor` of the previous page, sent with the same query: the same `department`, filters, ' +
          '`order` and `overdue` (`limit` may change). Sent with another, it answers 400: it would skip what ' +
          'the other query read past. The list has ended when a page gives no `nextCursor`. It holds where the ' +
          'last page stopped, not a copy of the list: what changed since is read as it is now (see `order`).',
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
    post: z
      .string()
      .max(2000)
      .regex(PLACE_SHAPE, { message: PLACE_FORMS, abort: true })
      .refine((text) => commentedPlaceOf(text) !== undefined, { message: PLACE_FORMS, abort: true })
      // A board is a community's: VK names a topic by the community's negative id, as in topic-123456789_5.
      .refine(
        (text) => {
          const place = commentedPlaceOf(text);
          return place?.kind !== 'topic' || place.ownerId < 0;
        },
        {
          message: "a board topic is a community's: topic-<group>_<topic>, as in topic-123456789_5",
        },
      )
      .optional()
      .describe(
        'One wall post, as VK names it in its address (`https://vk.com/wall-123456789_42`: `-123456789_42`, ' +
          '`wall-123456789_42` too; `replyTo.ownerId` and `replyTo.postId` of an inquiry under it): the post, ' +
          'when a citizen wrote it, and the comments under it, threads included. What many citizens write ' +
          'under one post of the community (a district without water) is found so, to answer it all. ' +
          'So too the comments in one board topic (`topic-123456789_5`, as in ' +
          '`https://vk.com/topic-123456789_5`; `replyTo.groupId` and `replyTo.topicId`), under one photo ' +
          '(`photo-123456789_7`; `replyTo.ownerId` and `replyTo.photoId`), video (`video-123456789_8`; ' +
          '`replyTo.videoId`) or market product (`product-123456789_9`; `replyTo.itemId`). Its whole address ' +
          'as the browser shows it is taken too, URL-encoded as a query parameter is (`encodeURIComponent`): ' +
          '`https://vk.com/wall-123456789_42`, with or without `https://` (or `http://`), on `m.vk.com`, ' +
          '`vk.ru` or `m.vk.ru` (a video on `vkvideo.ru` too: `https://vkvideo.ru/video-123456789_8`), with ' +
          'what VK adds after it (`?reply=7`, `?post=3`), or the place VK opened over another page ' +
          '(`https://vk.com/club123456789?w=wall-123456789_42`, `?z=photo-123456789_7`); ' +
          'each address names what its short form names. A filter like the others (see `limit`): a page may ' +
          'hold none and still give a `nextCursor`.',
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
          "community's inquiry, also of a community taken out of the configuration (400 when such a community " +
          "has none of that number); without, each configured community's of that number. One page, no " +
          '`nextCursor`; only ' +
          '`community` and `department` may go with it (400 otherwise). One of a department not yours is not ' +
          'listed: if it was yours, and was moved or rejected out of your departments, `leftYourDepartments` ' +
          'names it, as its detail answers you 403 `left_your_departments`; else nothing is said of it, as of a ' +
          'number there is not. Inquiries opened before case numbers have none: find them by id.',
      ),
  })
  // Asked together, these can match nothing: a 400 says why, rather than an empty list after reading much of
  // the index. The urgent and overdue lists read an index of open inquiries only (inquiry-items.ts, gsi1).
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
