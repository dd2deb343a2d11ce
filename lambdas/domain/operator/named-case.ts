import { mayAccess, type Operator } from './access.js';

/**
 * The department each case another inquiry names is in now, by the case's id: the case a new matter follows
 * (`follows`), the newer inquiry a message taken for no inquiry gave its words to (`wordsJoined`). What the naming
 * inquiry keeps is the case as it was then: an operator's `move` or ops' `departments:move` may have moved it
 * since, and nothing rewrites the inquiries that name it. A case deleted since (retention, erasure) is absent or
 * undefined. Read for an operator who is no admin (operator-api/case-departments.ts); an admin needs none.
 */
export type CaseDepartments = ReadonlyMap<string, string | undefined>;

/**
 * Whether the operator may be told of the case another inquiry names (its id, number, category, status): if they
 * may open it now, as an admin or an operator of the department it is in now. To anyone else it is another
 * department's inquiry, which the API tells nothing of (its detail answers them 404), and so is a case deleted
 * since, but to an admin.
 */
export const mayKnowCase = (
  operator: Operator,
  caseId: string | undefined,
  departmentsNow: CaseDepartments,
) => operator.admin || (caseId !== undefined && mayAccess(operator, departmentsNow.get(caseId)));

/** What an inquiry says of a case it names to an operator who may not know it: another department's, no more. */
export const OTHER_DEPARTMENTS_CASE = { otherDepartment: true } as const;
