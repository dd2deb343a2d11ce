import type { z } from 'zod';
import { INQUIRY_ID_PATTERN } from '../domain/inquiry/inquiry-id.js';
import type { AnswerForm, NoInput, RouteDeps, UseCase } from './api.js';
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
import { directory as directorySchema, me as meSchema } from './contract/directory.js';
import { historyQuery, inquiryDetail, inquiryHistoryPage } from './contract/history.js';
import { changedInquiry, inquiryPage } from './contract/inquiry.js';
import { listInquiriesQuery } from './contract/inquiry-list.js';
import { operatorStatistics as operatorStatisticsSchema } from './contract/operator-statistics.js';
import { MAX_INQUIRIES_PER_REPLY, repliesAnswer, repliesBody } from './contract/replies.js';
import { statisticsQuery, statistics as statisticsSchema } from './contract/statistics.js';
import {
  departmentWorkload as departmentWorkloadSchema,
  workloadOverview as workloadOverviewSchema,
} from './contract/workload.js';
import { operatorStatisticsSheet } from './operator-statistics-csv.js';
import { statisticsSheet } from './statistics-csv.js';
import { addNote } from './use-cases/add-note.js';
import {
  deleteAnswerTemplate,
  listAnswerTemplates,
  putAnswerTemplate,
} from './use-cases/answer-templates.js';
import { closeInquiry } from './use-cases/close-inquiry.js';
import { departmentWorkload } from './use-cases/department-workload.js';
import { directory } from './use-cases/directory.js';
import { getHistory } from './use-cases/get-history.js';
import { getInquiry } from './use-cases/get-inquiry.js';
import { intermediateAnswer } from './use-cases/intermediate-answer.js';
import { listInquiries } from './use-cases/list-inquiries.js';
import { me } from './use-cases/me.js';
import { moveInquiry } from './use-cases/move-inquiry.js';
import { operatorStatistics } from './use-cases/operator-statistics.js';
import { rejectInquiry } from './use-cases/reject-inquiry.js';
import { releaseInquiry } from './use-cases/release-inquiry.js';
import { reopenInquiry } from './use-cases/reopen-inquiry.js';
import { reply } from './use-cases/reply.js';
import { replyToMany } from './use-cases/reply-to-many.js';
import { statistics } from './use-cases/statistics.js';
import { takeInquiry } from './use-cases/take-inquiry.js';
import { getWorkloadOverview } from './use-cases/workload-overview.js';

/** Where the operator API lives: in AWS behind the JWT authorizer, locally behind the local verifier. */
export const API_PREFIX = '/api/v1';
/** The OpenAPI document: public, so that tools can read it without a token. */
export const OPENAPI_PATH = '/api/openapi.json';
/** What an `Idempotency-Key` may be: it becomes part of the cause recorded on the inquiry. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\w.-]{1,100}$/;
/**
 * What a path parameter may be: an inquiry's id, as the rule that makes them states it (inquiry-id.ts), which
 * takes a department's id (lower-case letters, digits and dashes) and an answer template's too (the same
 * characters as an inquiry's); any other path is no route (404).
 */
export const PATH_PARAMETER_PATTERN = INQUIRY_ID_PATTERN;

/** The groups of routes a client generated from the document gets, one API class or module each. */
export const TAGS = {
  inquiries: 'Your departments’ inquiries: lists, one with its history, and the changes an operator makes',
  statistics: 'Counts and deadlines kept, per department and community',
  directory: 'What there is and who you are: departments, communities, your token’s account',
  answerTemplates:
    'A department’s answer templates: the standard texts its operators put into an answer, kept by them',
} as const;

/** What describes a route, beside its schemas and its use case. */
interface RouteInfo {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI style: `{id}` for a path parameter. */
  path: string;
  /** The name a generated client gives the call: unique, stable once published. */
  operationId: string;
  tag: keyof typeof TAGS;
  summary: string;
  /** What it answers 200 with; none: it answers 204 with no body. */
  response?: z.ZodType;
  /**
   * The errors this route may give of its own, beside those every route may (401, 429, 500) and, for a
   * change, those of every change (openapi.ts): a status listed is one it can answer.
   */
  errors?: Record<string, string>;
  /** A change: it takes an `Idempotency-Key` and an `If-Match` (dispatch.ts). */
  change?: true;
  /** It answers one inquiry (or one answer template), with its version as `ETag`. */
  etag?: 'inquiry' | 'template';
  /** An answer template's change: it takes an `If-Match` (of the template), and no `Idempotency-Key`. */
  templateChange?: true;
  /** What it changes may be followed by a message to the citizen, put on the answers queue after the change is saved. */
  queuesMessage?: true;
  /**
   * A change of many inquiries at once: it takes an `Idempotency-Key`, which keys each inquiry's change, and no
   * `If-Match` (no one version names them all); its 503 says to repeat it to finish the rest.
   */
  manyInquiries?: true;
}

/** A route as the dispatcher serves it and the document describes it, made by defineRoute. */
interface Route extends RouteInfo {
  query?: z.ZodType;
  body?: z.ZodType;
  /** Its 200 in another form beside JSON, for an `Accept` that asks for it (answer-form.ts). */
  form?: AnswerForm;
  useCase: UseCase<unknown, unknown, RouteDeps>;
}

/**
 * A route whose use case takes what its schemas give: a body or a query the use case reads is one the route
 * has a schema for, of that type (a route without one gives NoInput). A use case wired to another route's
 * body (`reply` to `reopenBody`) does not compile, rather than fail on a change already saved; nor does a
 * form that names its file from another route's query.
 */
export function defineRoute<Body = NoInput, Query = NoInput>(
  route: RouteInfo & {
    body?: z.ZodType<Body>;
    query?: z.ZodType<Query>;
    form?: AnswerForm<NoInfer<Query>>;
    useCase: UseCase<NoInfer<Body>, NoInfer<Query>, RouteDeps>;
  },
): Route {
  // The dispatcher validates with these schemas and gives the use case what they parsed: checked above, the
  // types are forgotten here only so that routes of every body and query go in one list.
  return route as Route;
}

const inquiryAction = <Body = NoInput>(
  path: string,
  operationId: string,
  summary: string,
  useCase: UseCase<NoInfer<Body>, NoInput>,
  body?: z.ZodType<Body>,
  queuesMessage?: true,
): Route =>
  defineRoute<Body, NoInput>({
    method: 'POST',
    path: `${API_PREFIX}/inquiries/{id}/${path}`,
    operationId,
    tag: 'inquiries',
    summary,
    ...(body && { body }),
    response: changedInquiry,
    change: true,
    etag: 'inquiry',
    ...(queuesMessage && { queuesMessage }),
    useCase,
  });

/** A read of an inquiry that is not to be seen: nothing is said of it (left-departments.ts). */
const NOT_YOURS = 'No such inquiry, or not one of your departments, nor ever one that was (`not_found`)';
/** A read of an inquiry the operator had, out of their reach since (left-departments.ts). */
const LEFT_YOUR_DEPARTMENTS =
  'The inquiry was in your departments, or yours, and is no longer: moved to another department or rejected ' +
  'since (or you left its department) (`left_your_departments`, with `current`: its status and version now). ' +
  'It is not lost, but you can no longer read it; where it is now is not said';

/** A department in the path that is not configured: to anyone, as for a list (api.ts, unknownDepartment). */
const UNKNOWN_DEPARTMENT =
  'The path names no department there is (`validation_failed`): one removed from the configuration, or ' +
  'renamed, has no answer templates to serve';
const NOT_YOUR_DEPARTMENT = 'Not an operator of the department, nor an admin (`forbidden`)';

/** Every route of the operator API: the dispatcher serves these and the OpenAPI document describes them. */
/** The errors of a route that counts a period's inquiries (period-reads.ts), as JSON or CSV. */
const PERIOD_ERRORS = {
  '400':
    'The query does not fit, or names no department or community there is (`validation_failed`, `issues` ' +
    'tells where)',
  '403': 'Not an operator of the department asked for (`forbidden`)',
  '422':
    'The period holds more inquiries than one request can count in time: ask for a shorter one ' +
    '(`period_too_full`)',
  '406':
    '`Accept` allows neither `application/json` nor `text/csv` (`not_acceptable`): the body is JSON all the same',
};

export const ROUTES: Route[] = [
  defineRoute({
    method: 'GET',
    path: `${API_PREFIX}/inquiries`,
    operationId: 'listInquiries',
    tag: 'inquiries',
    summary:
      "The operator's departments' inquiries, newest or most urgent first, paginated; or those of a case number",
    query: listInquiriesQuery,
    response: inquiryPage,
    errors: {
      '400':
        'The query does not fit (a parameter given twice or not of this route, or a status that is not open ' +
        'with `order=urgent`, `overdue` or `assignee=none`: nothing could match), names no department or ' +
        'community there is, its cursor is empty, not one this API gave or came with another query, `author` ' +
        'came without `community`, or `caseNumber` with another parameter than `community` and `department` ' +
        '(`validation_failed`, `issues` tells where)',
      '403':
        'Not an operator of the department asked for, or `author` asked by one who is no admin (`forbidden`)',
    },
    useCase: listInquiries,
  }),
  defineRoute({
    method: 'GET',
    path: `${API_PREFIX}/inquiries/{id}`,
    operationId: 'getInquiry',
    tag: 'inquiries',
    summary:
      'One inquiry with the newest page of its history (and `historyCursor` where older entries are left); ' +
      'its version as `ETag`',
    response: inquiryDetail,
    etag: 'inquiry',
    errors: { '403': LEFT_YOUR_DEPARTMENTS, '404': NOT_YOURS },
    useCase: getInquiry,
  }),
  defineRoute({
    method: 'GET',
    path: `${API_PREFIX}/inquiries/{id}/history`,
    operationId: 'getInquiryHistory',
    tag: 'inquiries',
    summary:
      "The inquiry's history a page at a time, back from its newest entries (as the detail gives them) to its " +
      'first, each page oldest first',
    query: historyQuery,
    response: inquiryHistoryPage,
    errors: {
      '400':
        'The query does not fit, or its cursor is not one this API gave (`validation_failed`, `issues` tells where)',
      '403': LEFT_YOUR_DEPARTMENTS,
      '404': NOT_YOURS,
    },
    useCase: getHistory,
  }),
  {
    ...inquiryAction(
      'take',
      'takeInquiry',
      'Take the inquiry into work: it is yours (`assignee`); `{"force": true}` takes it over from another',
      takeInquiry,
      takeBody,
    ),
    errors: {
      '409':
        'The inquiry’s status does not allow taking it (`not_allowed_in_state`), another operator holds it ' +
        '(`taken_by_other`, with `holder`: take it over with `force`), it is yours already (`already_yours`), ' +
        'or its community is no longer configured (`community_not_configured`)',
    },
  },
  {
    ...inquiryAction(
      'release',
      'releaseInquiry',
      'Let go of the inquiry you hold (an admin: of one anybody holds, such as an operator moved to another ' +
        'department): no one’s, and, open, back in the work to take (`assignee=none`); the history says who ' +
        'released it, why, and whose it was. One no one holds is answered as it is, nothing written',
      releaseInquiry,
      releaseBody,
    ),
    errors: {
      '409':
        'Another operator holds it and you are no admin (`taken_by_other`, with `holder`: take it over with ' +
        '`take` and `force` to work on it), or its community is no longer configured (`community_not_configured`)',
    },
  },
  {
    ...inquiryAction(
      'intermediate-answer',
      'sendIntermediateAnswer',
      'Send the citizen an intermediate answer; starts the resolution clock (none after an answer VK refused: ' +
        'it stays due by its deadline). To an inquiry another operator holds, only with `{"force": true}`',
      intermediateAnswer,
      textBody,
      true,
    ),
    errors: {
      '409':
        'The inquiry’s status does not allow it (`not_allowed_in_state`), another operator holds it ' +
        '(`taken_by_other`, with `holder`: send it with `force` to answer all the same), or its community is ' +
        'no longer configured (`community_not_configured`)',
    },
  },
  {
    ...inquiryAction(
      'reply',
      'replyToInquiry',
      'Answer the citizen (through the answers queue); the inquiry is answered (a rejected message stays ' +
        'rejected). To an inquiry another operator holds, only with `{"force": true}`',
      reply,
      textBody,
      true,
    ),
    errors: {
      '409':
        'The inquiry’s status does not allow it (`not_allowed_in_state`), another operator holds it ' +
        '(`taken_by_other`, with `holder`: send it with `force` to answer all the same), someone changed it ' +
        'while this request was made so that the reply would now be another (the answer, or a further word ' +
        'after one: `changed_meanwhile`), or its community is no longer configured (`community_not_configured`)',
    },
  },
  {
    ...inquiryAction(
      'close',
      'closeInquiry',
      'Close an answered inquiry, with the reason; or one in progress resolved outside the product (by phone, ' +
        'or answered by hand in VK) once it had its first response, or whose answer did not reach the citizen ' +
        'and who was reached another way; or a reopened one whose answer before the reopening did not reach ' +
        'the citizen (`undelivered`), who was reached another way. The statistics count the closing as its ' +
        'answer, at its time. One another operator holds, only with `{"force": true}`: it is yours then',
      closeInquiry,
      closeBody,
    ),
    errors: {
      '409':
        'Another operator holds it (`taken_by_other`, with `holder`: close it with `force` to do so all the ' +
        'same); the inquiry’s status does not allow closing it: not answered, or in progress with no first ' +
        'response yet, or whose intermediate answer did not reach the citizen, or reopened with no refused ' +
        'answer (`not_allowed_in_state`); or its community is no longer configured (`community_not_configured`)',
    },
  },
  {
    ...inquiryAction(
      'reopen',
      'reopenInquiry',
      'Reopen an answered or closed inquiry: a new first-response clock starts. One another operator holds ' +
        '(who answered or closed it), only with `{"force": true}`: it is yours then',
      reopenInquiry,
      reopenBody,
    ),
    errors: {
      '409':
        'Another operator holds it (`taken_by_other`, with `holder`: reopen it with `force` to do so all the ' +
        'same); the inquiry is neither answered nor closed (`not_allowed_in_state`); or its community is no ' +
        'longer configured (`community_not_configured`)',
    },
  },
  {
    ...inquiryAction(
      'reject',
      'rejectInquiry',
      'Reject an inquiry as none (spam, abuse, an advertisement), routed, in work or reopened, with the ' +
        "reason: nothing is sent to the citizen; it leaves open work, no one's, and is listed under its " +
        "community's triage department as rejected, where `move` puts it back into work. One another " +
        'operator holds, only with `{"force": true}`',
      rejectInquiry,
      rejectBody,
    ),
    errors: {
      '409':
        'Another operator holds it (`taken_by_other`, with `holder`: reject it with `force` to do so all the ' +
        'same), the inquiry was answered (answered, closed, or in work again as its answer did not reach the ' +
        'citizen), or is rejected already (`not_allowed_in_state`), or its community is no longer configured ' +
        '(`community_not_configured`)',
    },
  },
  {
    ...inquiryAction(
      'move',
      'moveInquiry',
      'Move the inquiry to another department or category, or set its priority by hand; a message rejected as ' +
        'not an inquiry is routed by it into work, its first-response clock starting then. One another ' +
        'operator holds goes to another department only with `{"force": true}` (a category or priority alone ' +
        'needs none)',
      moveInquiry,
      moveBody,
      true,
    ),
    errors: {
      '400':
        'The body or a header does not fit, or names no department there is (`validation_failed`, `issues` ' +
        'tells where)',
      '409':
        'Another operator holds it and the move is to another department (`taken_by_other`, with `holder`: ' +
        'move it with `force` to do so all the same), the inquiry’s status does not allow this move ' +
        '(`not_allowed_in_state`), someone changed it while ' +
        'this request was made so that the move would now be another (it was rejected, or routed into work: ' +
        '`changed_meanwhile`), its community is no longer configured (`community_not_configured`), or it is a ' +
        'message the citizen edited into words of their newer inquiry, which holds them (`words_joined`)',
    },
  },
  {
    ...inquiryAction(
      'note',
      'addInquiryNote',
      'Keep an internal note of what you did outside the product (called the citizen, passed it on, booked a ' +
        'visit) in the history, as a `note` entry naming you: never sent to the citizen, it changes nothing ' +
        'else (status, deadlines, first response, holder), in any status, whoever holds the inquiry. It needs ' +
        'no `If-Match`, depending on nothing you read; like any change it moves the version on',
      addNote,
      noteBody,
    ),
    errors: {
      '409':
        'Not for its status nor its community: a note is taken in every status, and on an inquiry whose ' +
        'community is no longer configured',
    },
  },
  defineRoute({
    method: 'POST',
    path: `${API_PREFIX}/replies`,
    operationId: 'replyToInquiries',
    tag: 'inquiries',
    summary:
      `One answer to many inquiries (up to ${MAX_INQUIRIES_PER_REPLY}: an incident's, such as those under one ` +
      'post), each answered as `POST /api/v1/inquiries/{id}/reply` answers it alone, its citizen reading the ' +
      'words after the line naming their own case; a result for each, in the order asked: one refused does not ' +
      'stop the others',
    body: repliesBody,
    response: repliesAnswer,
    manyInquiries: true,
    errors: {
      '400':
        `The body or a header does not fit: no inquiry, more than ${MAX_INQUIRIES_PER_REPLY}, one named twice, ` +
        'an id that is none, words that show nothing, no `Idempotency-Key` (`validation_failed`, `issues` tells ' +
        'where). Words too long ' +
        'for one inquiry’s case line are that inquiry’s result, not the request’s',
    },
    useCase: replyToMany,
  }),
  defineRoute({
    method: 'GET',
    path: `${API_PREFIX}/statistics`,
    operationId: 'getStatistics',
    tag: 'statistics',
    summary:
      'Per department and community: counts, and for the first response and the answer how many, how long and how ' +
      'many in time; as JSON, or as a spreadsheet (CSV) for `Accept: text/csv`',
    query: statisticsQuery,
    response: statisticsSchema,
    form: statisticsSheet,
    errors: PERIOD_ERRORS,
    useCase: statistics,
  }),
  defineRoute({
    method: 'GET',
    path: `${API_PREFIX}/statistics/operators`,
    operationId: 'getOperatorStatistics',
    tag: 'statistics',
    summary:
      'Per department and operator: the answers each is credited with (how many, how long, how many in time), ' +
      'the open inquiries each holds, and what no one is credited with; the query and rights of the statistics; ' +
      'as JSON, or as a spreadsheet (CSV) for `Accept: text/csv`',
    query: statisticsQuery,
    response: operatorStatisticsSchema,
    form: operatorStatisticsSheet,
    errors: PERIOD_ERRORS,
    useCase: operatorStatistics,
  }),
  defineRoute({
    method: 'GET',
    path: `${API_PREFIX}/departments/{department}/workload`,
    operationId: 'getDepartmentWorkload',
    tag: 'statistics',
    summary:
      'The department’s open work now: open, by status, priority and category, overdue, due soon, no one’s, ' +
      'who holds how many, and the longest overdue; for its operators and admins',
    response: departmentWorkloadSchema,
    errors: {
      '400':
        'The path names no department there is (`validation_failed`): one removed or renamed has no work',
      '403': NOT_YOUR_DEPARTMENT,
      '422':
        'The department holds more open inquiries than one request can count in time: page through its ' +
        'lists (`too_much_open_work`)',
    },
    useCase: departmentWorkload,
  }),
  defineRoute({
    method: 'GET',
    path: `${API_PREFIX}/workload`,
    operationId: 'getWorkloadOverview',
    tag: 'statistics',
    summary:
      'The open work now of every department you may see (an admin: all), a row each with its department’s ' +
      'headline figures, the most overdue first, and their totals; a department not read in time is named ' +
      'in `unfinished`, not counted in part',
    response: workloadOverviewSchema,
    useCase: getWorkloadOverview,
  }),
  defineRoute({
    method: 'GET',
    path: `${API_PREFIX}/directory`,
    operationId: 'getDirectory',
    tag: 'directory',
    summary:
      "The departments' and communities' names, and each community's time zone, for any signed-in operator",
    response: directorySchema,
    useCase: directory,
  }),
  defineRoute({
    method: 'GET',
    path: `${API_PREFIX}/me`,
    operationId: 'getMe',
    tag: 'directory',
    summary: 'Who you are, as your token says: your id, name, departments, and whether you are an admin',
    response: meSchema,
    useCase: me,
  }),
  defineRoute({
    method: 'GET',
    path: `${API_PREFIX}/departments/{department}/answer-templates`,
    operationId: 'listAnswerTemplates',
    tag: 'answerTemplates',
    summary: 'The department’s answer templates, by title, for its operators and admins',
    response: answerTemplateList,
    errors: { '400': UNKNOWN_DEPARTMENT, '403': NOT_YOUR_DEPARTMENT },
    useCase: listAnswerTemplates,
  }),
  defineRoute({
    method: 'PUT',
    path: `${API_PREFIX}/departments/{department}/answer-templates/{templateId}`,
    operationId: 'putAnswerTemplate',
    tag: 'answerTemplates',
    summary:
      'Keep an answer template of the department: a new one, or the one of this id replaced; its version as ' +
      '`ETag`. The same title and text as it has answer it as it is, nothing written',
    body: answerTemplateBody,
    response: answerTemplate,
    etag: 'template',
    templateChange: true,
    errors: {
      '400':
        'The body or `If-Match` does not fit, or the path names no department there is (`validation_failed`, ' +
        '`issues` tells where)',
      '403': NOT_YOUR_DEPARTMENT,
      '409': 'A new template, and the department keeps as many as it may already (`too_many_templates`)',
    },
    useCase: putAnswerTemplate,
  }),
  defineRoute({
    method: 'DELETE',
    path: `${API_PREFIX}/departments/{department}/answer-templates/{templateId}`,
    operationId: 'deleteAnswerTemplate',
    tag: 'answerTemplates',
    summary:
      'Delete an answer template of the department: 204, also for one that is gone already (deleted by a ' +
      'colleague, or a repeat)',
    templateChange: true,
    errors: {
      '400': '`If-Match` does not fit, or the path names no department there is (`validation_failed`)',
      '403': NOT_YOUR_DEPARTMENT,
    },
    useCase: deleteAnswerTemplate,
  }),
];

/** The path parameters of a request's path, if it is the route's path. */
function paramsOf(route: Route, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${route.path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
      names.push(name);
      return `(${PATH_PARAMETER_PATTERN})`;
    })}$`,
  );
  const match = pattern.exec(path);
  return match ? Object.fromEntries(names.map((name, index) => [name, match[index + 1] ?? ''])) : undefined;
}

/** The route a request's method and path match, with the path parameters. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const params = paramsOf(route, path);
    if (params) return { route, params };
  }
  return undefined;
}

/**
 * The methods a path is served with, when a request's method is none of them: for `Allow` on its 405
 * (https://www.rfc-editor.org/rfc/rfc9110#name-405-method-not-allowed). Empty when no route has the path.
 */
export function methodsOf(path: string): string[] {
  const methods = ROUTES.filter((route) => paramsOf(route, path)).map((route) => route.method);
  if (path === OPENAPI_PATH) methods.push('GET');
  return [...new Set(methods)];
}
