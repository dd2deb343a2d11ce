import type { Inquiry } from '../domain/inquiry/inquiry.js';
import { hadInquiry } from '../domain/operator/left-departments.js';
import type { ApiRequest, OperatorApiDeps } from './api.js';

/**
 * The history pages read back, newest first, to find the operator's trace: the entry that took the inquiry
 * out of their department is among the newest, unless hundreds of entries came since.
 */
const PAGES = 5;
const PAGE_SIZE = 100;

/**
 * Whether the operator had the inquiry out of their reach (operator/left-departments.ts), read from its newest
 * history: only for a change to an inquiry that exists and is another department's now, so the extra reads
 * fall on that rare request alone.
 */
export async function operatorHadIt(
  inquiry: Inquiry,
  request: ApiRequest,
  deps: OperatorApiDeps,
): Promise<boolean> {
  if (hadInquiry(request.operator, inquiry, [])) return true;
  let before: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const read = await deps.inquiries.historyPage(inquiry.id, {
      limit: PAGE_SIZE,
      ...(before !== undefined && { before }),
    });
    if (hadInquiry(request.operator, inquiry, read.entries)) return true;
    if (read.before === undefined) return false;
    before = read.before;
  }
  return false;
}
