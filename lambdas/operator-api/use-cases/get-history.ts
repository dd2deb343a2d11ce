import { mayAccess } from '../../domain/operator/access.js';
import { answer, type NoInput, problem, type UseCase } from '../api.js';
import { caseDepartments, casesNamedBy, casesNamedIn } from '../case-departments.js';
import type { HistoryQuery } from '../contract/history.js';
import { decodeHistoryCursor, historyPageView, readHistoryPage } from '../history-page.js';
import { outOfReach } from '../left-departments.js';

/**
 * GET /api/v1/inquiries/{id}/history: the history a page at a time, from the newest (as the inquiry's detail
 * gives it) back to the first entry, each page oldest first, for the console to put before what it shows.
 * One out of the operator's reach answers as its detail does (left-departments.ts).
 */
export const getHistory: UseCase<NoInput, HistoryQuery> = async (request, deps) => {
  const id = request.params.id ?? '';
  const { query } = request;
  const before = query.cursor === undefined ? undefined : decodeHistoryCursor(query.cursor);
  if (query.cursor !== undefined && before === undefined)
    return problem(400, 'validation_failed', 'invalid query', {
      issues: ['cursor: the cursor is not one this API gave'],
    });
  const inquiry = await deps.inquiries.getInquiry(id);
  if (!inquiry || !mayAccess(request.operator, inquiry.department)) return outOfReach(inquiry, request, deps);
  const [stored, namedByInquiry] = await Promise.all([
    readHistoryPage(deps, id, { limit: query.limit, ...(before !== undefined && { before }) }),
    caseDepartments(deps, request.operator, casesNamedBy([inquiry])),
  ]);
  // The page's edits name the case the inquiry's words joined, read already; one a later edit undid, after it.
  const casesNow = await caseDepartments(
    deps,
    request.operator,
    casesNamedIn(stored.entries),
    namedByInquiry,
  );
  return answer(200, historyPageView(stored, inquiry, request.operator, casesNow));
};
