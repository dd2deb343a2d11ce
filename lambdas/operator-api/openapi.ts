import * as z from 'zod';
import { answerTemplate, answerTemplateBody, answerTemplateList } from './contract/answer-templates.js';
import {
  closeBody,
  moveBody,
  noteBody,
  rejectBody,
  releaseBody,
  reopenBody,
  takeBody,
  textBody,
} from './contract/changes.js';
import { directory, me } from './contract/directory.js';
import { gatewayProblem, problem } from './contract/errors.js';
import { historyEntry, inquiryDetail, inquiryHistoryPage } from './contract/history.js';
import {
  attachment,
  changedInquiry,
  inquiryPage,
  inquirySummary,
  leftCase,
  operatorRef,
  quotedMessage,
  sharedLocation,
  slaTerms,
} from './contract/inquiry.js';
import {
  departmentOperators,
  operatorStatistics,
  operatorStatisticsCsv,
} from './contract/operator-statistics.js';
import { repliedInquiry, repliesAnswer, repliesBody, replyResult } from './contract/replies.js';
import { statistics, statisticsCsv, statisticsGroup } from './contract/statistics.js';
import { departmentWorkload, workloadOverview } from './contract/workload.js';
import { IDEMPOTENCY_KEY_PATTERN, PATH_PARAMETER_PATTERN, ROUTES, TAGS } from './routes.js';

/**
 * The document's version, newest first, each with what changed: a new one for every change of what the
 * document says (test/unit/operator/openapi-version.test.ts fails on a change under the same version).
 */
const VERSIONS: [version: string, changes: string][] = [
  [
    '1.6.0',
    '`GET /api/v1/workload` (`getWorkloadOverview`, `WorkloadOverview`, tag `statistics`) gives the open work ' +
      'now of every department the operator may see (an admin: every configured one), a row each with the ' +
      'figures its department workload gives at the same moment (open, critical, by status and priority, ' +
      'overdue, due soon, unassigned, the longest overdue), the most overdue first, and their totals; a ' +
      'department not read in time is named in `unfinished` and comes first, a row with `counted` false and ' +
      'null figures, in no total; ' +
      'an operator’s words on an inquiry (`TextBody`’s `text`, `NoteBody`’s `text`, every `reason`) name at ' +
      'most 10 people by their VK id (a mention, a link to their page): more answers 400 ' +
      '(`validation_failed`); a mention of a citizen erased in the community lately is stored and sent as ' +
      '`[упоминание удалено]`, and words that fit only as typed answer 400 saying so; ' +
      '`POST /api/v1/replies` (`replyToInquiries`, `RepliesBody`: `inquiries`, 1 to 100 ids, each once, `text`, ' +
      '`force`) sends one answer to many inquiries, each answered as its own `reply` (its access, holder, case ' +
      'line and limit), a few at a time; it answers 200 with `Replies`: `answered`, `refused` and a ' +
      '`ReplyResult` per inquiry in the order asked (`status`, and `inquiry`, a `RepliedInquiry` of its ' +
      '`caseNumber`, `status`, `version` and `outboxId`, or `problem`); it takes an ' +
      '`Idempotency-Key`, required (each inquiry’s answer keyed by it, the words and the inquiry: a repeat answers none ' +
      'twice) and no `If-Match`; a failure of the table or the queue, or the time running out, answers 503 ' +
      '`unavailable` with the key, to repeat it and answer the rest; ' +
      '`GET /api/v1/statistics/operators` (`getOperatorStatistics`, `OperatorStatistics`, tag `statistics`), ' +
      'with the query, rights and 422 `period_too_full` of the statistics: per department, per operator, the ' +
      'answers each is credited with (`answered`, `resolution` timed and judged as the statistics’) and the ' +
      'open inquiries each holds (`holding`), and `uncredited`, what no operator is credited with; the rows add ' +
      'up to the statistics’ `resolution`; as a spreadsheet for `Accept: text/csv` (`OperatorStatisticsCsv`)',
  ],
  [
    '1.5.0',
    '`GET /api/v1/statistics` answers the same figures as a spreadsheet for `Accept: text/csv` ' +
      '(`StatisticsCsv`: UTF-8 with a byte order mark, `;` between cells, a decimal comma, a header row in ' +
      'Russian, one row per group, a column for every status and category), as an attachment ' +
      '(`Content-Disposition`, a browser may read it); JSON stays the answer to no `Accept`, `*/*` and ' +
      '`application/json`, and an `Accept` that allows neither answers 406 `not_acceptable`; its answers ' +
      'give `Vary: accept`. The `post` filter takes `vkontakte.ru` and a scheme in any case too. A `note` is ' +
      'taken on an inquiry of a community no longer configured (no 409 `community_not_configured`). ' +
      '`GET /api/v1/departments/{department}/workload` (`getDepartmentWorkload`, `DepartmentWorkload`, tag ' +
      '`statistics`) counts the department’s open work now: open, by status, priority and category, ' +
      '`critical`, `overdue` and `unassigned` as the lists count them, `dueSoon` (past the warning point), ' +
      'who holds how many (`byAssignee`) and the longest overdue (`oldestOverdue`), for its operators and ' +
      'admins (403 to others, 400 for a department not configured); error code `too_much_open_work` (422)',
  ],
  [
    '1.4.0',
    'A department’s answer templates, the standard texts its operators answer with, kept by them (tag ' +
      '`answerTemplates`): `GET /api/v1/departments/{department}/answer-templates` ' +
      '(`listAnswerTemplates`, `AnswerTemplateList`: every one, by title), `PUT …/answer-templates/{templateId}` ' +
      '(`putAnswerTemplate`, `AnswerTemplateBody`: `title` and `text`; a new one or a replacement, its version ' +
      'as `ETag`, `If-Match` honoured) and `DELETE …/answer-templates/{templateId}` (`deleteAnswerTemplate`, 204), ' +
      'for the department’s operators and admins (403 to others, 400 for a department not configured); error ' +
      'code `too_many_templates` (409); `precondition_failed` is a template’s too; the API takes PUT and DELETE ' +
      '(and a browser’s preflight allows them)',
  ],
  [
    '1.3.0',
    '`POST /api/v1/inquiries/{id}/note` (`addInquiryNote`, `NoteBody`: `text`, 1–2000 characters) keeps an ' +
      'operator’s internal note in the history, a `note` entry (`NoteEntry`) naming them, its words its ' +
      '`reason`: never sent to the citizen, it changes nothing else (status, deadlines, first response, ' +
      'holder), in any status, whoever holds the inquiry; it needs no `If-Match`, and moves the version on as ' +
      'any change',
  ],
  [
    '1.2.0',
    'a `routed` history entry of an inquiry opened by a new matter, written soon after the citizen’s ' +
      'previous inquiry was answered or closed, names that inquiry: `previousInquiryId`, `previousCaseNumber`; ' +
      'and so does the inquiry itself, as `follows` (with its `department` then), to an admin and an operator of ' +
      'the department that inquiry is in now; to anyone else `follows` is `{ "otherDepartment": true }` and the entry ' +
      "names no earlier case, saying only that it was in another department; a history entry's `key` of a message written before an " +
      'answer and routed after it orders it after the answer; a `community` not configured answers 400, as a ' +
      'department does, in lists and the statistics, and in a lookup by case number where it has none; a GET or POST of a path under `/api/v1` no ' +
      'route has answers 404 `no_such_route` (`not_found` is an inquiry’s only), and a route’s path under the ' +
      'other of the two 405 `method_not_allowed` with `Allow` (API Gateway answers other methods and paths ' +
      'itself, 404); every 400 gives `issues`, each named by the query parameter, body ' +
      'field or header at fault (a parameter the route does not take too), or by `query` or `body` as a whole; ' +
      'an empty list `cursor` answers 400; `caseNumber` with `order` or `limit` answers 400, as its ' +
      'description said; API Gateway’s 413 is declared on every route; ' +
      '`close` also takes a reopened inquiry whose ' +
      'answer before the reopening did not reach the citizen; `earlierCycles[]` give `endedAt` and `terms`, ' +
      'and `refused: answer` for an answer VK refused after the next cycle began (`refused: ' +
      'intermediate_answer` for the intermediate answer that was its first response: no longer counted as ' +
      'one); `firstResponseStartedAt` of ' +
      'an inquiry rejected and routed back keeps the start of the citizen’s wait; the statistics count a ' +
      'cycle rejected and routed back late if its deadline passed before the rejection, and working minutes ' +
      'of terms round the clock as every minute; the words of a `reply` or an `intermediate-answer` reach ' +
      'the citizen after a line naming the case, which counts against their limit; `terms.warnAtFraction`, ' +
      'when the department is warned, where the configuration sets it for the priority; ' +
      'a message taken for no inquiry whose words the citizen edited into their newer inquiry keeps its own ' +
      '`text` and gives `wordsJoined`, its `message_changed` entry `joined` (not the words); its `move` answers ' +
      '409 `words_joined`, naming the case in `joined`; these (and the entry’s `reason`, the 409’s `message`) ' +
      'name that case by its id and number to an admin and an operator of the department it is in now, and ' +
      'to anyone else as `{ "otherDepartment": true }`, the citizen’s inquiry in another department; a ' +
      'rejected inquiry routed back into work after it was in work queues no acknowledgement (no `outboxId`): its first routing told the case number; ' +
      'an inquiry whose opening message the citizen edited after an answer gives `editedAfterAnswerAt`, the ' +
      '`message` entry of words an answer covered keeps them (`editedAfterAnswerAt`), and a `message_changed` ' +
      'entry of such an edit gives `afterAnswer` (`reopened`: it reopened the inquiry; `recorded`); ' +
      '`close`, `reopen`, `reject`, and a `move` to another department, of an inquiry another operator holds ' +
      'answer 409 `taken_by_other` (with `holder`) unless sent with `force: true` (`CloseBody`, `ReopenBody`, ' +
      'which replaces `ReasonBody`, `RejectBody`; a forced close or reopening makes it the closer’s or ' +
      'reopener’s); every 409 of a change gives `current` (the inquiry’s status and version now) and ' +
      '`ETag`, as a 412 does; a change to an inquiry that was in your departments (or yours) and that a ' +
      'colleague moved or rejected out of them answers 409 `left_your_departments`, not 404: the change was not ' +
      'made, nothing was sent; its detail and history answer 403 `left_your_departments` (with `current`), not ' +
      '404, where it is not said, and a lookup by its `caseNumber` names it in `leftYourDepartments` ' +
      '(`LeftCase`: its community, number and `current`), not as no case; an inquiry gives `maxTextLength`, the most characters of words to it (the ' +
      '`TextBody` `maxLength` of 9000 less the line naming the case), and words over 9000 answer 400 with that ' +
      'figure too; `order` and `cursor` say that an urgent list is paged by the deadline as it is now (an ' +
      'inquiry may come twice or be passed over: keep one of each `id` and read again from the first page); a ' +
      '`moved` history entry of a priority set back that undid the escalation a raise to critical made gives ' +
      '`escalationUndone`, and one that put back a deadline passed and escalated gives `escalatedDueAt`, the ' +
      'deadline it replaced; a `message` history entry of a message changed in VK gives `changedAt`, when the ' +
      'newest change reached us, and `deleted`, and says that its `text` is the words as they stand now (those ' +
      'each edit replaced are its `message_changed` entry’s `previousText`); a history entry’s `actor` may be ' +
      '`community`: a `message_changed` entry of a comment a community admin deleted in VK (`actorId` their VK ' +
      'id), which no longer marks the inquiry `withdrawn`; a `message` entry gives `receivedAt`, when the ' +
      'message reached us, and every entry’s `at` says by whose clock it is (a message’s: VK’s, when the ' +
      'citizen wrote it); a `delivery` entry’s `text` is said to be absent for an operator’s words, whose line ' +
      'naming the case is kept nowhere; `undelivered` also flags an operator’s words that failed every try and ' +
      'wait in the dead-letter queue (its `reason` ending "kept in the dead-letter queue"), listed by ' +
      '`undelivered=true`; replayed from there and delivered, they clear it, and an answer answers the inquiry ' +
      'at that time (a `status` entry by the responder, with the `outboxId`); replayed and refused, or dropped, ' +
      'they keep it, its `reason` saying so and its `at` when they were flagged; a page of a list (and a ' +
      'lookup by `caseNumber`) gives `asOf`, the time it was read as of by the API’s clock; `release` ' +
      '(`ReleaseBody`: `reason`) lets go of an inquiry its holder holds, or an admin of one anybody holds: no ' +
      'one’s then, its `status` entry naming whose it was (`fromAssignee`), a colleague who is no admin ' +
      'answered 409 `taken_by_other` (ops’ `operators:release` lets go of all an operator holds at once, its ' +
      'entries’ `actorId` `ops:operators-release`); a list’s `assignee` also takes an operator’s id, listing the inquiries ' +
      'they hold in the departments asked; a list’s `post` (`-123456789_42`, as VK names a wall post) lists ' +
      'that post and the comments under it, and, as VK names them too, one board topic’s comments ' +
      '(`topic-123456789_5`) or those under one photo, video or market product (`photo-123456789_7`, ' +
      '`video-…`, `product-…`), each also by its address in VK as the browser shows it, URL-encoded ' +
      '(`https://vk.com/wall-123456789_42?reply=7`, `m.vk.com`, `vk.ru`, a video on `vkvideo.ru`, or ' +
      'opened over another page: ' +
      '`?w=wall-123456789_42`); an inquiry gives `citizenSettledAt` when the citizen wrote, while ' +
      'it was open, that their matter is settled or withdrawn (an ended cycle in `earlierCycles` keeps it), ' +
      'a list’s `settled=true` lists those (`false` the others), and the statistics count them ' +
      '(`citizenSettled`); an inquiry whose item in the table does not read as one (edited by hand) answers ' +
      '500 `stored_item_malformed` to a read or change of it, and lists and the statistics leave it out',
  ],
  [
    '1.1.0',
    "an inquiry's detail gives the newest 100 entries of its history and `historyCursor`, and " +
      '`GET /api/v1/inquiries/{id}/history` the older ones; only the ID token is taken (an access token answers ' +
      '401); operation ids, tags and shared schemas (`components.schemas`); the `move` body says that it ' +
      "needs a department, a category or a priority; API Gateway's own 401, 429 and 500 are described as it " +
      'sends them',
  ],
  ['1.0.0', 'the first'],
];

const schemaOf = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;

const COMPONENT = '#/components/schemas/';

/** The shared schemas, each emitted once into `components.schemas` and named by `$ref` where used. */
function registry(schemas: Record<string, z.ZodType>) {
  const named = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) named.add(schema, { id });
  return named;
}

const kindName = (kind: string) =>
  kind.replace(/(^|_)([a-z])/g, (_whole, _separator, letter: string) => letter.toUpperCase());

/** What the API answers: read as given (`output`). */
const answers = registry({
  Inquiry: inquirySummary,
  ChangedInquiry: changedInquiry,
  InquiryPage: inquiryPage,
  LeftCase: leftCase,
  InquiryDetail: inquiryDetail,
  HistoryPage: inquiryHistoryPage,
  HistoryEntry: historyEntry,
  // Each kind of entry a type of its own in a generated client; the last, a kind this version does not know.
  ...Object.fromEntries(
    historyEntry.options.map((entry) => {
      const kind = entry.shape.kind;
      return [
        kind instanceof z.ZodLiteral ? `${kindName(String(kind.value))}Entry` : 'OtherKindEntry',
        entry,
      ];
    }),
  ),
  Operator: operatorRef,
  SlaTerms: slaTerms,
  QuotedMessage: quotedMessage,
  Attachment: attachment,
  SharedLocation: sharedLocation,
  Statistics: statistics,
  StatisticsGroup: statisticsGroup,
  StatisticsCsv: statisticsCsv,
  OperatorStatistics: operatorStatistics,
  DepartmentOperators: departmentOperators,
  OperatorStatisticsCsv: operatorStatisticsCsv,
  DepartmentWorkload: departmentWorkload,
  WorkloadOverview: workloadOverview,
  Directory: directory,
  Me: me,
  AnswerTemplate: answerTemplate,
  AnswerTemplateList: answerTemplateList,
  Replies: repliesAnswer,
  ReplyResult: replyResult,
  RepliedInquiry: repliedInquiry,
  Problem: problem,
  GatewayProblem: gatewayProblem,
});

/** What the API takes: read as sent (`input`). */
const requests = registry({
  TakeBody: takeBody,
  TextBody: textBody,
  CloseBody: closeBody,
  ReopenBody: reopenBody,
  RejectBody: rejectBody,
  ReleaseBody: releaseBody,
  MoveBody: moveBody,
  NoteBody: noteBody,
  AnswerTemplateBody: answerTemplateBody,
  RepliesBody: repliesBody,
});

/** A registry's schemas as OpenAPI 3.0 components: `$id` is no keyword of its Schema Object. */
function componentsOf(named: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output') {
  const { schemas } = z.toJSONSchema(named, {
    io,
    unrepresentable: 'any',
    target: 'openapi-3.0',
    uri: (id) => `${COMPONENT}${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(Object.entries(schemas).map(([id, { $id: _uri, ...schema }]) => [id, schema]));
}

/** A reference to a shared schema: each route's body and answers are one. */
function ref(named: z.core.$ZodRegistry<{ id: string }>, schema: z.ZodType) {
  const id = named.get(schema)?.id;
  if (id === undefined)
    throw new Error('a route’s body or answer is no shared schema: name it in openapi.ts');
  return { $ref: `${COMPONENT}${id}` };
}

/**
 * What any route may answer, API Gateway too, before or instead of the function (its body then has only
 * `message`, and none of the function's headers): https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 * for 413 (an HTTP API's payload size), https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 * for 429, https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html for
 * the authorizer's `WWW-Authenticate`.
 */
const everyRoute = {
  '401': {
    description:
      'No valid token: API Gateway’s JWT authorizer answers `{"message":"Unauthorized"}`; a token it lets ' +
      'through that is not the user pool’s ID token (an access token) is refused by the API (`unauthorized`, ' +
      '`message` says why). `WWW-Authenticate` tells why in both',
    headers: {
      'WWW-Authenticate': {
        description: 'Why the token was refused, as `Bearer` with `error` and `error_description`',
        schema: { type: 'string', example: 'Bearer error="invalid_token", error_description="…"' },
      },
    },
  },
  '413': {
    description:
      'The body is larger than API Gateway takes (10 MB): it refuses it itself, with a `message` only; nothing ' +
      'was done. No body this API takes comes near it',
  },
  '429': {
    description:
      'Too many requests: the stage’s throttle refused this one (API Gateway answers `{"message":"Too Many ' +
      'Requests"}`); nothing was done: repeat it a little later',
  },
  '500': {
    description:
      'Something failed on our side (`internal_error`, with `Cache-Control: no-store` and `X-Content-Type-Options: ' +
      'nosniff`), or the function failed or timed out (API Gateway answers `{"message":"Internal Server ' +
      'Error"}`, without them); a change may or may not be saved: repeat it with the same `Idempotency-Key`',
  },
};

/**
 * What every change may answer, beside its own (412 and 503 below). `changed_meanwhile` is not among them:
 * only a change that becomes another event on what the inquiry has become (`reply`, `move`) gives it, and
 * those routes say so themselves.
 */
const everyChange = {
  '400': 'The body or a header does not fit (`validation_failed`, `issues` tells where)',
  '404': 'No such inquiry, or not one of your departments, nor ever one that was (`not_found`)',
  '409':
    'The change is refused: the inquiry’s status does not allow it (`not_allowed_in_state`), or its ' +
    'community is no longer configured (`community_not_configured`)',
};

/**
 * On every answer of the API's function (answer-headers.ts), not on API Gateway's own (its authorizer's 401,
 * a body too large's 413, a throttled 429, its 500 for a function that failed): those hold no citizen's data.
 */
const answerHeaders = {
  'Cache-Control': {
    description:
      '`no-store`: the answer holds citizens’ words and ids; keep no copy of it. A change sent with the ETag ' +
      'read (`If-Match`) works the same',
    schema: { type: 'string', example: 'no-store' },
  },
  'X-Content-Type-Options': {
    description:
      '`nosniff`: the answer is what its `Content-Type` says (JSON, or the statistics’ CSV), never to be read as HTML',
    schema: { type: 'string', example: 'nosniff' },
  },
};

/** On the 200 of a route that answers in another form beside JSON, as `Accept` asks (answer-form.ts). */
const formHeaders = {
  Vary: {
    description: '`accept`: the answer is JSON or the other form, as `Accept` asked',
    schema: { type: 'string', example: 'accept' },
  },
  'Content-Disposition': {
    description:
      'On the other form only: `attachment`, with the file name it is saved under, naming the scope and the ' +
      'period (`statistics_housing_2026-12-01_2027-01-01.csv`)',
    schema: { type: 'string', example: 'attachment; filename="statistics_2026-12-01_2027-01-01.csv"' },
  },
};

/** An error the function answers: a problem, with its headers. */
const errorAnswer = (description: string) => ({
  description,
  headers: answerHeaders,
  content: { 'application/json': { schema: ref(answers, problem) } },
});

/**
 * A change refused on the inquiry as it is: a problem with `current`, and the inquiry's version as `ETag`. Any
 * change may find the inquiry gone from the operator's departments while they wrote (change-inquiry.ts).
 */
const conflictAnswer = (description: string) => ({
  description:
    `${description}. Or the inquiry left your departments since you read it, a colleague having moved or ` +
    'rejected it (`left_your_departments`): your change was not made and nothing was sent to the citizen; ' +
    'where it went is not said. `current` gives the inquiry’s status and version now, and `ETag` its version',
  headers: { ...answerHeaders, ...etag },
  content: { 'application/json': { schema: ref(answers, problem) } },
});

/** The handler's answer when a change is saved but its message to the citizen could not be queued. */
const notQueued = {
  description:
    'The change is saved, but its message to the citizen could not be queued (`unavailable`): repeat the ' +
    'request with the `Idempotency-Key` this answer gives (the one it was sent with, or else the one it was ' +
    'given), after `Retry-After` seconds, to queue it; the change is not made twice. Repeated without it, it ' +
    'would be a new change.',
  headers: {
    ...answerHeaders,
    'Retry-After': {
      description: 'Seconds to wait before repeating the request',
      schema: { type: 'integer' },
    },
    'Idempotency-Key': {
      description: 'The key the change is saved under: repeat the request with it (also `idempotencyKey`)',
      schema: { type: 'string' },
    },
  },
  content: { 'application/json': { schema: ref(answers, problem) } },
};

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Names this change: the same action with the same body and key, by the same operator, changes nothing ' +
    'twice, and a repeat after a lost answer or a 503 gets the change as made (and queues its message if the ' +
    'first try did not): 200 with the inquiry while it is in your departments, else 204 with nothing of it. ' +
    'Another action or body under the same key is a new change. Without it, every request is a change of its ' +
    'own, given a key that a 503 hands back.',
  schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source, minLength: 1, maxLength: 100 },
};

/** A change of many inquiries' key: each inquiry's change is made under it (use-cases/reply-to-many.ts). */
const manyInquiriesKey = {
  ...idempotencyKey,
  required: true,
  description:
    'Names this request: each inquiry’s answer is made under it, the words and the inquiry, so that the same ' +
    'words under the same key, by the same operator, answer no inquiry twice, whatever the list or `force` of ' +
    'the repeat: one answered already is given as made. Repeat with it after a 503, a 500 or a lost answer. ' +
    'Required (400 without): a repeat under a key of ours, unknown to a console whose answer was lost, would ' +
    'answer every citizen twice.',
};

/** The answer of a change of many inquiries when some were not made. */
const manyUnfinished = {
  ...notQueued,
  description:
    'Some of the inquiries were answered, the others not yet (`unavailable`): the table or the answers queue ' +
    'failed, or the time ran out. Repeat the request with the `Idempotency-Key` this answer gives, after ' +
    '`Retry-After` seconds: it answers the rest, and gives those answered as made; none is answered twice.',
};

const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'The `ETag` the inquiry was read with (its detail, or the answer to the last change): the change is made ' +
    'only if the inquiry is still at that version, else 412 and nothing changes. A console sends it, so that ' +
    'an operator never answers, closes or moves an inquiry that changed since they read it (answered by a ' +
    'colleague, a new message from the citizen). A repeat of a change made (the same `Idempotency-Key`) is ' +
    'answered as made whatever the version since. Without it, the change is made on the inquiry as it is. Send ' +
    'the ETag as given: a weak one (`W/"3"`) never matches, as If-Match compares strongly.',
  schema: { type: 'string', example: '"3"' },
};

/** The inquiry's version as an ETag, on an answer that gives one inquiry. */
const etag = {
  ETag: {
    description:
      'The inquiry’s `version`, quoted: send it back as `If-Match` with a change made from this view',
    schema: { type: 'string', example: '"3"' },
  },
};

/** An answer template's version as an ETag, on an answer that gives one template. */
const templateEtag = {
  ETag: {
    description:
      'The template’s `version`, quoted: send it back as `If-Match` to replace or delete the template as read',
    schema: { type: 'string', example: '"3"' },
  },
};

const templateIfMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'The template’s `ETag` (its `version` quoted, `"3"`, as the list gives it): the change is made only if ' +
    'the template is still at that version, else 412 and nothing changes, so that a colleague’s edit is never ' +
    'overwritten unseen (a console sends it to replace or delete one it shows). Without it, the template is ' +
    'written, or deleted, as it is. A weak one (`W/"3"`) never matches.',
  schema: { type: 'string', example: '"3"' },
};

/**
 * A template's change refused because a colleague changed or deleted it since it was read, or because what is
 * stored under its id cannot be read (edited by hand) and has no version to match.
 */
const templatePreconditionFailed = {
  description:
    'If-Match named another version: a colleague changed the template since it was read (`ETag` gives its ' +
    'version now), or deleted it (no `ETag`). Nothing changed: read the list again and decide anew. Or what ' +
    'is stored under the id cannot be read (no `ETag`; ops are told): save it without `If-Match` to write it ' +
    'again, or delete it',
  headers: { ...answerHeaders, ...templateEtag },
  content: { 'application/json': { schema: ref(answers, problem) } },
};

/** A change whose answer is no body: made (or, for a delete, there is nothing left to delete). */
const noContent = {
  description: 'Done: nothing to show (a template deleted, or gone already)',
  headers: answerHeaders,
};

/**
 * A repeat of the operator's own change made, the inquiry out of their reach since (change-inquiry.ts): it is
 * answered as made, but with nothing of the inquiry as it is now, which is another department's.
 */
const madeOutOfReach = {
  description:
    'A repeat (the same `Idempotency-Key`, action and body) of a change you made, the inquiry no longer in your ' +
    'departments since (your change handed it on, or you left its department): the change is made, once, and ' +
    'its message to the citizen queued if the first try did not; nothing of the inquiry is shown. Any other ' +
    'change of yours to it answers 409 `left_your_departments`, a read of it 403 `left_your_departments`',
  headers: answerHeaders,
};

/** A change refused because the inquiry moved past the version the operator saw. */
const preconditionFailed = {
  description:
    'If-Match named another version: the inquiry changed since it was read (`current` tells its status and ' +
    'version now; `ETag` too). Nothing changed: read it again and decide anew. Or it named only weak ETags ' +
    '(`W/"3"`), which never match: send the ETag as given',
  headers: { ...answerHeaders, ...etag },
  content: { 'application/json': { schema: ref(answers, problem) } },
};

/** An answer API Gateway may give itself: `message` only, and only the headers `everyRoute` names. */
const gatewayAnswer = (answer: { description: string; headers?: Record<string, unknown> }) => ({
  ...answer,
  content: { 'application/json': { schema: ref(answers, gatewayProblem) } },
});

/** What each path parameter is: every one takes the same characters (routes.ts, PATH_PARAMETER_PATTERN). */
const PATH_PARAMETERS: Record<string, string> = {
  id: 'The inquiry’s `id`, as lists and the detail give it',
  department: 'A department’s id, as the directory gives it',
  templateId:
    'The answer template’s id in the department, 1 to 64 of `A-Za-z0-9_-`, chosen by the console for a new one',
};

const pathParameter = (name: string) => ({
  name,
  in: 'path',
  required: true,
  description: PATH_PARAMETERS[name],
  schema: { type: 'string', pattern: `^${PATH_PARAMETER_PATTERN}$` },
});

/** Who may call: said once, for every route. */
const bearer = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description:
    'The user pool’s ID token (`token_use: id`), never its access token: an access token names the operator by ' +
    'no name, and answers 401. Its `cognito:groups` decide what you see and change: `dept-<id>`, that ' +
    'department’s inquiries; `admins`, every department’s. No OAuth scopes. Locally, a token `npm start` prints.',
};

/** The OpenAPI 3 document of the operator API, generated from the same zod schemas the handler validates with. */
export function openApiDocument(serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const parameters: unknown[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) =>
      pathParameter(match[1] ?? ''),
    );
    if (route.query) {
      const query = schemaOf(route.query, 'input') as {
        properties?: Record<string, { description?: string }>;
        required?: string[];
      };
      // A parameter's description shows beside it in OpenAPI tools; its schema's is easily missed.
      for (const [name, { description, ...schema }] of Object.entries(query.properties ?? {}))
        parameters.push({
          name,
          in: 'query',
          required: query.required?.includes(name) ?? false,
          ...(description && { description }),
          schema,
        });
    }
    if (route.change) parameters.push(idempotencyKey, ifMatch);
    if (route.templateChange) parameters.push(templateIfMatch);
    if (route.manyInquiries) parameters.push(manyInquiriesKey);
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      security: [{ bearer: [] }],
      ...(parameters.length > 0 && { parameters }),
      ...(route.body && {
        requestBody: {
          // A body whose every field may be left out may be left out too: no body is `{}`.
          required: !route.body.safeParse({}).success,
          content: { 'application/json': { schema: ref(requests, route.body) } },
        },
      }),
      responses: {
        ...(route.response
          ? {
              '200': {
                description: 'OK',
                headers: {
                  ...answerHeaders,
                  ...(route.etag === 'inquiry' && etag),
                  ...(route.etag === 'template' && templateEtag),
                  ...(route.form && formHeaders),
                },
                content: {
                  'application/json': { schema: ref(answers, route.response) },
                  ...(route.form && { [route.form.mediaType]: { schema: ref(answers, route.form.schema) } }),
                },
              },
            }
          : { '204': noContent }),
        ...Object.fromEntries(
          Object.entries({ ...(route.change && everyChange), ...route.errors }).map(
            ([status, description]) => [
              status,
              route.change && status === '409' ? conflictAnswer(description) : errorAnswer(description),
            ],
          ),
        ),
        ...Object.fromEntries(
          Object.entries(everyRoute).map(([status, answer]) => [status, gatewayAnswer(answer)]),
        ),
        ...(route.change && { '204': madeOutOfReach, '412': preconditionFailed }),
        ...(route.templateChange && { '412': templatePreconditionFailed }),
        ...(route.queuesMessage && { '503': notQueued }),
        ...(route.manyInquiries && { '503': manyUnfinished }),
      },
    };
  }
  const [[version]] = VERSIONS as [[string, string]];
  return {
    openapi: '3.0.3',
    info: {
      title: 'VK inquiries: operator API',
      version,
      description: [
        "Operators see and answer their departments' inquiries. Send the ID token of the user pool (not its access token, which answers 401; or, locally, a token `npm start` prints) as `Authorization: Bearer …`. Changes take an optional `Idempotency-Key` header (1–100 of `A-Za-z0-9._-`): the same action with the same body and key changes nothing twice (repeated once the inquiry is out of your departments, it answers 204 and shows nothing of it). An inquiry's detail and every change's answer give its `version` as `ETag`: a change sent with it as `If-Match` is made only on that version, else 412 (a console should send it). A department's answer templates are kept with PUT and deleted with DELETE, which take the template's `ETag` as `If-Match` and no `Idempotency-Key`: repeated, each is answered as made. 409: the change is refused, or someone changed the inquiry meanwhile so that it would mean something else. 503: the change is saved but its message to the citizen is not yet queued; repeat it with the `Idempotency-Key` the 503 gives (the one sent, or one given to a change sent without). The server is where this document was fetched from (`servers` is `/`): the paths start with `/api/v1`, so a client elsewhere sets its base URL to the API's bare address (the stack output `OperatorApiUrl`, or `http://localhost:<port>` under `npm start`), and finds this document at `<base URL>/api/openapi.json` (the stack output `OperatorApiDocumentUrl`). Answers are JSON; the statistics also come as a spreadsheet (CSV) for `Accept: text/csv`. Answers hold citizens' words and ids: each carries `Cache-Control: no-store` and `X-Content-Type-Options: nosniff` (API Gateway's own 401, 413, 429 and 500 do not, and hold none). Under `/api/v1`, a GET, POST, PUT or DELETE of a path no route has answers 404 `no_such_route`, and a route's path asked with another of them 405 `method_not_allowed`, naming the path's methods in `Allow`; API Gateway answers any other method there, any path outside `/api/v1` but this document, and this document asked with any method but GET itself, 404 with a `message` only. Free text in them (a citizen's words, an operator's, VK's: `text`, `quoted[].text`, `reason`, a history entry's `detail.text`…) is given back as written, markup included: a console renders it as plain text, never as HTML.",
        `Versions: ${VERSIONS.map(([number, changes]) => `${number}: ${changes}.`).join(' ')}`,
      ].join('\n\n'),
    },
    // Relative: the API answers at the address the document was fetched from, whatever the stage or domain.
    servers: [{ url: serverUrl ?? '/', description: 'Where this document was fetched from' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    components: {
      schemas: { ...componentsOf(answers, 'output'), ...componentsOf(requests, 'input') },
      securitySchemes: { bearer },
    },
    paths,
  };
}
