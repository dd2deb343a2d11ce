import type { TokenKind } from '../domain/outbox/delivery-plan.js';

/** VK's limits per token: https://dev.vk.com/ru/api/api-requests (20/s for a community, 3/s for a user). */
export const CALLS_PER_SECOND: Record<TokenKind, number> = { community: 20, user: 3 };

/**
 * The rate limiter's line a call waits in: the token's, since VK counts calls per token, over every
 * community that uses it (https://dev.vk.com/ru/api/api-requests). A token is named by its SSM parameter in
 * the configuration, never by its value: communities configured with one admin's user token through one
 * parameter share one line, 3 calls a second in all. One without a parameter (none is sent then) keeps the
 * community's line.
 */
export const rateLimitLine = (groupId: number, kind: TokenKind, parameter: string | undefined): string =>
  parameter === undefined ? `${groupId}:${kind}` : `token:${parameter}`;
