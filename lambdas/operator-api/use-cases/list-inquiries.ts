import { departmentsInScope } from '../../domain/operator/access.js';
import { commentedPlaceOf } from '../../domain/operator/commented-place.js';
import type { InquiryListCriteria } from '../../domain/operator/list-criteria.js';
import { inquiryView } from '../../domain/operator/view.js';
import { answer, type NoInput, problem, type UseCase, unknownCommunity, unknownDepartment } from '../api.js';
import { caseDepartments, casesNamedBy } from '../case-departments.js';
import type { InquiryPage } from '../contract/inquiry.js';
import type { ListInquiriesQuery } from '../contract/inquiry-list.js';
import { findCase } from './find-case.js';

const flag = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true');

/** The list a query asks for, as the store reads lists (a lookup by case number aside: find-case.ts). */
export const listCriteriaOf = (query: ListInquiriesQuery): InquiryListCriteria => ({
  order: query.order,
  overdue: flag(query.overdue),
  status: query.status,
  category: query.category,
  priority: query.priority,
  community: query.community,
  author: query.author,
  post: query.post === undefined ? undefined : commentedPlaceOf(query.post),
  undelivered: flag(query.undelivered),
  settled: flag(query.settled),
  assignee:
    query.assignee === undefined || query.assignee === 'me' || query.assignee === 'none'
      ? query.assignee
      : { heldBy: query.assignee },
  limit: query.limit,
  cursor: query.cursor,
});

/**
 * GET /api/v1/inquiries: the operator's departments' inquiries, newest or most urgent first, a page at a time,
 * each page with the time it was read as of (`asOf`), as the store stood then.
 */
export const listInquiries: UseCase<NoInput, ListInquiriesQuery> = async (request, deps) => {
  const { query } = request;
  const departments = departmentsInScope(
    request.operator,
    deps.config.departments.map((department) => department.id),
    query.department,
  );
  if (departments === 'unknown') return unknownDepartment(query.department);
  // A lookup by case number reads the one item of that number, so it may search a community taken out of the
  // configuration too, whose finished inquiries are kept (find-case.ts refuses it only when nothing is there).
  const community = query.caseNumber === undefined && unknownCommunity(deps.config, query.community);
  if (community) return community;
  if (departments === 'forbidden')
    return problem(403, 'forbidden', `not an operator of department "${query.department}"`);
  // Whom a citizen's VK id names, and what they wrote everywhere, is for admins tracing a complaint only.
  if (query.author !== undefined) {
    if (!request.operator.admin) return problem(403, 'forbidden', 'author is for admins only');
    if (query.community === undefined)
      return problem(400, 'validation_failed', 'invalid query', {
        issues: ['author: a VK id within one community: give community too'],
      });
  }
  if (query.caseNumber !== undefined)
    return findCase(request, deps, { ...query, caseNumber: query.caseNumber });
  // The moment the page is read as of: what `overdue` is judged by, and what the console is told.
  const now = deps.clock.now();
  const page = await deps.queries.listInquiries(departments, listCriteriaOf(query), now, request.operator.id);
  const casesNow = await caseDepartments(deps, request.operator, casesNamedBy(page.items));
  return answer(200, {
    ...page,
    items: page.items.map((inquiry) => inquiryView(inquiry, request.operator, casesNow, deps.config)),
    asOf: now.toISOString(),
  } satisfies InquiryPage);
};
