import type { FollowedCase } from '../inquiry/followed-case.js';
import type { Operator } from './access.js';
import { type CaseDepartments, mayKnowCase } from './named-case.js';

/**
 * Whether the operator may read of the case a new matter was opened beside (its id, case number, category and
 * status): if they may open it now, as an admin or an operator of the department it is in now (named-case.ts),
 * whatever department `follows` kept.
 */
export const mayKnowFollowedCase = (
  operator: Operator,
  followed: FollowedCase | undefined,
  departmentsNow: CaseDepartments,
) => mayKnowCase(operator, followed?.inquiryId, departmentsNow);
