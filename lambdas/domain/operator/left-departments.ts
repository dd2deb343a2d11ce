import type { HistoryEntry, Inquiry, InquiryHolders } from '../inquiry/inquiry.js';
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

/**
 * The most departments, and the most operators, an inquiry's `pastHolders` keeps: a few of each are usual (the
 * department it was routed to, one it was moved to; who took and answered it), so that the item grows by
 * some 100 bytes, and by at most some 2.5 KB (32 department ids and 32 user pool ids of 36 characters), which
 * every write of the inquiry pays for. One that would pass it keeps none, and its history is read instead.
 */
export const MAX_HOLDERS = 32;

/** Who had an inquiry whose history is as yet `history` alone (of a new inquiry: its first entries). */
export const NO_HOLDERS: InquiryHolders = { departments: [], operators: [] };

/**
 * `known` with whoever `history` (the entries a change writes) tells had the inquiry too, in the order they
 * came; undefined past MAX_HOLDERS. hadInquiry on the whole history and heldInquiry on what this gathered
 * from it answer alike.
 */
export function holdersAfter(
  known: InquiryHolders,
  history: readonly InquiryTrace[],
): InquiryHolders | undefined {
  const departments = new Set(known.departments);
  const operators = new Set(known.operators);
  for (const entry of history) {
    if (typeof entry.actorId === 'string') operators.add(entry.actorId);
    for (const field of DEPARTMENT_FIELDS) {
      const department = entry.detail[field];
      if (typeof department === 'string') departments.add(department);
    }
  }
  if (departments.size > MAX_HOLDERS || operators.size > MAX_HOLDERS) return undefined;
  return { departments: [...departments], operators: [...operators] };
}

/**
 * Who has had the inquiry, as kept on it (Inquiry.pastHolders), if that is whole: written with the version it is on.
 * Undefined where it is not kept, or was carried along by a change that did not add to it (made by an earlier
 * release, after a rollback): its history tells then.
 */
export const holdersOf = (inquiry: Pick<Inquiry, 'pastHolders' | 'version'>): InquiryHolders | undefined =>
  inquiry.pastHolders?.version === inquiry.version ? inquiry.pastHolders : undefined;

/** hadInquiry, told by who has had the inquiry (Inquiry.pastHolders) rather than by its history. */
export function heldInquiry(
  operator: Operator,
  inquiry: Pick<Inquiry, 'assignee'>,
  holders: InquiryHolders,
): boolean {
  if (inquiry.assignee?.id === operator.id) return true;
  return (
    holders.operators.includes(operator.id) ||
    holders.departments.some((department) => mayAccess(operator, department))
  );
}
