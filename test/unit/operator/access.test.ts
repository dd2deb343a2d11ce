import { describe, expect, it } from 'vitest';
import {
  MAX_OPERATOR_NAME,
  type Operator,
  operatorFromClaims,
} from '../../../lambdas/domain/operator/access.js';

/** The claims of a Cognito ID token as API Gateway's JWT authorizer hands them on: strings. */
const claims = (extra: Record<string, unknown>) => ({
  sub: '5f0c7a3e-1111-2222-3333-444455556666',
  token_use: 'id',
  'cognito:groups': '[dept-housing]',
  ...extra,
});

/** The operator the claims name; fails the test if they are refused. */
function operatorOf(given: Record<string, unknown>): Operator {
  const operator = operatorFromClaims(given);
  if ('refused' in operator) throw new Error(`refused: ${operator.refused}`);
  return operator;
}

describe('the operator named by the verified claims', () => {
  it('is named by the name in the user pool, else the e-mail, else the user name, else the sub', () => {
    const all = { name: 'Анна Иванова', email: 'a.ivanova@example.ru', 'cognito:username': 'aivanova' };
    expect(operatorFromClaims(claims(all))).toEqual({
      id: '5f0c7a3e-1111-2222-3333-444455556666',
      name: 'Анна Иванова',
      admin: false,
      departments: ['housing'],
    });
    expect(operatorOf(claims({ ...all, name: '  ' })).name).toBe('a.ivanova@example.ru');
    expect(operatorOf(claims({ 'cognito:username': 'aivanova', name: 7 })).name).toBe('aivanova');
    expect(operatorOf(claims({})).name).toBe('5f0c7a3e-1111-2222-3333-444455556666');
  });

  it('keeps a name to one line and a bounded length', () => {
    expect(operatorOf(claims({ name: ' Анна\n\tИванова ' })).name).toBe('Анна Иванова');
    expect(operatorOf(claims({ name: 'я'.repeat(2048) })).name).toHaveLength(MAX_OPERATOR_NAME);
  });

  it('is no one for an access token of the same app client, which names no one but by the sub', () => {
    // What API Gateway's authorizer lets through from a Cognito access token: `client_id` in place of `aud`.
    const access = {
      sub: '5f0c7a3e-1111-2222-3333-444455556666',
      token_use: 'access',
      client_id: 'app-client',
      username: '5f0c7a3e-1111-2222-3333-444455556666',
      scope: 'aws.cognito.signin.user.admin',
      'cognito:groups': '[dept-housing admins]',
    };
    expect(operatorFromClaims(access)).toEqual({ refused: expect.stringMatching(/access token.*ID token/) });
    const { token_use: _none, ...untyped } = claims({ name: 'Анна Иванова' });
    expect(operatorFromClaims(untyped)).toEqual({ refused: expect.stringContaining('ID token') });
    expect(operatorFromClaims(undefined)).toEqual({ refused: expect.any(String) });
  });

  it('is no one for claims without a sub, or with an empty one: no change is recorded under no id', () => {
    const { sub: _sub, ...unnamed } = claims({ name: 'Анна Иванова' });
    expect(operatorFromClaims(unnamed)).toEqual({ refused: 'the token names no user' });
    expect(operatorFromClaims({ ...unnamed, sub: '' })).toEqual({ refused: 'the token names no user' });
  });

  it('is of the departments and the admins its groups name, however the claim lists them', () => {
    for (const groups of [
      ['dept-housing', 'dept-roads', 'admins'],
      '[dept-housing dept-roads admins]',
      '[dept-housing, dept-roads, admins]',
    ])
      expect(operatorOf(claims({ 'cognito:groups': groups })), String(groups)).toMatchObject({
        departments: ['housing', 'roads'],
        admin: true,
      });
    expect(operatorOf(claims({ 'cognito:groups': '[dept-housing]' }))).toMatchObject({
      departments: ['housing'],
      admin: false,
    });
  });
});
