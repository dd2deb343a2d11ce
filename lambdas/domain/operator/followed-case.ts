import type { FollowedCase } from '../inquiry/followed-case.js';
import { mayAccess, type Operator } from './access.js';

/**
 * Whether the operator may read of the case a new matter was opened beside (its id, case number, category and
 * status): if they may open it, as an admin or an operator of its department. To anyone else it is another
 * department's inquiry, which the API tells nothing of (its detail answers them 404). One opened before its
 * department was kept is taken for another department's, but by an admin.
 */
export const mayKnowFollowedCase = (operator: Operator, followed: FollowedCase | undefined) =>
  operator.admin || (followed !== undefined && mayAccess(operator, followed.department));

/** What `follows` says to an operator who may not know the case: that it is another department's, no more. */
export const OTHER_DEPARTMENTS_CASE = { otherDepartment: true } as const;
