import { MalformedInquiryItem } from '../adapters/inquiry-items.js';
import type { HistoryEntry, Inquiry } from '../domain/inquiry/inquiry.js';
import type { Operator } from '../domain/operator/access.js';
import type { CaseDepartments } from '../domain/operator/named-case.js';
import type { OperatorApiDeps } from './api.js';

/** The cases these inquiries name, by id: the case each follows, the newer inquiry its words joined. */
export const casesNamedBy = (inquiries: readonly Pick<Inquiry, 'follows' | 'wordsJoined'>[]): string[] =>
  inquiries.flatMap(({ follows, wordsJoined }) => [
    ...(follows ? [follows.inquiryId] : []),
    ...(wordsJoined ? [wordsJoined.inquiryId] : []),
  ]);

/**
 * The cases a page of history names beside those of its inquiry: the newer inquiry each edit's words joined
 * (`message_changed`'s `joined`), which a later edit may have made the inquiry forget.
 */
export const casesNamedIn = (entries: readonly HistoryEntry[]): string[] =>
  entries.flatMap((entry) => {
    const joined = entry.kind === 'message_changed' ? entry.detail.joined : undefined;
    const id = (joined as { inquiryId?: unknown } | undefined)?.inquiryId;
    return typeof id === 'string' ? [id] : [];
  });

/**
 * The departments the cases `caseIds` are in now, for `viewer` to be told of them by (operator/named-case.ts),
 * beside those `known` already. Read side by side in one turn, so the repository asks them together: one GetItem
 * for an inquiry's detail, one BatchGetItem for a page of a list (dynamo-batch-get.ts). None for an admin, who
 * may know every case, nor where no case is named but those known.
 */
export async function caseDepartments(
  deps: OperatorApiDeps,
  viewer: Operator,
  caseIds: readonly string[],
  known: CaseDepartments = new Map(),
): Promise<CaseDepartments> {
  if (viewer.admin) return new Map();
  const ids = [...new Set(caseIds)].filter((id) => !known.has(id));
  if (ids.length === 0) return known;
  const found = await Promise.all(ids.map((id) => departmentOf(deps, id)));
  return new Map([...known, ...ids.map((id, index): [string, string | undefined] => [id, found[index]])]);
}

/**
 * The department a case named is in now. One whose item does not read as an inquiry (edited by hand) is judged
 * by the department it names, where that reads: it is that case's trouble, not the naming inquiry's, whose
 * detail and lists are answered as usual; where it does not read, the case is another department's.
 */
async function departmentOf(deps: OperatorApiDeps, id: string): Promise<string | undefined> {
  try {
    return (await deps.inquiries.getInquiry(id))?.department;
  } catch (error) {
    if (!(error instanceof MalformedInquiryItem)) throw error;
    deps.logWarning?.('operator API: a case an inquiry names is malformed', {
      inquiryId: error.inquiryId,
      attributes: error.attributes,
    });
    return error.department;
  }
}
