import type { Inquiry } from '../domain/inquiry/inquiry.js';
import type { Operator } from '../domain/operator/access.js';
import type { FollowedCaseDepartments } from '../domain/operator/followed-case.js';
import type { OperatorApiDeps } from './api.js';

/**
 * The departments the cases these inquiries follow are in now, for `viewer` to be told of them by
 * (operator/followed-case.ts). Read side by side in one turn, so the repository asks them together: one GetItem
 * for an inquiry's detail, one BatchGetItem for a page of a list (dynamo-batch-get.ts). None for an admin, who
 * may know every case, nor where no inquiry follows one.
 */
export async function followedCaseDepartments(
  deps: OperatorApiDeps,
  inquiries: readonly Pick<Inquiry, 'follows'>[],
  viewer: Operator,
): Promise<FollowedCaseDepartments> {
  if (viewer.admin) return new Map();
  const ids = [...new Set(inquiries.flatMap(({ follows }) => (follows ? [follows.inquiryId] : [])))];
  const found = await Promise.all(ids.map((id) => deps.inquiries.getInquiry(id)));
  return new Map(ids.map((id, index) => [id, found[index]?.department]));
}
