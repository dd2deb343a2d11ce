import { mayAccess } from '../../domain/operator/access.js';
import { etagOf } from '../../domain/operator/preconditions.js';
import { inquiryView } from '../../domain/operator/view.js';
import { answer, type UseCase } from '../api.js';
import { caseDepartments, casesNamedBy, casesNamedIn } from '../case-departments.js';
import { HISTORY_PAGE_SIZE } from '../contract/history.js';
import { historyPageView, readHistoryPage } from '../history-page.js';
import { outOfReach } from '../left-departments.js';

/**
 * GET /api/v1/inquiries/{id}: the inquiry with the newest page of its history, oldest first, as the document
 * describes it (view.ts, history-view.ts), and the cursor of the older entries (GET …/history) where there are more: a dialogue
 * of hundreds of long messages would not fit in one answer. Its ETag is the version, for the console to send
 * back as `If-Match` with a change made from this view. One out of the operator's reach answers 404, or 403 to
 * one who had it (left-departments.ts).
 */
export const getInquiry: UseCase = async (request, deps) => {
  const id = request.params.id ?? '';
  const [inquiry, stored] = await Promise.all([
    deps.inquiries.getInquiry(id),
    readHistoryPage(deps, id, { limit: HISTORY_PAGE_SIZE }),
  ]);
  if (!inquiry || !mayAccess(request.operator, inquiry.department))
    return outOfReach(inquiry, request, deps, stored);
  const casesNow = await caseDepartments(deps, request.operator, [
    ...casesNamedBy([inquiry]),
    ...casesNamedIn(stored.entries),
  ]);
  const page = historyPageView(stored, inquiry, request.operator, casesNow);
  return {
    ...answer(200, {
      inquiry: inquiryView(inquiry, request.operator, casesNow, deps.config),
      history: page.history,
      ...(page.nextCursor !== undefined && { historyCursor: page.nextCursor }),
    }),
    headers: { etag: etagOf(inquiry.version) },
  };
};
