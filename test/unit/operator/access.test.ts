import { describe, expect, it } from 'vitest';
import { MAX_OPERATOR_NAME, operatorFromClaims } from '../../../lambdas/domain/operator/access.js';

/** The claims of a Cognito ID token as API Gateway's JWT authorizer hands them on: strings. */
const claims = (extra: Record<string, unknown>) => ({
  sub: '5f0c7a3e-1111-2222-3333-444455556666',
  'cognito:groups': '[dept-housing]',
  ...extra,
});

describe('the operator named by the verified claims', () => {
  it('is named by the name in the user pool, else the e-mail, else the user name, else the sub', () => {
    const all = { name: 'Анна Иванова', email: 'a.ivanova@example.ru', 'cognito:username': 'aivanova' };
    expect(operatorFromClaims(claims(all))).toEqual({
      id: '5f0c7a3e-1111-2222-3333-444455556666',
      name: 'Анна Иванова',
      admin: false,
      departments: ['housing'],
    });
    expect(operatorFromClaims(claims({ ...all, name: '  ' }))?.name).toBe('a.ivanova@example.ru');
    expect(operatorFromClaims(claims({ 'cognito:username': 'aivanova', name: 7 }))?.name).toBe('aivanova');
    expect(operatorFromClaims(claims({}))?.name).toBe('5f0c7a3e-1111-2222-3333-444455556666');
  });

  it('keeps a name to one line and a bounded length', () => {
    expect(operatorFromClaims(claims({ name: ' Анна\n\tИванова ' }))?.name).toBe('Анна Иванова');
    expect(operatorFromClaims(claims({ name: 'я'.repeat(2048) }))?.name).toHaveLength(MAX_OPERATOR_NAME);
  });
});
