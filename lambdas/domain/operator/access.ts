/**
 * Who may see and touch what: Cognito groups, one per department (`dept-<id>`) plus `admins`. An operator
 * sees and changes only their departments' inquiries (a triage department's: also the messages rejected as not
 * inquiries, listed there for review); an admin sees all.
 */
export const ADMIN_GROUP = 'admins';
const DEPARTMENT_GROUP_PREFIX = 'dept-';
export const departmentGroup = (departmentId: string) => `${DEPARTMENT_GROUP_PREFIX}${departmentId}`;

export interface Operator {
  /** The user's id in the user pool (`sub`): recorded in the history as who did it. */
  id: string;
  /**
   * Whom colleagues know them as (`readableName`): recorded beside the id in the history and on the inquiry
   * they take. Staff data, shown to operators, never logged.
   */
  name: string;
  admin: boolean;
  departments: string[];
}

/**
 * Groups as a JWT carries them: an array, or, as API Gateway's JWT authorizer passes array claims to the
 * function, one string `[a b]`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((group) => group.length > 0);
}

/** The longest name kept: a claim is the user pool's attribute, up to 2,048 characters. */
export const MAX_OPERATOR_NAME = 200;

/**
 * What colleagues read as who did it, from the claims of Cognito's ID token: the `name` attribute admins set,
 * else the e-mail the operator signs in with, else the user name (a pool that signs in by e-mail makes it the
 * `sub`), else the `sub` itself.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html
 */
function readableName(claims: Record<string, unknown>, sub: string): string {
  for (const claim of ['name', 'email', 'cognito:username']) {
    const value = claims[claim];
    const name = typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
    if (name !== '') return name.slice(0, MAX_OPERATOR_NAME);
  }
  return sub;
}

/** Why verified claims name no operator: said in the 401, for whoever wires a console to the API. */
interface ClaimsRefusal {
  refused: string;
}

/**
 * The operator the verified claims describe, or why they describe no one we may record as who did it.
 *
 * Only the user pool's ID token (`token_use: id`). API Gateway's JWT authorizer checks the audience against
 * `client_id` when a token has no `aud`, so an access token of the same app client passes it too
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html); but it
 * carries no `name`, `email` nor `cognito:username`, and every change would be recorded, for good, under the
 * operator's bare `sub`.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 */
export function operatorFromClaims(claims: Record<string, unknown> | undefined): Operator | ClaimsRefusal {
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') return { refused: 'the token names no user' };
  if (claims?.token_use !== 'id')
    return {
      refused:
        claims?.token_use === 'access'
          ? "an access token is refused: send the user pool's ID token, which names the operator"
          : "send the user pool's ID token",
    };
  const groups = groupsOf(claims['cognito:groups']);
  return {
    id: sub,
    name: readableName(claims, sub),
    admin: groups.includes(ADMIN_GROUP),
    departments: groups
      .filter((group) => group.startsWith(DEPARTMENT_GROUP_PREFIX))
      .map((group) => group.slice(DEPARTMENT_GROUP_PREFIX.length)),
  };
}

/** Whether the operator may see and change an inquiry of `department`. */
export const mayAccess = (operator: Operator, department: string | undefined) =>
  operator.admin || (department !== undefined && operator.departments.includes(department));

/**
 * The departments a request covers: the one asked for (if allowed), or all the operator's. One asked for that
 * is not configured (a typo) is `unknown`, to an admin and an operator alike: an empty list would read as a
 * department with nothing in it, a 403 as one that exists and is someone else's.
 */
export function departmentsInScope(
  operator: Operator,
  allDepartments: string[],
  asked: string | undefined,
): string[] | 'forbidden' | 'unknown' {
  if (asked !== undefined && !allDepartments.includes(asked)) return 'unknown';
  if (asked !== undefined) return mayAccess(operator, asked) ? [asked] : 'forbidden';
  return operator.admin ? allDepartments : allDepartments.filter((id) => operator.departments.includes(id));
}
