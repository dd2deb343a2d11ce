import type { FollowedCase } from '../inquiry/followed-case.js';
import { mayAccess, type Operator } from './access.js';

/**
 * The department each case the inquiries shown follow is in now, by the case's id. The one kept in `follows` is
 * where it was when the new matter was opened: an operator's `move` or ops' `departments:move` may have moved it
 * since, and nothing rewrites the inquiries that follow it. A case deleted since (retention, erasure) is absent
 * or undefined. Read for an operator who is no admin (operator-api/followed-cases.ts); an admin needs none.
 */
export type FollowedCaseDepartments = ReadonlyMap<string, string | undefined>;

/**
 * Whether the operator may read of the case a new matter was opened beside (its id, case number, category and
 * status): if they may open it now, as an admin or an operator of the department it is in now. To anyone else
 * it is another department's inquiry, which the API tells nothing of (its detail answers them 404), and so is a
 * case deleted since, but to an admin.
 */
export const mayKnowFollowedCase = (
  operator: Operator,
  followed: FollowedCase | undefined,
  departmentsNow: FollowedCaseDepartments,
) =>
  operator.admin || (followed !== undefined && mayAccess(operator, departmentsNow.get(followed.inquiryId)));

/** What `follows` says to an operator who may not know the case: that it is another department's, no more. */
export const OTHER_DEPARTMENTS_CASE = { otherDepartment: true } as const;
