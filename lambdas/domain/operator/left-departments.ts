import type { HistoryEntry, Inquiry } from '../inquiry/inquiry.js';
import { mayAccess, type Operator } from './access.js';

/** Where history entries name a department the inquiry was in: routed, moved, rejected, warned, escalated. */
export const DEPARTMENT_FIELDS = ['department', 'fromDepartment', 'toDepartment'] as const;

/** What of a history entry tells who had the inquiry: who acted, and the departments its `detail` names. */
export type InquiryTrace = Pick<HistoryEntry, 'actorId' | 'detail'>;

/**
 * Whether the operator had the inquiry they can no longer reach: it was in one of their departments (its
 * history names it), or they acted on it or hold it. A change of theirs to it then tells them it left their
 * departments (a colleague moved or rejected it while they wrote), rather than that there is no such inquiry:
 * their words were not sent; so does a read of it (a link they kept), so that it does not look lost. Anyone
 * else learns nothing of it (404), as of any other department's inquiry.
 */
export function hadInquiry(
  operator: Operator,
  inquiry: Pick<Inquiry, 'assignee'>,
  history: readonly InquiryTrace[],
): boolean {
  if (inquiry.assignee?.id === operator.id) return true;
  return history.some(
    (entry) =>
      entry.actorId === operator.id ||
      DEPARTMENT_FIELDS.some((field) => {
        const department = entry.detail[field];
        return typeof department === 'string' && mayAccess(operator, department);
      }),
  );
}
