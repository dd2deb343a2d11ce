import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { hadInquiry, heldInquiry, holdersOf } from '../domain/operator/left-departments.js';
import type { HistoryPage } from '../domain/ports.js';
import { type ApiAnswer, type ApiRequest, type OperatorApiDeps, problem } from './api.js';
import type { LeftCase } from './contract/inquiry.js';

/**
 * The most history read for the operator's trace where who has had the inquiry is not kept whole on it
 * (holdersOf), in pages of a Query's 1 MB: 20 MB, thousands of entries even were each the longest message a
 * citizen may write, in 20 Queries one after another, so that the request ends within the function's
 * OPERATOR_API_TIMEOUT_SECONDS. An operator whose only trace lies beyond is answered as one who never had it.
 */
const TRACE_PAGES = 20;

/**
 * Whether the operator had the inquiry out of their reach (operator/left-departments.ts): told by who has had
 * it (`pastHolders`, on the item read already, if whole: holdersOf), so that a request about another department's
 * inquiry, however long its history, reads nothing more. An item stored without it (or past its bound, or
 * changed by an earlier release since) has its history read instead, back to its first entry, newest first,
 * until their trace is found. `read`: the newest page the request read already (the detail's), which that
 * search goes on from.
 */
export async function operatorHadIt(
  inquiry: Inquiry,
  request: ApiRequest,
  deps: OperatorApiDeps,
  read?: HistoryPage,
): Promise<boolean> {
  const holders = holdersOf(inquiry);
  if (holders) return heldInquiry(request.operator, inquiry, holders);
  if (hadInquiry(request.operator, inquiry, read?.entries ?? [])) return true;
  if (read && read.before === undefined) return false;
  let pages = 0;
  for await (const traces of deps.inquiries.historyTraces(inquiry.id, read?.before)) {
    if (hadInquiry(request.operator, inquiry, traces)) return true;
    if (++pages === TRACE_PAGES) return false;
  }
  return false;
}

/**
 * A read (the detail, a history page) of an inquiry the operator may not see now. To one who had it (a link or
 * a list they opened before a colleague moved or rejected it, or before they left its department): 403
 * `left_your_departments`, with its status and version, as a change of theirs is told (409), so that it does
 * not read as lost; where it went is not said, as nothing of another department's inquiry is
 * (operator/named-case.ts). To anyone else, and for no inquiry: 404, which tells nothing. `read`: as above.
 * https://www.rfc-editor.org/rfc/rfc9110#name-403-forbidden (404 for a resource whose existence is hidden)
 */
export async function outOfReach(
  inquiry: Inquiry | undefined,
  request: ApiRequest,
  deps: OperatorApiDeps,
  read?: HistoryPage,
): Promise<ApiAnswer> {
  if (!inquiry || !(await operatorHadIt(inquiry, request, deps, read)))
    return problem(404, 'not_found', 'no such inquiry');
  return problem(
    403,
    'left_your_departments',
    'the inquiry is no longer in your departments (it was moved to another department or rejected, or you ' +
      'left its department): it is not lost, but you can no longer read it, and where it is now is not said',
    { current: currentOf(inquiry) },
  );
}

/**
 * The inquiries of a case number looked up (find-case.ts) that the operator may not see now, told as their
 * detail tells them (above) to one who had them, beside the page's items rather than as a 403: the lookup is a
 * list, which may hold another community's case of that number too. Those they never had are left out, as a
 * number there is not. Their history is read only for these, which a lookup finds one per community at most.
 */
export async function leftCases(
  outOfReach: readonly Inquiry[],
  caseNumber: string,
  request: ApiRequest,
  deps: OperatorApiDeps,
): Promise<LeftCase[]> {
  const had = await Promise.all(outOfReach.map((inquiry) => operatorHadIt(inquiry, request, deps)));
  return outOfReach
    .filter((_inquiry, index) => had[index])
    .map((inquiry) => ({ groupId: inquiry.groupId, caseNumber, current: currentOf(inquiry) }));
}

const currentOf = (inquiry: Inquiry) => ({ status: inquiry.status, version: inquiry.version });
