import type { z } from 'zod';
import { communityOf } from '../domain/config/community-of.js';
import type { AppConfig } from '../domain/config/schema.js';
import type { HistoryEntry, Inquiry } from '../domain/inquiry/inquiry.js';
import type { Operator } from '../domain/operator/access.js';
import type { AnswerTemplateStore } from '../domain/operator/answer-templates.js';
import type { InquiryTrace } from '../domain/operator/left-departments.js';
import type { InquiryListCriteria } from '../domain/operator/list-criteria.js';
import type { IfMatch } from '../domain/operator/preconditions.js';
import type { CountedPage } from '../domain/operator/statistics.js';
import type { OpenWorkPage } from '../domain/operator/workload.js';
import type { Outbox } from '../domain/outbox/ports.js';
import type {
  Clock,
  ErasedCitizens,
  HistoryPage,
  InquiryRepository,
  ProductMetrics,
} from '../domain/ports.js';
import type { ErrorCode, Problem } from './contract/errors.js';

/** The function's timeout (lib/constructs/operator-api.ts): what a request may take, all told. */
export const OPERATOR_API_TIMEOUT_SECONDS = 10;

/**
 * How long a request that reads page after page (the statistics, a department's open work) reads before it
 * gives up: the function's timeout less time for the page being read when it runs out, and the answer. One
 * that needs longer gets a 422 that says so, rather than a 5xx when the function times out.
 */
export const READ_BUDGET_SECONDS = OPERATOR_API_TIMEOUT_SECONDS - 3;

/** What a route without a schema for its query or body gives its use case: nothing to read. */
export type NoInput = Record<string, never>;

/**
 * One request, as the use cases see it: who asks, about what, with what. `body` and `query` are what the
 * route's schemas parsed (routes.ts, defineRoute), so a use case reads them as its route validated them.
 */
export interface ApiRequest<Body = unknown, Query = unknown> {
  operator: Operator;
  params: Record<string, string>;
  query: Query;
  /**
   * The query parameters the request named, as sent: `query` holds the defaults its schema fills in too
   * (`order`, `limit`), which no one asked for. Set by the dispatcher; a request built without it names
   * every parameter `query` holds.
   */
  queryNames?: readonly string[];
  body: Body;
  /** Makes a repeated request (a retry after a lost answer) change nothing twice. */
  idempotencyKey: string;
  /**
   * A change's `Idempotency-Key`: the one it came with, or the one it was given. The same request sent again
   * with it is this change (a 503 hands it back, for the console to repeat the change with).
   */
  repeatKey?: string;
  /** A change's `If-Match`: made only on the inquiry at a version it names (preconditions.ts). */
  ifMatch?: IfMatch;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface OperatorApiDeps {
  config: AppConfig;
  inquiries: InquiryRepository & {
    get(id: string): Promise<{ inquiry: Inquiry; history: HistoryEntry[] } | undefined>;
    /** Up to `limit` entries of the history, newest first from `before` (a time), given oldest first. */
    historyPage(id: string, page: { limit: number; before?: string }): Promise<HistoryPage>;
    /** The history as traces of who had the inquiry, newest first from `before` (a time), a page at a time. */
    historyTraces(id: string, before?: string): AsyncIterable<InquiryTrace[]>;
  };
  queries: {
    listInquiries(
      departments: string[],
      criteria: InquiryListCriteria,
      now: Date,
      operatorId?: string,
    ): Promise<{ items: Inquiry[]; nextCursor?: string }>;
    /** A department's inquiries opened in [from, to), a page at a time, of the fields the statistics count. */
    openedBetween(department: string, from: string, to: string): AsyncIterable<CountedPage>;
    /** A department's open inquiries, a page at a time, of the fields the workload counts. */
    openWork(department: string): AsyncIterable<OpenWorkPage>;
    /**
     * The inquiries the case number names in these communities (at most one in each), whoever's they are. One
     * whose item does not read as an inquiry fails the lookup (MalformedInquiryItem) where `mayBeTold` its
     * department, and is left out, as another department's inquiry, where not.
     */
    numbered(
      groupIds: number[],
      caseNumber: string,
      mayBeTold: (department: string | undefined) => boolean,
    ): Promise<Inquiry[]>;
  };
  outbox: Outbox;
  clock: Clock;
  /**
   * The marks of the citizens `citizen:erase` deleted lately, whose mentions an operator's words lose
   * (operator-words.ts). Without them (a bare test's wiring), the words are kept as typed.
   */
  erasedCitizens?: ErasedCitizens;
  /** What an operator's change did (a first response, a reopening, a route), counted as the router counts it. */
  metrics?: ProductMetrics;
  /** Told of something ops must fix (a deadline outside the calendar); ids and dates, never the citizen's words. */
  logWarning?: (message: string, fields: Record<string, unknown>) => void;
  /** Told of what a request did, where its status alone does not say (how many of many replies were made); counts only. */
  logInfo?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * What the routes need beside the inquiries: the departments' answer templates (use-cases/answer-templates.ts).
 * Apart, so that the ops commands and use cases that work on inquiries alone are not handed a store they never
 * read.
 */
export interface TemplateDeps {
  templates: AnswerTemplateStore;
}

/**
 * A form of a route's 200 beside JSON, which the request's `Accept` picks (answer-form.ts): its media type, what
 * the OpenAPI document says of it, and how to write it from the JSON answer's body and the query it answered
 * (of the route's query schema: defineRoute checks it).
 */
export interface AnswerForm<Query = unknown> {
  mediaType: string;
  schema: z.ZodType;
  /** The file, and the name a browser or `curl -OJ` saves it under. */
  write(body: unknown, query: Query, deps: RouteDeps): { text: string; filename: string };
}

/** What the dispatcher gives every route's use case. */
export type RouteDeps = OperatorApiDeps & TemplateDeps;

/** A route's use case, given the body and query its route's schemas parsed. */
export type UseCase<Body = unknown, Query = unknown, Deps = OperatorApiDeps> = (
  request: ApiRequest<Body, Query>,
  deps: Deps,
) => Promise<ApiAnswer>;

export const answer = (status: number, body: unknown): ApiAnswer => ({ status, body });
/** An error: its code (contract/errors.ts) for a program, its message for people, and what else tells of it. */
export const problem = (
  status: number,
  code: ErrorCode,
  message: string,
  details?: Omit<Problem, 'code' | 'message'>,
): ApiAnswer => ({ status, body: { code, message, ...details } });

/** A department asked for that is not configured: the query (or body) does not fit, as a misspelt value would not. */
export const unknownDepartment = (
  department: string | undefined,
  where: 'query' | 'body' | 'path' = 'query',
): ApiAnswer =>
  problem(400, 'validation_failed', `invalid ${where}`, {
    issues: [`department: no department "${department}" is configured`],
  });

/**
 * A community asked for that is not configured, as a department: an empty list or statistics would read as a
 * community with nothing in it. Undefined when none is asked for, or one that is.
 */
export const unknownCommunity = (config: AppConfig, community: number | undefined): ApiAnswer | undefined =>
  community === undefined || communityOf(config, community)
    ? undefined
    : problem(400, 'validation_failed', 'invalid query', {
        issues: [`community: no community ${community} is configured`],
      });
