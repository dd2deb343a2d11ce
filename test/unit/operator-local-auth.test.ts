import * as crypto from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { withLocalAuthorizer } from '../../lambdas/adapters/operator-local-auth.js';
import { fileSecretStore } from '../../lambdas/adapters/secret-store.js';

// The real comparison, watched: whether the tokens are compared in constant time shows in no answer.
vi.mock('node:crypto', async (original) => {
  const actual = await original<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const seen: unknown[] = [];
const api = withLocalAuthorizer(
  async (event) => {
    seen.push((event.requestContext as { authorizer?: unknown }).authorizer);
    return { statusCode: 200, body: 'ok' } satisfies APIGatewayProxyStructuredResultV2;
  },
  readConfigFile('config/local.json'),
  fileSecretStore('config/local.secrets.json'),
  [],
);
const call = (token: string) =>
  api(
    {
      rawPath: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
      requestContext: {},
    } as unknown as APIGatewayProxyEventV2,
    {} as Context,
  );

afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

describe('the local token verifier', () => {
  it('compares a token with the configured ones in constant time, and lets only a configured one through', async () => {
    expect((await call('local-housing-token-change-me')).statusCode).toBe(200);
    // An ID token's claims: the function takes no other.
    expect(seen.at(-1)).toMatchObject({
      jwt: { claims: { sub: 'local-housing-operator', token_use: 'id' } },
    });
    expect(crypto.timingSafeEqual).toHaveBeenCalled();

    vi.mocked(crypto.timingSafeEqual).mockClear();
    // The same beginning, then another character: refused, through the same comparison.
    for (const token of ['local-housing-token-change-mf', 'local-housing-token-change-me2', 'l'])
      expect((await call(token)).statusCode, token).toBe(401);
    expect(crypto.timingSafeEqual).toHaveBeenCalled();
  });
});
