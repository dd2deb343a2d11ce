import { parseCaseNumber } from '../../domain/inquiry/case-number.js';
import { mayAccess } from '../../domain/operator/access.js';
import { inquiryView } from '../../domain/operator/view.js';
import {
  type ApiAnswer,
  type ApiRequest,
  answer,
  type OperatorApiDeps,
  problem,
  unknownCommunity,
} from '../api.js';
import { caseDepartments, casesNamedBy } from '../case-departments.js';
import type { InquiryPage } from '../contract/inquiry.js';
import type { ListInquiriesQuery } from '../contract/inquiry-list.js';
import { leftCases } from '../left-departments.js';

/** What a lookup by case number may be narrowed by: it is one page, in no order but the communities'. */
const NARROWING = ['caseNumber', 'community', 'department'];

/**
 * GET /api/v1/inquiries?caseNumber=…: the inquiries of the case number a citizen reads out, one page, in the
 * community named (configured or taken out of the configuration) or in each configured one (numbers are per
 * community). Another department's inquiry is
 * left out, as if there were none: the list tells nothing of what the operator may not see; but one that was
 * theirs is named in `leftYourDepartments`, as its detail answers them 403 (left-departments.ts).
 */
export async function findCase(
  request: ApiRequest,
  deps: OperatorApiDeps,
  query: ListInquiriesQuery & { caseNumber: string },
): Promise<ApiAnswer> {
  // What the request named, not what the schema filled in: `order` and `limit` have defaults.
  const others = (request.queryNames ?? Object.keys(query)).filter((name) => !NARROWING.includes(name));
  if (others.length > 0)
    return problem(
      400,
      'validation_failed',
      'caseNumber finds one inquiry per community: give it alone, or with community or department',
      { issues: others.map((name) => `${name}: not with caseNumber`) },
    );
  const caseNumber = parseCaseNumber(query.caseNumber);
  if (!caseNumber)
    return problem(400, 'validation_failed', 'invalid query', {
      issues: ['caseNumber: a case number is <year>-<number>, as in 2026-004217'],
    });
  const communities =
    query.community !== undefined
      ? [query.community]
      : deps.config.communities.map((community) => community.groupId);
  const asOf = deps.clock.now().toISOString();
  // One whose item does not read is told only to whom may see its department: to anyone else it is another
  // department's, left out.
  const found = await deps.queries.numbered(communities, caseNumber, (department) =>
    mayAccess(request.operator, department),
  );
  // A community not configured is searched (one taken out keeps its finished inquiries), but where it has no
  // inquiry of the number it is refused, as in a list: an empty answer would hide a mistyped community.
  const unknown = found.length === 0 && unknownCommunity(deps.config, query.community);
  if (unknown) return unknown;
  const visible = found.filter((inquiry) =>
    query.department === undefined
      ? mayAccess(request.operator, inquiry.department)
      : inquiry.department === query.department,
  );
  const outOfReach = found.filter((inquiry) => !mayAccess(request.operator, inquiry.department));
  const [casesNow, left] = await Promise.all([
    caseDepartments(deps, request.operator, casesNamedBy(visible)),
    leftCases(outOfReach, caseNumber, request, deps),
  ]);
  return answer(200, {
    items: visible.map((inquiry) => inquiryView(inquiry, request.operator, casesNow, deps.config)),
    asOf,
    ...(left.length > 0 && { leftYourDepartments: left }),
  } satisfies InquiryPage);
}
